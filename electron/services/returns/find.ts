/**
 * Finding the payment a returned check paid: by account number, receipt number (typed or scanned) or
 * check number, over this counter's payments. Each check tender is listed with what blocks its return.
 */
import type { Knex } from 'knex';

import type { ReturnableCheck } from '../../../shared/api/channels/returns.js';

type Row = {
  id: string;
  receipt_number: string;
  account_number: string;
  account_name: string;
  business_date: string;
  applied_cents: number;
  voided_by_id: string | null;
};

type TenderRow = {
  transaction_id: string;
  position: number;
  type: string;
  amount_cents: number;
  net_cents: number;
  check_number: string | null;
};

export async function findReturnable(db: Knex, query: string, limit = 20): Promise<ReturnableCheck[]> {
  const q = query.trim().toUpperCase();
  const base = db('transactions as t')
    .join('accounts as a', 'a.account_number', 't.account_number')
    .where('t.kind', 'payment')
    .select(
      't.id',
      't.receipt_number',
      't.account_number',
      'a.name as account_name',
      't.business_date',
      't.applied_cents',
      't.voided_by_id',
    )
    .orderBy('t.created_at', 'desc')
    .limit(limit);
  if (/^\d{10}$/.test(q)) void base.where('t.account_number', q);
  else if (/^[A-Z0-9]+-\d+$/.test(q)) void base.where('t.receipt_number', q);
  else
    void base.whereIn(
      't.id',
      db('tenders').where({ type: 'check', check_number: query.trim() }).select('transaction_id'),
    );
  const rows = (await base) as Row[];
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tenders = (await db('tenders').whereIn('transaction_id', ids).orderBy('position')) as TenderRow[];
  const returned = (await db('returned_checks')
    .whereIn('original_transaction_id', ids)
    .select('original_transaction_id', 'tender_position', 'return_date')) as {
    original_transaction_id: string;
    tender_position: number;
    return_date: string;
  }[];
  const out: ReturnableCheck[] = [];
  for (const r of rows) {
    const own = tenders.filter((t) => t.transaction_id === r.id);
    for (const t of own.filter((x) => x.type === 'check')) {
      const done = returned.find(
        (x) => x.original_transaction_id === r.id && x.tender_position === t.position,
      );
      out.push({
        transactionId: r.id,
        receiptNumber: r.receipt_number,
        accountNumber: r.account_number,
        accountName: r.account_name,
        paidOn: r.business_date,
        paymentCents: r.applied_cents,
        tenderPosition: t.position,
        checkNumber: t.check_number ?? '',
        faceCents: t.net_cents,
        otherTenders: own
          .filter((x) => x.position !== t.position)
          .map((x) => ({ type: x.type, amountCents: x.net_cents })),
        blocked: done
          ? `Already returned on ${done.return_date}.`
          : r.voided_by_id
            ? 'The payment was voided: there is nothing to return.'
            : null,
      });
    }
  }
  return out;
}
