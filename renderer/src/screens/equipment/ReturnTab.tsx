/**
 * Scan a serial: whose unit it is, what was sold or leased and when; then take it back (condition,
 * refund or fees), exchange it (a new unit in one step), or order a line/device test.
 */
import { useEffect, useRef } from 'react';

import { ApprovalFields } from '../../components/ApprovalFields.js';
import { Field } from '../../components/Field.js';
import { Money } from '../../components/Money.js';
import { ReceiptPaper } from '../../components/ReceiptPaper.js';
import { useSession } from '../../stores/session.js';
import { useEquipment, type Condition, type RefundMethod } from './store.js';

const CONDITIONS: { value: Condition; key: string; label: string }[] = [
  { value: 'good', key: '1', label: 'Good' },
  { value: 'damaged', key: '2', label: 'Damaged' },
  { value: 'missing_parts', key: '3', label: 'Missing parts' },
];
const METHODS: { value: RefundMethod; label: string }[] = [
  { value: 'cash', label: 'Cash from the drawer' },
  { value: 'check_request', label: 'Check request (mailed)' },
  { value: 'account', label: 'Credit to the account' },
];
const RESULT_WORDS: Record<string, string> = {
  no_fault: 'No fault found',
  line_fault: 'Line fault',
  device_fault: 'Device fault',
};

function money(c: number): React.JSX.Element {
  return <Money cents={c} symbol />;
}

function Posted(): React.JSX.Element | null {
  const posted = useEquipment((s) => s.posted);
  if (!posted) return null;
  return (
    <div className="eq-posted" data-testid="eq-posted">
      <div className="eq-posted-main">
        <h3>{posted.title}</h3>
        <div className="change-due" data-testid="eq-posted-headline">
          <span className="label">Tell the customer</span>
          <span className="eq-headline">{posted.headline}</span>
        </div>
        {posted.drawerOpened && <p className="muted">Drawer opened.</p>}
        {(!posted.receipt.printed || (posted.invoice && !posted.invoice.printed)) && (
          <div className="banner bad" role="alert">
            Not printed: {posted.receipt.printError ?? posted.invoice?.printError}. It waits in the reprint
            queue (F12).
          </div>
        )}
        <p className="muted small">
          Receipt {posted.receipt.receiptNumber}
          {posted.invoice ? ` and return-goods invoice ${posted.invoice.receiptNumber}` : ''} printed. Scan
          the next serial, or Esc.
        </p>
      </div>
      <div className="eq-papers">
        <ReceiptPaper lines={posted.receipt.lines} testId="eq-receipt" />
        {posted.invoice && <ReceiptPaper lines={posted.invoice.lines} testId="eq-invoice" />}
      </div>
    </div>
  );
}

