/**
 * Adjustments (Alt+A on an open account): a credit or debit with its reason, the bill line it
 * corrects and a memo (an outage credit shows its formula before posting; over the CSR's limit the
 * supervisor's ID and PIN); back billing for a supervisor (charges, the plan with its working, the
 * letter); the day's adjustments by reason (supervisor). Alt+1/2/3 switch; Enter posts; Esc goes back.
 */
import { useEffect, useRef } from 'react';

import { outageCredit } from '../../../../shared/domain/adjustments.js';
import { centsToInput, formatCents, parseAmount } from '../../../../shared/money.js';
import { ApprovalFields } from '../../components/ApprovalFields.js';
import { Field } from '../../components/Field.js';
import { useSession } from '../../stores/session.js';
import { useAdjustments } from './store.js';

/**
 * What the CSR must act on or read next, brought into view when it appears: scrolled to the middle
 * of the screen (clear of the toast at the bottom), its first field focused when it has one.
 */
function Reveal({
  children,
  focus = false,
  block = 'center',
}: {
  children: React.ReactNode;
  focus?: boolean;
  block?: ScrollLogicalPosition;
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollIntoView({ block, behavior: 'instant' });
    if (focus) el.querySelector<HTMLInputElement>('input')?.focus();
  }, [focus, block]);
  return <div ref={ref}>{children}</div>;
}

const money = (c: number): string => formatCents(c, { symbol: true });

function AdjustForm(): React.JSX.Element {
  const s = useAdjustments();
  const { data, draft } = s;
  if (!data) return <p>Loading…</p>;
  const reason = data.policy.reasons.find((r) => r.code === draft.reasonCode);
  const line = data.billLines.find((l) => l.id === draft.billLineId);
  let preview: { cents: number; working: string } | null = null;
  let previewError: string | null = null;
  if (reason?.outage && line && draft.daysOut) {
    try {
      preview = outageCredit(
        { monthlyRateCents: line.amountCents, daysOut: Number(draft.daysOut), month: draft.month },
        data.policy.outage,
      );
    } catch (err) {
      previewError = err instanceof Error ? err.message : String(err);
    }
  }
  return (
    <div className="adjust-form" onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void s.post())}>
      <label className="field">
        <span>Reason</span>
        <select
          data-testid="adj-reason"
          value={draft.reasonCode}
          onChange={(e) => s.edit({ reasonCode: e.target.value, direction: 'credit' })}
        >
          {data.policy.reasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label} (CSR up to {money(r.limits.csr)})
            </option>
          ))}
        </select>
      </label>
      {reason && reason.directions.length > 1 && (
        <label className="field">
          <span>Credit or debit</span>
          <select
            data-testid="adj-direction"
            value={draft.direction}
            onChange={(e) => s.edit({ direction: e.target.value as 'credit' | 'debit' })}
          >
            {reason.directions.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
      )}
      {reason?.outage ? (
        <>
          <label className="field">
            <span>Affected service</span>
            <select
              data-testid="adj-line"
              value={draft.billLineId}
              onChange={(e) => s.edit({ billLineId: e.target.value })}
            >
              {data.billLines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.description} {money(l.amountCents)}/month (bill {l.billDate})
                </option>
              ))}
            </select>
          </label>
          <Field
            label="Days out of service"
            value={draft.daysOut}
            onChange={(v) => s.edit({ daysOut: v })}
            inputMode="numeric"
            testId="adj-days"
            error={s.errors['outage.daysOut'] ?? previewError ?? undefined}
          />
          <Field
            label="Month (YYYY-MM)"
            value={draft.month}
            onChange={(v) => s.edit({ month: v })}
            testId="adj-month"
            error={s.errors['outage.month']}
          />
          {preview && (
            <p className="working" data-testid="adj-working">
              Credit: <strong className="big">{money(preview.cents)}</strong> = {preview.working}
            </p>
          )}
        </>
      ) : (
        <Field
          label="Amount"
          value={draft.amount}
          onChange={(v) => s.edit({ amount: v })}
          inputMode="decimal"
          testId="adj-amount"
          error={s.errors.amountCents}
        />
      )}
      <label className="field">
        <span>Bill line it corrects</span>
        <select
          data-testid="adj-item"
          value={draft.itemId}
          onChange={(e) => s.edit({ itemId: e.target.value })}
        >
          <option value="">(none)</option>
          {data.openItems.map((i) => (
            <option key={i.id} value={i.id}>
              {i.category.replace('_', ' ')} due {i.dueDate}: {money(i.openCents)} open
            </option>
          ))}
        </select>
      </label>
      <Field
        label="Memo"
        value={draft.memo}
        onChange={(v) => s.edit({ memo: v })}
        testId="adj-memo"
        error={s.errors.memo}
      />
      {s.needsApproval && (
        <Reveal focus>
          <ApprovalFields
            value={draft.approval}
            onChange={(approval) => s.edit({ approval })}
            errors={s.errors}
            onEnter={() => void s.post()}
            label="Over your limit: supervisor approval"
          />
        </Reveal>
      )}
      <button type="button" data-testid="adj-post" onClick={() => void s.post()}>
        Enter Post adjustment
      </button>
    </div>
  );
}

