/** Unreturned leased equipment on the account, the branch stock, and receiving a shipment (supervisor). */
import { useEffect } from 'react';

import { Field } from '../../components/Field.js';
import { Money } from '../../components/Money.js';
import { ReceiptPaper } from '../../components/ReceiptPaper.js';
import { useCounter } from '../../stores/counter.js';
import { usePick } from '../../stores/pick.js';
import { useEquipment } from './store.js';

const STATUS_WORDS: Record<string, string> = {
  in_stock: 'In stock',
  assigned: 'On an account',
  returned: 'Returned (to inspect)',
  defective: 'Defective',
};

export function UnreturnedTab(): React.JSX.Element {
  const account = useCounter((s) => s.account);
  const u = useEquipment((s) => s.unreturned);
  if (!account) return <p className="muted">Open the customer’s account first (F1).</p>;
  if (!u) return <p className="muted">Loading…</p>;
  return (
    <div className="eq-unreturned" data-testid="eq-unreturned">
      <p>
        Leased equipment on {account.name}’s account that has not come back, as of {u.asOf}, and the fee each
        carries if it is not returned.
      </p>
      {u.units.length === 0 ? (
        <div className="banner ok">Nothing leased is out: no unreturned-equipment fee.</div>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th>Item</th>
              <th>Serial</th>
              <th>Leased on</th>
              <th className="num">Days out</th>
              <th className="num">Deposit held</th>
              <th className="num">Fee if not returned</th>
            </tr>
          </thead>
          <tbody>
            {u.units.map((x) => (
              <tr key={`${x.sku}-${x.serial ?? x.handedOverOn}`}>
                <td>{x.name}</td>
                <td className="mono">{x.serial ?? '—'}</td>
                <td>{x.handedOverOn}</td>
                <td className="num">{x.daysOut}</td>
                <td className="num">
                  <Money cents={x.depositHeldCents} symbol />
                </td>
                <td className="num">
                  <Money cents={x.feeCents} symbol />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={4}>
                <b>Total</b>
              </td>
              <td className="num">
                <Money cents={u.depositsHeldCents} symbol />
              </td>
              <td className="num" data-testid="eq-unreturned-total">
                <b>
                  <Money cents={u.totalFeeCents} symbol />
                </b>
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      {u.units.length > 0 && (
        <p>
          After the deposits held, <b>{<Money cents={Math.max(0, u.netAfterDepositsCents)} symbol />}</b>{' '}
          would remain due. Scan a unit’s serial to take it back (Alt+R).
        </p>
      )}
    </div>
  );
}

export function StockTab(): React.JSX.Element {
  const stock = useEquipment((s) => s.stock);
  const sku = useEquipment((s) => s.stockSku);
  const eq = useEquipment.getState();
  if (!stock) return <p className="muted">Loading…</p>;
  return (
    <div className="eq-stock" data-testid="eq-stock">
      <p className="muted">
        Branch {stock.branch}
        {stock.asOf ? `, as of the last sync ${new Date(stock.asOf).toLocaleString()}` : ''}, with what this
        counter did since. Choose an item to see its serials.
      </p>
      <table className="list">
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">In stock</th>
            <th className="num">On accounts</th>
            <th className="num">Returned</th>
            <th className="num">Defective</th>
          </tr>
        </thead>
        <tbody>
          {stock.bySku.map((r) => (
            <tr
              key={r.sku}
              className={r.sku === sku ? 'selected' : ''}
              onClick={() => void eq.loadStock(r.sku === sku ? undefined : r.sku)}
              data-testid={`eq-stock-${r.sku}`}
            >
              <td>
                <b>{r.name}</b> <span className="muted small">{r.sku}</span>
              </td>
              <td className="num">{r.serialized ? r.inStock : `${String(r.onHand ?? 0)} on hand`}</td>
              <td className="num">{r.serialized ? r.assigned : '—'}</td>
              <td className="num">{r.serialized ? r.returned : '—'}</td>
              <td className="num">{r.serialized ? r.defective : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {sku && (
        <table className="list eq-serials">
          <thead>
            <tr>
              <th>Serial</th>
              <th>Status</th>
              <th>Account</th>
            </tr>
          </thead>
          <tbody>
            {stock.units
              .filter((u) => u.sku === sku)
              .map((u) => (
                <tr key={u.serial}>
                  <td className="mono">{u.serial}</td>
                  <td>
                    {STATUS_WORDS[u.status] ?? u.status}
                    {u.pending ? ' · not synced yet' : ''}
                  </td>
                  <td>{u.accountNumber ?? ''}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function ReceiveTab(): React.JSX.Element {
  const { catalog, receive: r } = usePick(useEquipment, 'catalog', 'receive');
  const errors = useEquipment((s) => s.receiveErrors);
  const { receiveError: error, received } = usePick(useEquipment, 'receiveError', 'received');
  const eq = useEquipment.getState();
  useEffect(() => {
    if (!r.sku && catalog[0]) eq.setReceive({ sku: catalog[0].item.sku });
  }, [catalog, r.sku, eq]);
  const item = catalog.find((c) => c.item.sku === r.sku)?.item;
  const submit = (): void => void eq.submitReceive();
  return (
    <div className="eq-receive" data-testid="eq-receive">
      <div className="eq-receive-form">
        <p className="muted">
          Receive a shipment into branch stock: choose the item, type the packing-slip number, then scan each
          unit’s serial.
        </p>
        <div className="row">
          <label className="field">
            <span className="label">Item</span>
            <select
              value={r.sku}
              onChange={(e) => eq.setReceive({ sku: e.currentTarget.value, serials: [] })}
              data-testid="eq-receive-sku"
            >
              {catalog.map((c) => (
                <option key={c.item.sku} value={c.item.sku}>
                  {c.item.name} ({c.item.sku})
                </option>
              ))}
            </select>
          </label>
          <Field
            label="Shipment / packing slip"
            value={r.reference}
            onChange={(v) => eq.setReceive({ reference: v })}
            testId="eq-receive-reference"
            error={errors.reference}
            onEnter={submit}
          />
          {item && !item.serialized && (
            <Field
              label="Units received"
              value={r.quantity}
              onChange={(v) => eq.setReceive({ quantity: v })}
              inputMode="numeric"
              testId="eq-receive-quantity"
              error={errors.quantity}
              onEnter={submit}
            />
          )}
        </div>
        {item?.serialized && (
          <>
            <h3>
              Scanned: {r.serials.length} {r.serials.length === 1 ? 'unit' : 'units'}
            </h3>
            <ol className="eq-scanned" data-testid="eq-receive-serials">
              {r.serials.map((s, i) => (
                <li key={`${s}-${String(i)}`} className={errors[`serials.${String(i)}`] ? 'bad' : ''}>
                  <span className="mono">{s}</span>
                  {errors[`serials.${String(i)}`] && (
                    <span className="error"> {errors[`serials.${String(i)}`]}</span>
                  )}
                  <button
                    type="button"
                    className="remove"
                    onClick={() => eq.setReceive({ serials: r.serials.filter((_, j) => j !== i) })}
                  >
                    ✕
                  </button>
                </li>
              ))}
              {r.serials.length === 0 && <li className="muted">Scan the first serial.</li>}
            </ol>
          </>
        )}
        {error && (
          <div className="banner bad" role="alert" data-testid="eq-receive-error">
            {error}
          </div>
        )}
        <button type="button" className="primary big" onClick={submit} data-testid="eq-receive-submit">
          Receive into stock <kbd>Enter</kbd>
        </button>
      </div>
      {received && <ReceiptPaper lines={received.lines} testId="eq-received-slip" />}
    </div>
  );
}
