/** The receipt as the printer received it (decoded ESC/POS), on a paper-like strip. */
export function ReceiptPaper({ lines, testId }: { lines: string[]; testId?: string }): React.JSX.Element {
  // The feed before the cut is real paper, not content: do not show a screenful of blank lines.
  const shown = [...lines];
  while (shown.length && (shown.at(-1) === '' || shown.at(-1) === '--- cut ---')) shown.pop();
  return (
    <pre className="paper" data-testid={testId}>
      {shown.join('\n')}
    </pre>
  );
}
