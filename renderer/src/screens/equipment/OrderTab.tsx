/** The order: find or scan items, buy or lease, quantities, a serial scanned per unit, figures, pay. */
import { useEffect, useRef } from 'react';

import { Money } from '../../components/Money.js';
import { useCounter } from '../../stores/counter.js';
import { usePick } from '../../stores/pick.js';
import { useEquipment, type DraftLine, type Mode } from './store.js';

function money(c: number): React.JSX.Element {
  return <Money cents={c} symbol />;
}

function LineCard({ line, index }: { line: DraftLine; index: number }): React.JSX.Element {
  const entry = useEquipment((s) => s.catalog.find((c) => c.item.sku === line.sku));
  const priced = useEquipment((s) => s.priced?.lines[index]);
  const { checked, focus, fieldErrors: errors } = usePick(useEquipment, 'checked', 'focus', 'fieldErrors');
  const eq = useEquipment.getState();
  const item = entry?.item;
  const qtyError = errors[`lines.${String(index)}.quantity`] ?? errors[`lines.${String(index)}.mode`];
  return (
    <li className="eq-line" data-testid={`eq-line-${String(index)}`}>
      <div className="eq-line-head">
        <span className="eq-line-no">{index + 1}</span>
        <span className="eq-line-name">{item?.name ?? line.sku}</span>
        <select
          value={line.mode}
          onChange={(e) => eq.setMode(line.key, e.currentTarget.value as Mode)}
          aria-label="Buy or lease"
          data-testid={`eq-line-${String(index)}-mode`}
        >
          {item?.salePriceCents !== null && <option value="buy">Buy</option>}
          {item?.leasePriceCents !== null && <option value="lease">Lease</option>}
        </select>
        <label className="eq-qty">
          <span className="label">Qty</span>
          <input
            value={line.quantity}
            inputMode="numeric"
            maxLength={3}
            onChange={(e) => eq.setQuantity(line.key, e.currentTarget.value)}
            aria-invalid={Boolean(qtyError)}
            data-testid={`eq-line-${String(index)}-qty`}
          />
        </label>
        <button
          type="button"
          className="remove"
          title="Remove this line"
          onClick={() => eq.remove(line.key)}
          data-testid={`eq-line-${String(index)}-remove`}
        >
          ✕
        </button>
      </div>
      {qtyError && (
        <p className="error" role="alert">
          {qtyError}
        </p>
      )}
      {priced && (
        <div className="eq-line-figures">
          {priced.mode === 'buy' ? (
            <>
              {priced.quantity} × {money(priced.unitCents)} = <b>{money(priced.extendedCents)}</b> · tax{' '}
              {money(priced.taxCents)}
            </>
          ) : (
            <>
              Deposit <b>{money(priced.depositCents)}</b> now · <b>{money(priced.monthlyCents)}</b> a month
              {priced.monthlyTaxCents > 0 ? ' (tax incl.)' : ''} on the bill
            </>
          )}
        </div>
      )}
      {line.serials.length > 0 && (
        <div className="eq-slots">
          {line.serials.map((serial, u) => {
            const problem = checked[`${String(index)}.${String(u)}`];
            const isFocus = focus?.line === index && focus.unit === u;
            return (
              <label
                key={u}
                className={`eq-slot ${problem ? 'bad' : serial ? 'ok' : ''} ${isFocus ? 'focus' : ''}`}
              >
                <span className="label">
                  {item?.serialPattern === '[0-9A-F]{12}' ? 'MAC' : 'Serial'} {u + 1}
                </span>
                <input
                  value={serial}
                  placeholder="scan the label"
                  onFocus={() => eq.setFocus({ line: index, unit: u })}
                  onChange={(e) => eq.setSerial(index, u, e.currentTarget.value.toUpperCase())}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void eq.pay();
                    }
                  }}
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={Boolean(problem)}
                  data-testid={`eq-serial-${String(index)}-${String(u)}`}
                />
                <span className="eq-slot-state" data-testid={`eq-serial-${String(index)}-${String(u)}-state`}>
                  {problem ? problem : serial ? '✓ in stock' : 'waiting for scan'}
                </span>
              </label>
            );
          })}
        </div>
      )}
    </li>
  );
}