function OnAccount(): React.JSX.Element | null {
  const { data } = useAdjustments();
  if (!data) return null;
  return (
    <div className="on-account" data-testid="adj-on-account">
      <h3>Adjustments on this account</h3>
      {data.adjustments.length === 0 && <p>None.</p>}
      <table>
        <tbody>
          {data.adjustments.map((a) => (
            <tr key={a.transactionId} data-testid="adj-row">
              <td>{a.createdAt.slice(0, 10)}</td>
              <td>{a.reasonLabel}</td>
              <td className="num">{money(a.direction === 'credit' ? -a.amountCents : a.amountCents)}</td>
              <td>{a.approvedBy ? `approved ${a.approvedBy}` : ''}</td>
              <td>{a.pending ? 'here, pending' : 'posted'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.backBills.map((b) => (
        <div key={b.transactionId} data-testid="bb-plan">
          <h3>
            Back billing {money(b.totalCents)} ({b.jurisdiction}) {b.pending ? '· here, pending' : ''}
          </h3>
          <table>
            <tbody>
              {b.installments.map((i) => (
                <tr key={i.itemId} data-testid="bb-installment">
                  <td>#{i.number}</td>
                  <td>due {i.dueDate}</td>
                  <td className="num">{money(i.cents)}</td>
                  <td className="num">{money(i.openCents)} open</td>
                  <td>{i.notDisconnectable ? 'no disconnection' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

function BackBill(): React.JSX.Element {
  const s = useAdjustments();
  const c = s.charges[0];
  if (!s.data || !c) return <p>Loading…</p>;
  return (
    <div
      className="back-bill"
      onKeyDown={(e) =>
        e.key === 'Enter' && (e.preventDefault(), void (s.preview?.ok ? s.postPlan() : s.previewPlan()))
      }
    >
      <label className="field">
        <span>Rules</span>
        <select
          data-testid="bb-jurisdiction"
          value={s.jurisdiction}
          onChange={(e) => useAdjustments.setState({ jurisdiction: e.target.value, preview: null })}
        >
          {s.data.backBillPolicies.map((p) => (
            <option key={p.jurisdiction} value={p.jurisdiction}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <Field
        label="What was not billed"
        value={c.description}
        onChange={(v) => s.setCharge(0, { description: v })}
        testId="bb-desc"
      />
      <Field
        label="First month (YYYY-MM)"
        value={c.fromMonth}
        onChange={(v) => s.setCharge(0, { fromMonth: v })}
        testId="bb-from"
      />
      <Field
        label="Last month (YYYY-MM)"
        value={c.toMonth}
        onChange={(v) => s.setCharge(0, { toMonth: v })}
        testId="bb-to"
      />
      <Field
        label="Amount per month"
        value={c.amountPerPeriodCents ? centsToInput(c.amountPerPeriodCents) : ''}
        onChange={(v) => {
          const parsed = parseAmount(v);
          s.setCharge(0, { amountPerPeriodCents: parsed.ok ? parsed.cents : 0 });
        }}
        inputMode="decimal"
        testId="bb-amount"
      />
      <label className="field">
        <input
          type="checkbox"
          data-testid="bb-customer"
          checked={c.customerCaused}
          onChange={(e) => s.setCharge(0, { customerCaused: e.target.checked })}
        />{' '}
        The customer caused the delay
      </label>
      <p>Average monthly bill: {money(s.data.averageMonthlyBillCents)}</p>
      {s.preview?.ok && (
        <div data-testid="bb-preview">
          <h3>
            Plan: {s.preview.plan.installments.length} installments, total{' '}
            <strong className="big">{money(s.preview.plan.totalCents)}</strong>
          </h3>
          <ul>
            {s.preview.plan.working.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <ol>
            {s.preview.plan.installments.map((i) => (
              <li key={i.number}>
                due {i.dueDate}: {money(i.cents)} <small>({i.working})</small>
              </li>
            ))}
          </ol>
        </div>
      )}
      <button
        type="button"
        data-testid="bb-go"
        onClick={() => void (s.preview?.ok ? s.postPlan() : s.previewPlan())}
      >
        Enter {s.preview?.ok ? 'Bill it and print the letter' : 'Work out the plan'}
      </button>
      {s.letter && (
        <Reveal block="start">
          <div className="letter" data-testid="bb-letter">
            <h3>Letter to the customer</h3>
            <p>
              <small>PDF saved as {s.letter.file}</small>
            </p>
            {s.letter.lines.map((l, i) => (
              <p key={i}>{l}</p>
            ))}
          </div>
        </Reveal>
      )}
    </div>
  );
}

function Report(): React.JSX.Element {
  const { report } = useAdjustments();
  if (!report) return <p>Loading…</p>;
  return (
    <div data-testid="adj-report">
      <h3>Adjustments on {report.businessDate}</h3>
      <table>
        <thead>
          <tr>
            <th>Reason</th>
            <th>Count</th>
            <th>Credits</th>
            <th>Debits</th>
          </tr>
        </thead>
        <tbody>
          {report.byReason.map((r) => (
            <tr key={r.reasonCode}>
              <td>{r.reasonLabel}</td>
              <td className="num">{r.count}</td>
              <td className="num">{money(r.creditCents)}</td>
              <td className="num">{money(r.debitCents)}</td>
            </tr>
          ))}
          <tr className="total">
            <td>Total</td>
            <td className="num">{report.totals.count}</td>
            <td className="num">{money(report.totals.creditCents)}</td>
            <td className="num">{money(report.totals.debitCents)}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <tbody>
          {report.adjustments.map((a) => (
            <tr key={a.transactionId}>
              <td>{a.accountNumber}</td>
              <td>{a.accountName}</td>
              <td>{a.reasonLabel}</td>
              <td className="num">{money(a.direction === 'credit' ? -a.amountCents : a.amountCents)}</td>
              <td>{a.memo}</td>
              <td>{a.cashierId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AdjustmentsScreen(): React.JSX.Element {
  const s = useAdjustments();
  const role = useSession((x) => x.state?.cashier?.role);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey) return;
      const mode = ({ '1': 'adjust', '2': 'backBill', '3': 'report' } as const)[e.key as '1' | '2' | '3'];
      if (mode) {
        e.preventDefault();
        void s.setMode(mode);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [s]);
  return (
    <div className="adjustments" data-testid="adjustments">
      <h2>
        {s.mode === 'adjust' ? 'ADJUSTMENT' : s.mode === 'backBill' ? 'BACK BILLING' : 'ADJUSTMENTS REPORT'}
        <small>
          {' '}
          Alt+1 Adjust{role === 'supervisor' ? ' · Alt+2 Back billing · Alt+3 Day report' : ''} · Esc Back
        </small>
      </h2>
      {s.error && (
        <p className="error" role="alert" data-testid="adj-error">
          {s.error}
        </p>
      )}
      {s.posted && <p data-testid="adj-posted">Posted: {s.posted}</p>}
      {s.mode === 'adjust' && <AdjustForm />}
      {s.mode === 'backBill' && <BackBill />}
      {s.mode === 'report' && <Report />}
      {s.mode !== 'report' && <OnAccount />}
    </div>
  );
}
