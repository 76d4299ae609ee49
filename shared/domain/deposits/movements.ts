/**
 * A deposit's movements (payments in; refunds and amounts applied to a final bill out): validated and
 * ordered, the principal held on a day, and the day it fell to zero. Only `depositHeld` is public; the
 * other exports serve interest.ts and are not re-exported by the deposits barrel.
 */
import { CounterError } from '../../api/errors.js';
import { addCents, subCents, type Cents } from '../../money.js';
import { dayOf, money, notAfterToday, parseDate, parseInput } from './internal.js';
import { DepositRecordSchema, type DepositMovement, type DepositRecord } from './schemas.js';

export type Move = DepositMovement & { day: number };

export type PreparedDeposit = {
  moves: Move[];
  depositDate: string;
  depositDay: number;
};

/** Validates and orders the movements (same day: payments first); refuses a refund above what is held. */
export function prepareDeposit(deposit: DepositRecord, today: string | undefined): PreparedDeposit {
  const record = parseInput(DepositRecordSchema, deposit, 'deposit');
  const moves = record.movements
    .map((m, index) => ({ ...m, day: dayOf(m.date), index }))
    .sort((a, b) => a.day - b.day || rankKind(a.kind) - rankKind(b.kind) || a.index - b.index);
  let held = 0;
  let closedOn: string | null = null;
  for (const m of moves) {
    const field = `deposit.movements.${String(m.index)}`;
    notAfterToday(m.date, today, `${field}.date`, `The deposit ${m.kind} dated`);
    if (m.kind === 'payment') {
      if (closedOn !== null)
        throw new CounterError(
          'INVALID_INPUT',
          `This deposit was paid out on ${closedOn}: record the payment of ${m.date} as a new deposit.`,
          `${field}.date`,
        );
      held = addCents(held, m.amountCents);
    } else {
      if (m.amountCents > held)
        throw new CounterError(
          'INVALID_INPUT',
          `The ${m.kind === 'refund' ? 'refund' : 'amount applied to the bill'} of ${money(m.amountCents)} on ${m.date} is more than the ${money(held)} deposit held.`,
          `${field}.amountCents`,
        );
      held = subCents(held, m.amountCents);
      if (held === 0) closedOn = m.date;
    }
  }
  const first = moves[0];
  if (!first) throw new CounterError('INVALID_INPUT', 'The deposit has no payment.', 'deposit.movements');
  return {
    moves: moves.map(({ index: _index, ...m }) => m),
    depositDate: first.date,
    depositDay: first.day,
  };
}

function rankKind(kind: DepositMovement['kind']): number {
  return kind === 'payment' ? 0 : 1;
}

export function heldAfter(moves: readonly Move[]): Cents {
  return moves.reduce(
    (held, m) => (m.kind === 'payment' ? addCents(held, m.amountCents) : subCents(held, m.amountCents)),
    0,
  );
}

/** The day the principal held falls to zero (validated movements never pay in again after it). */
export function closingDay(moves: readonly Move[]): number | null {
  let held = 0;
  for (const m of moves) {
    held = m.kind === 'payment' ? addCents(held, m.amountCents) : subCents(held, m.amountCents);
    if (held === 0) return m.day;
  }
  return null;
}

/**
 * The principal held at the end of `asOf` (payments less refunds and amounts applied up to that day).
 *
 * @example
 * depositHeld({ movements: [{ date: '2025-01-02', kind: 'payment', amountCents: 10_000 },
 *   { date: '2025-02-01', kind: 'payment', amountCents: 5_000 }] }, '2025-01-31'); // 10_000
 */
export function depositHeld(deposit: DepositRecord, asOf: string): Cents {
  const day = dayOf(parseDate(asOf, 'asOf'));
  return heldAfter(prepareDeposit(deposit, undefined).moves.filter((m) => m.day <= day));
}