export function OrderTab(): React.JSX.Element {
  const { query, results, selected, lines } = usePick(useEquipment, 'query', 'results', 'selected', 'lines');
  const { priced, orderError, busy } = usePick(useEquipment, 'priced', 'orderError', 'busy');
  const account = useCounter((s) => s.account);
  const eq = useEquipment.getState();
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  const showResults = query.trim() !== '' || lines.length === 0;
  const waiting = lines.reduce((n, l) => n + l.serials.filter((s) => s === '').length, 0);

  return (
    <div className="eq-order">
      <div className="eq-main">
        <input
          ref={search}
          className="search eq-search"
          value={query}
          placeholder="Scan a box barcode, or type name / SKU"
          aria-label="Find equipment"
          spellCheck={false}
          autoComplete="off"
          data-testid="eq-search"
          onChange={(e) => eq.search(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              eq.move(1);
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              eq.move(-1);
            } else if (e.key === 'Enter' && !e.defaultPrevented) {
              e.preventDefault();
              if (query.trim()) eq.addSelected();
              else if (lines.length) void eq.pay();
            }
          }}
        />
        {showResults && (
          <ul className="eq-results" data-testid="eq-results">
            {results.map((r, i) => (
              <li
                key={r.item.sku}
                className={i === selected && query.trim() ? 'selected' : ''}
                data-testid="eq-result"
              >
                <div className="eq-result-name">
                  <b>{r.item.name}</b>
                  <span className="small">
                    <span className="muted">{r.item.sku}</span> ·{' '}
                    <span className={r.available > 0 ? 'eq-avail' : 'eq-avail none'}>
                      {r.available} in stock
                    </span>
                  </span>
                </div>
                <div className="eq-result-price">
                  {r.item.salePriceCents !== null && <span>Buy {money(r.item.salePriceCents)}</span>}
                  {r.item.leasePriceCents !== null && (
                    <span>
                      Lease {money(r.item.leasePriceCents)}/mo
                      {r.item.leaseDepositCents ? (
                        <span className="muted small"> + {money(r.item.leaseDepositCents)} dep.</span>
                      ) : null}
                    </span>
                  )}
                </div>
                <div className="eq-result-add">
                  {r.item.salePriceCents !== null && (
                    <button type="button" className="secondary" onClick={() => eq.addItem(r.item.sku, 'buy')}>
                      Buy
                    </button>
                  )}
                  {r.item.leasePriceCents !== null && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => eq.addItem(r.item.sku, 'lease')}
                    >
                      Lease
                    </button>
                  )}
                </div>
              </li>
            ))}
            {results.length === 0 && <li className="muted">No item matches “{query}”.</li>}
          </ul>
        )}
        {lines.length > 0 && (
          <>
            <h3>
              Order · {lines.length} {lines.length === 1 ? 'line' : 'lines'}
              {waiting > 0 && (
                <span className="eq-waiting" data-testid="eq-waiting">
                  {' '}
                  · scan {waiting} serial{waiting === 1 ? '' : 's'} at handover
                </span>
              )}
            </h3>
            <ol className="eq-lines">
              {lines.map((l, i) => (
                <LineCard key={l.key} line={l} index={i} />
              ))}
            </ol>
          </>
        )}
      </div>
      <aside className="eq-totals" data-testid="eq-totals">
        <h3>Order total</h3>
        {!account && <div className="banner warn">No account open: quote only. F1 finds the customer.</div>}
        <dl className="figures">
          <dt>Sale items</dt>
          <dd>{money(priced?.subtotalCents ?? 0)}</dd>
          <dt>Tax</dt>
          <dd>{money(priced?.taxCents ?? 0)}</dd>
          <dt>Deposits</dt>
          <dd>{money(priced?.depositCents ?? 0)}</dd>
        </dl>
        <div className="eq-due" data-testid="eq-due">
          <span className="label">Due now</span>
          <Money cents={priced?.dueNowCents ?? 0} symbol className="huge" />
        </div>
        <div className="eq-monthly" data-testid="eq-monthly">
          <span className="label">New monthly charges</span>
          <span>
            <b>{money(priced?.newMonthlyCents ?? 0)}</b>
            {(priced?.newMonthlyTaxCents ?? 0) > 0 ? ' a month, tax incl.' : ' a month'}
          </span>
        </div>
        {orderError && (
          <div className="banner bad" role="alert" data-testid="eq-order-error">
            {orderError}
          </div>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() => void eq.printQuote()}
          disabled={lines.length === 0}
          data-testid="eq-print-quote"
        >
          <kbd>Alt+P</kbd> Print quote
        </button>
        <button
          type="button"
          className="primary big"
          onClick={() => void eq.pay()}
          disabled={lines.length === 0 || busy}
          data-testid="eq-pay"
        >
          {waiting > 0 ? 'Hand over' : priced?.dueNowCents === 0 ? 'Hand over' : 'Take payment'}{' '}
          <kbd>Alt+H</kbd>
        </button>
        <p className="muted small">
          Scan the box barcode to add an item; at handover scan each unit’s serial (S/N or MAC). Enter in an
          empty search box also hands over.
        </p>
      </aside>
    </div>
  );
}
