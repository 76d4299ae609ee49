/**
 * Till (tender) control, pure: counting by denomination, what the drawer should hold, and the close:
 * differences per tender, over/short, whether a supervisor must accept it, and the closing journal
 * (over/short, then everything counted turned in to the safe, so the till's drawer accounts end at 0).
 */
import { CounterError } from '../api/errors.js';
import { addCents, formatCents, mulCents, subCents, type Cents } from '../money.js';
import type { JournalLine } from './tenders.js';
import type { Counts, CurrencyConfig } from './currency.js';

/**
 * Transaction kinds whose tenders make up a till's per-tender totals (the Z report and the closing
 * event). The counter and the server's day-end reconciliation must count the same kinds.
 */
export const TILL_TENDER_KINDS = [
  'payment',
  'void',
  'deposit',
  'eq_order',
  'eq_return',
  'eq_exchange',
] as const;

/** Total of a count by denomination. Unknown denominations, negative or fractional counts are refused. */
export function countTotal(counts: Counts, currency: CurrencyConfig, field = 'counts'): Cents {
  let total = 0;
  for (const [id, qty] of Object.entries(counts)) {
    const d = currency.denominations.find((x) => x.id === id);
    if (!d) throw new CounterError('INVALID_INPUT', `Unknown denomination "${id}".`, `${field}.${id}`);
    if (!Number.isSafeInteger(qty) || qty < 0) {
      throw new CounterError(
        'INVALID_INPUT',
        `Count ${d.label} as a whole number, 0 or more.`,
        `${field}.${id}`,
      );
    }
    total = addCents(total, mulCents(d.cents, qty));
  }
  return total;
}

export type TenderTally = { count: number; cents: Cents };

/** What the till should hold, from its own journal lines and tender rows. */
export type TillExpected = {
  cashCents: Cents;
  checks: TillTally;
  moneyOrders: TillTally;
  card: TillTally;
};
type TillTally = TenderTally;

export type TillCount = {
  cashCents: Cents;
  checks: TenderTally;
  moneyOrders: TenderTally;
  /** The card terminal's batch total, typed in. */
  cardBatchCents: Cents;
};

export type TenderDifference = {
  expected: TenderTally;
  counted: TenderTally;
  differenceCents: Cents;
  countDifference: number;
};

export type CloseFigures = {
  cash: { expectedCents: Cents; countedCents: Cents; differenceCents: Cents };
  checks: TenderDifference;
  moneyOrders: TenderDifference;
  card: { expectedCents: Cents; batchCents: Cents; differenceCents: Cents };
  /** Positive = over, negative = short (all drawer tenders). */
  overShortCents: Cents;
  needsSupervisor: boolean;
  reasons: string[];
};

function money(c: Cents): string {
  return formatCents(Math.abs(c), { symbol: true });
}

function overShortWords(c: Cents): string {
  return c === 0 ? 'even' : c > 0 ? `${money(c)} over` : `${money(c)} short`;
}

/**
 * Compares the blind count with what the till should hold. A supervisor must accept the close when the
 * cash is off by more than the tolerance, or any check, money order or card batch figure is off at all.
 */
export function closeFigures(
  expected: TillExpected,
  counted: TillCount,
  toleranceCents: Cents,
): CloseFigures {
  const cashDiff = subCents(counted.cashCents, expected.cashCents);
  const tenderDiff = (e: TenderTally, c: TenderTally): TenderDifference => ({
    expected: e,
    counted: c,
    differenceCents: subCents(c.cents, e.cents),
    countDifference: c.count - e.count,
  });
  const checks = tenderDiff(expected.checks, counted.checks);
  const moneyOrders = tenderDiff(expected.moneyOrders, counted.moneyOrders);
  const cardDiff = subCents(counted.cardBatchCents, expected.card.cents);
  const reasons: string[] = [];
  if (Math.abs(cashDiff) > toleranceCents)
    reasons.push(`Cash is ${overShortWords(cashDiff)} (tolerance ${money(toleranceCents)}).`);
  if (checks.differenceCents !== 0 || checks.countDifference !== 0) {
    reasons.push(
      `Checks: counted ${checks.counted.count} for ${money(checks.counted.cents)}, expected ${checks.expected.count} for ${money(checks.expected.cents)}.`,
    );
  }
  if (moneyOrders.differenceCents !== 0 || moneyOrders.countDifference !== 0) {
    reasons.push(
      `Money orders: counted ${moneyOrders.counted.count} for ${money(moneyOrders.counted.cents)}, expected ${moneyOrders.expected.count} for ${money(moneyOrders.expected.cents)}.`,
    );
  }
  if (cardDiff !== 0)
    reasons.push(
      `Card batch ${money(counted.cardBatchCents)} does not match the card payments (${money(expected.card.cents)}).`,
    );
  return {
    cash: { expectedCents: expected.cashCents, countedCents: counted.cashCents, differenceCents: cashDiff },
    checks,
    moneyOrders,
    card: {
      expectedCents: expected.card.cents,
      batchCents: counted.cardBatchCents,
      differenceCents: cardDiff,
    },
    overShortCents: addCents(cashDiff, checks.differenceCents, moneyOrders.differenceCents),
    needsSupervisor: reasons.length > 0,
    reasons,
  };
}