function QuoteLines({ lines }: { lines: { description: string; cents: number }[] }): React.JSX.Element {
  return (
    <table className="eq-quote-lines">
      <tbody>
        {lines.map((l, i) => (
          <tr key={i}>
            <td>{l.description}</td>
            <td className="num">{money(l.cents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExchangePanel(): React.JSX.Element | null {
  const s = useEquipment();
  const unit = s.lookup?.unit;
  if (!unit) return null;
  const q = s.exchange.quote;
  const options = s.catalog.filter(
    (c) =>
      c.item.category === unit.category &&
      (unit.mode === 'buy' ? c.item.salePriceCents !== null : c.item.leasePriceCents !== null),
  );
  const serialized = s.catalog.find((c) => c.item.sku === s.exchange.newSku)?.item.serialized ?? false;
  return (
    <section className="eq-panel" data-testid="eq-exchange">
      <h3>Exchange for a new unit</h3>
      <div className="row">
        <label className="field">
          <span className="label">Replacement</span>
          <select
            value={s.exchange.newSku}
            onChange={(e) => s.setExchange({ newSku: e.currentTarget.value, newSerial: '' })}
            data-testid="eq-exchange-sku"
          >
            {options.map((o) => (
              <option key={o.item.sku} value={o.item.sku}>
                {o.item.name} ({o.available} in stock)
              </option>
            ))}
          </select>
        </label>
        {serialized && (
          <Field
            label="Serial of the new unit"
            value={s.exchange.newSerial}
            onChange={(v) => s.setExchange({ newSerial: v.toUpperCase() })}
            placeholder="scan its label"
            testId="eq-exchange-serial"
            error={s.flowErrors.newSerial}
            onEnter={() => void s.takeExchange()}
          />
        )}
      </div>
      {q && (
        <>
          <QuoteLines lines={q.lines} />
          <p className="eq-reason" data-testid="eq-exchange-reason">
            {q.reason}
          </p>
          <div className="eq-net" data-testid="eq-exchange-net">
            <span className="label">
              {q.dueNowCents > 0 ? 'Customer pays' : q.refundCents > 0 ? 'Refund' : 'No charge'}
            </span>
            <Money
              cents={q.dueNowCents > 0 ? q.dueNowCents : q.refundCents}
              symbol
              className="eq-net-amount"
            />
          </div>
        </>
      )}
      {q && !q.covered && !s.exchange.goodwill && unit.mode === 'buy' && (
        <label className="eq-check">
          <input type="checkbox" onChange={(e) => s.setExchange({ goodwill: e.currentTarget.checked })} />{' '}
          Goodwill exchange (a supervisor approves the credit)
        </label>
      )}
      <button
        type="button"
        className="primary"
        disabled={!q || s.busy}
        onClick={() => void s.takeExchange()}
        data-testid="eq-exchange-submit"
      >
        {q && q.dueNowCents > 0 ? 'Take payment for the exchange' : 'Hand over the replacement'}{' '}
        <kbd>Enter</kbd>
      </button>
    </section>
  );
}

function TicketPanel(): React.JSX.Element {
  const s = useEquipment();
  return (
    <section className="eq-panel" data-testid="eq-ticket">
      <h3>Order a test for the technical department</h3>
      <div className="eq-conditions" role="radiogroup" aria-label="Test">
        {(['device', 'line'] as const).map((k) => (
          <label key={k} className={s.ticket.testKind === k ? 'eq-choice on' : 'eq-choice'}>
            <input
              type="radio"
              checked={s.ticket.testKind === k}
              onChange={() => s.setTicket({ testKind: k })}
              disabled={k === 'device' && !s.lookup?.unit}
            />
            {k === 'device' ? 'Device test (this unit)' : 'Line test'}
          </label>
        ))}
      </div>
      <Field
        label="Symptom (what the customer sees)"
        value={s.ticket.symptom}
        onChange={(v) => s.setTicket({ symptom: v })}
        autoFocus
        testId="eq-ticket-symptom"
        error={s.flowErrors.symptom}
        onEnter={() => void s.openTicket()}
      />
      <button
        type="button"
        className="primary"
        onClick={() => void s.openTicket()}
        data-testid="eq-ticket-submit"
      >
        Send the test order <kbd>Enter</kbd>
      </button>
    </section>
  );
}

export function ReturnTab(): React.JSX.Element {
  const s = useEquipment();
  const isSupervisor = useSession((x) => x.state?.cashier?.role === 'supervisor');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [s.lookup?.serial]);
  const found = s.lookup;
  const unit = found?.unit ?? null;
  const out = unit && !unit.returnedOn;
  const q = s.quote;

  return (
    <div className="eq-return">
      {s.posted ? (
        <Posted />
      ) : (
        <>
          <div className="eq-scanline">
            <input
              ref={input}
              className="search eq-search"
              value={s.serialInput}
              placeholder="Scan the serial (S/N or MAC) of the unit the customer brought"
              aria-label="Serial"
              spellCheck={false}
              autoComplete="off"
              data-testid="eq-return-serial"
              onChange={(e) => s.setSerialInput(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' || e.defaultPrevented) return;
                e.preventDefault();
                if (found && out && s.serialInput === found.serial) {
                  if (s.panel === 'exchange') void s.takeExchange();
                  else if (s.panel === 'none') void s.takeReturn();
                } else void s.lookupSerial(s.serialInput);
              }}
            />
          </div>
          {s.lookupError && (
            <div className="banner bad" role="alert" data-testid="eq-lookup-error">
              {s.lookupError}
            </div>
          )}
          {!found && !s.lookupError && (
            <p className="muted">
              Scan the unit’s serial label: the counter finds the account and the order it was handed over on.
              Alt+T orders a line test for the open account.
            </p>
          )}
          {found && (
            <div className="eq-unit" data-testid="eq-unit">
              <div className="eq-unit-card">
                <div className="eq-unit-title">
                  {found.item?.name ?? 'Unknown item'} <span className="mono">{found.serial}</span>
                </div>
                {unit ? (
                  <dl className="figures">
                    <dt>Account</dt>
                    <dd data-testid="eq-unit-account">
                      {unit.accountNumber} {found.accountName ? `· ${found.accountName}` : ''}
                    </dd>
                    <dt>{unit.mode === 'lease' ? 'Leased' : 'Bought'}</dt>
                    <dd>{unit.handedOverOn}</dd>
                    {unit.receiptNumber && (
                      <>
                        <dt>Receipt</dt>
                        <dd>{unit.receiptNumber}</dd>
                      </>
                    )}
                    {unit.mode === 'buy' ? (
                      <>
                        <dt>Paid</dt>
                        <dd>
                          {money(unit.pricePaidCents)} + tax {money(unit.taxPaidCents)}
                        </dd>
                      </>
                    ) : (
                      <>
                        <dt>Monthly charge</dt>
                        <dd>{money(unit.monthlyCents)}</dd>
                        <dt>Deposit held</dt>
                        <dd>{money(unit.leaseDepositCents)}</dd>
                      </>
                    )}
                    {unit.returnedOn && (
                      <>
                        <dt>Returned</dt>
                        <dd className="bad">
                          {unit.returnedOn} ({unit.returnCondition?.replace('_', ' ')})
                        </dd>
                      </>
                    )}
                  </dl>
                ) : (
                  <p data-testid="eq-unit-stock">
                    Not on any account: {found.stock?.status.replace('_', ' ')} at {found.stock?.branch}.
                  </p>
                )}
                {out && (
                  <>
                    <span className="label">Condition it came back in</span>
                    <div className="eq-conditions" role="radiogroup" aria-label="Condition">
                      {CONDITIONS.map((c) => (
                        <label
                          key={c.value}
                          className={s.condition === c.value ? 'eq-choice on' : 'eq-choice'}
                        >
                          <input
                            type="radio"
                            name="condition"
                            checked={s.condition === c.value}
                            onChange={() => s.setCondition(c.value)}
                            data-testid={`eq-condition-${c.value}`}
                          />
                          <kbd>Alt+{c.key}</kbd> {c.label}
                        </label>
                      ))}
                    </div>
                  </>
                )}
                {found.conflicts.map((c) => (
                  <div key={c.assignmentId} className="banner bad" data-testid="eq-conflict">
                    The server refused the handover of this unit to account {c.accountNumber}
                    {c.receiptNumber ? ` (receipt ${c.receiptNumber})` : ''}: {c.message}
                  </div>
                ))}
                {found.tickets.map((t) => (
                  <div key={t.id} className="eq-ticket" data-testid="eq-ticket-row">
                    <b>{t.testKind === 'device' ? 'Device test' : 'Line test'}</b> · {t.symptom} ·{' '}
                    {t.status === 'open' ? (
                      <span>
                        result:{' '}
                        {(['no_fault', 'line_fault', 'device_fault'] as const).map((r) => (
                          <button
                            key={r}
                            type="button"
                            className="secondary"
                            onClick={() => void s.recordResult(t.id, r)}
                            data-testid={`eq-result-${r}`}
                          >
                            {RESULT_WORDS[r]}
                          </button>
                        ))}
                      </span>
                    ) : (
                      <b>{RESULT_WORDS[t.result ?? ''] ?? t.result}</b>
                    )}
                  </div>
                ))}
              </div>
              {out && (
                <div className="eq-unit-action">
                  {s.panel === 'none' && q && (
                    <>
                      <QuoteLines lines={q.lines} />
                      <p className="eq-reason" data-testid="eq-return-reason">
                        {q.reason}
                      </p>
                      {q.needsSupervisor && !q.withinWindow && q.lines.length === 0 ? (
                        <div className="eq-net warn" data-testid="eq-return-net">
                          <span className="label">Refund with a supervisor’s approval</span>
                          <Money cents={q.refundIfApprovedCents} symbol className="eq-net-amount" />
                        </div>
                      ) : (
                        <div className="eq-net" data-testid="eq-return-net">
                          <span className="label">
                            {q.netCents > 0
                              ? 'Refund'
                              : q.netCents < 0
                                ? 'Charged to the account'
                                : 'Nothing to pay'}
                          </span>
                          <Money cents={Math.abs(q.netCents)} symbol className="eq-net-amount" />
                        </div>
                      )}
                      {(q.netCents > 0 || q.refundIfApprovedCents > 0) && (
                        <label className="field">
                          <span className="label">Refund by</span>
                          <select
                            value={s.refundMethod}
                            onChange={(e) => s.setRefundMethod(e.currentTarget.value as RefundMethod)}
                            data-testid="eq-refund-method"
                          >
                            {METHODS.map((m) => (
                              <option key={m.value} value={m.value}>
                                {m.label}
                              </option>
                            ))}
                          </select>
                        </label>
                      )}
                    </>
                  )}
                  {(q?.needsSupervisor || (s.panel === 'exchange' && s.exchange.quote?.needsSupervisor)) &&
                    !isSupervisor && (
                      <ApprovalFields
                        value={s.approval}
                        onChange={s.setApproval}
                        errors={s.flowErrors}
                        label={
                          s.panel === 'exchange'
                            ? 'Supervisor approval: goodwill exchange'
                            : 'Supervisor approval: refund after the return window'
                        }
                      />
                    )}
                  {s.panel === 'exchange' && <ExchangePanel />}
                  {s.panel === 'ticket' && <TicketPanel />}
                  {s.flowError && (
                    <div className="banner bad" role="alert" data-testid="eq-flow-error">
                      {s.flowError}
                    </div>
                  )}
                  {s.panel === 'none' && (
                    <div className="eq-actions">
                      <button
                        type="button"
                        className="primary"
                        disabled={!q || s.busy}
                        onClick={() => void s.takeReturn()}
                        data-testid="eq-take-return"
                      >
                        Take the return <kbd>Enter</kbd>
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => s.openPanel('exchange')}
                        data-testid="eq-open-exchange"
                      >
                        <kbd>Alt+X</kbd> Exchange
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => s.openPanel('ticket')}
                        data-testid="eq-open-ticket"
                      >
                        <kbd>Alt+T</kbd> Order a test
                      </button>
                    </div>
                  )}
                </div>
              )}
            </div>
          )}
          {!found && s.panel === 'ticket' && <TicketPanel />}
        </>
      )}
    </div>
  );
}
