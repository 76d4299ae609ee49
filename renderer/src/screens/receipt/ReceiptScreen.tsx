import { ReceiptPaper } from '../../components/ReceiptPaper.js';
import { useCounter } from '../../stores/counter.js';

export function ReceiptScreen(): React.JSX.Element {
  const receipt = useCounter((s) => s.receipt);
  if (!receipt) return <div />;
  return (
    <div className="receipt-screen" data-testid="receipt-screen">
      <div>
        <h2>Receipt {receipt.receiptNumber}</h2>
        {receipt.duplicate && <p className="banner warn">Reprinted as DUPLICATE.</p>}
        {receipt.printError && <p className="banner bad">Last print failed: {receipt.printError}</p>}
        <p className="muted">
          <kbd>F9</kbd> Reprint (DUPLICATE) · <kbd>Esc</kbd> Back
        </p>
      </div>
      <ReceiptPaper lines={receipt.lines} testId="receipt" />
    </div>
  );
}
