/**
 * The seam for collections: a returned payment that had stopped a disconnect notice makes the notice
 * active again with its original date. Notices are a later capability; until it registers its
 * reinstater here, no notice is reinstated (and none is made up).
 */
import type { Knex } from 'knex';

export type ReinstatedNotice = { noticeId: string; noticeDate: string };

/** Called inside the return's transaction; returns the notices made active again. */
export type NoticeReinstater = (
  trx: Knex.Transaction,
  accountNumber: string,
  paymentTransactionId: string,
) => Promise<ReinstatedNotice[]>;

let reinstater: NoticeReinstater | null = null;

export function registerNoticeReinstater(fn: NoticeReinstater | null): void {
  reinstater = fn;
}

export async function reinstatedNotices(
  trx: Knex.Transaction,
  accountNumber: string,
  paymentTransactionId: string,
): Promise<ReinstatedNotice[]> {
  return reinstater ? reinstater(trx, accountNumber, paymentTransactionId) : [];
}