/**
 * The closing journal: each drawer account is trued up to its count against over_short, then the count
 * is turned in to the safe. After it, the till's drawer accounts sum to zero. Card clearing is left for
 * the processor's settlement.
 */
export function closeJournal(f: CloseFigures): JournalLine[] {
  const lines: JournalLine[] = [];
  const trueUp = (drawer: string, diff: Cents, memo: string): void => {
    if (diff === 0) return;
    lines.push(
      { ledgerAccount: drawer, cents: diff, memo },
      { ledgerAccount: 'over_short', cents: -diff, memo },
    );
  };
  trueUp('drawer:cash', f.cash.differenceCents, 'cash over/short at close');
  trueUp('drawer:checks', f.checks.differenceCents, 'checks over/short at close');
  trueUp('drawer:money_orders', f.moneyOrders.differenceCents, 'money orders over/short at close');
  const turnIn = (drawer: string, safe: string, cents: Cents, memo: string): void => {
    if (cents === 0) return;
    lines.push({ ledgerAccount: safe, cents, memo }, { ledgerAccount: drawer, cents: -cents, memo });
  };
  turnIn('drawer:cash', 'safe:cash', f.cash.countedCents, 'cash turned in at close');
  turnIn('drawer:checks', 'safe:checks', f.checks.counted.cents, 'checks turned in at close');
  turnIn(
    'drawer:money_orders',
    'safe:money_orders',
    f.moneyOrders.counted.cents,
    'money orders turned in at close',
  );
  return lines;
}

/** Journal of the opening float: cash moves from the safe into the drawer. */
export function openJournal(floatCents: Cents): JournalLine[] {
  return floatCents === 0
    ? []
    : [
        { ledgerAccount: 'drawer:cash', cents: floatCents, memo: 'opening float' },
        { ledgerAccount: 'safe:cash', cents: -floatCents, memo: 'opening float' },
      ];
}

/** A cash drop to the safe. */
export function dropJournal(cents: Cents): JournalLine[] {
  return [
    { ledgerAccount: 'safe:cash', cents, memo: 'cash drop' },
    { ledgerAccount: 'drawer:cash', cents: -cents, memo: 'cash drop' },
  ];
}

/** A paid-out from the drawer (an expense with a reason). */
export function paidOutJournal(cents: Cents): JournalLine[] {
  return [
    { ledgerAccount: 'paid_outs', cents, memo: 'paid out' },
    { ledgerAccount: 'drawer:cash', cents: -cents, memo: 'paid out' },
  ];
}

/** A refund of an account credit: in cash from the drawer, or by a check the head office mails. */
export function refundJournal(
  accountNumber: string,
  cents: Cents,
  method: 'cash' | 'check_request',
): JournalLine[] {
  return [
    { ledgerAccount: `ar:${accountNumber}`, cents, memo: 'credit refunded' },
    {
      ledgerAccount: method === 'cash' ? 'drawer:cash' : 'refunds_payable',
      cents: -cents,
      memo: 'credit refunded',
    },
  ];
}

/** A void: the exact reversal of the original transaction's lines. */
export function reversalJournal(original: JournalLine[]): JournalLine[] {
  return original.map((l) => ({ ledgerAccount: l.ledgerAccount, cents: -l.cents, memo: `void: ${l.memo}` }));
}
