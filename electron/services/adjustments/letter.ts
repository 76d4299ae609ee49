/**
 * The back-billing letter: the charges, the periods, the rule applied and the installment plan, as
 * lines (the screen shows them) and as a PDF (pdfkit) in the data folder's `letters/`.
 */
import fs from 'node:fs';
import path from 'node:path';

import PDFDocument from 'pdfkit';

import type { BackBillCharge, BackBillPlan } from '../../../shared/domain/back-billing.js';
import { formatCents } from '../../../shared/money.js';
import { ensurePrivateFile, PRIVATE_FILE_MODE } from '../../../shared/node/private-files.js';

const money = (c: number): string => formatCents(c, { symbol: true });

export type LetterInput = {
  company: string;
  date: string;
  account: { number: string; name: string; address: string };
  plan: BackBillPlan;
  charges: BackBillCharge[];
};

export function letterLines(l: LetterInput): string[] {
  const { plan } = l;
  return [
    l.company,
    l.date,
    `${l.account.name}, ${l.account.address}`,
    `Account ${l.account.number}`,
    'Charges for service that was not billed',
    `We found service on your account that was not billed at the time. The charges total ${money(plan.totalCents)}.`,
    ...l.charges.map(
      (c) =>
        `${c.description}: ${c.fromMonth} to ${c.toMonth} at ${money(c.amountPerPeriodCents)} a month${c.customerCaused ? ' (the delay was caused on the customer side)' : ''}`,
    ),
    `Rule applied: ${plan.rule}`,
    ...plan.working,
    `Your installment plan: ${String(plan.installments.length)} installments, added to your bills.`,
    ...plan.installments.map((i) => `Installment ${String(i.number)} due ${i.dueDate}: ${money(i.cents)}`),
    `Total: ${money(plan.totalCents)}`,
    ...(plan.notDisconnectable ? ['These charges are not grounds for disconnecting your service.'] : []),
    ...(plan.noLateFees ? ['No late fees are charged on these installments.'] : []),
  ];
}

export function letterFile(dataDir: string, transactionId: string): string {
  return path.join(dataDir, 'letters', `back-bill-${transactionId}.pdf`);
}

/** Writes the PDF; resolves when the file is complete on disk. */
export function writeLetterPdf(lines: string[], file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  ensurePrivateFile(file);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'LETTER', margin: 64, info: { Title: 'Back-billing letter' } });
    const out = fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE });
    out.on('finish', () => resolve());
    out.on('error', reject);
    doc.pipe(out);
    const [company = '', ...rest] = lines;
    doc.font('Helvetica-Bold').fontSize(16).text(company);
    doc.moveDown(0.5);
    for (const line of rest) {
      const heading = line.startsWith('Charges for service') || line.startsWith('Your installment plan');
      doc
        .font(heading ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(heading ? 13 : 11)
        .text(line);
      if (heading) doc.moveDown(0.3);
    }
    doc.end();
  });
}
