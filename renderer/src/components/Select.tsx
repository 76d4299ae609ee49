/** A select from a list of choices: each its value and the words the CSR reads. */
export type Choice = readonly [value: string | number, words: string];

/** Choices whose words are their values (baud rates, framings, bundle names). */
export const asChoices = (values: readonly (string | number)[]): Choice[] =>
  values.map((v) => [v, String(v)]);

export function Select({
  value,
  choices,
  onChange,
  testId,
  autoFocus,
}: {
  value: string | number;
  choices: readonly Choice[];
  onChange(value: string): void;
  testId?: string | undefined;
  autoFocus?: boolean;
}): React.JSX.Element {
  return (
    <select
      value={value}
      autoFocus={autoFocus}
      data-testid={testId}
      onChange={(e) => onChange(e.currentTarget.value)}
    >
      {choices.map(([v, words]) => (
        <option key={v} value={v}>
          {words}
        </option>
      ))}
    </select>
  );
}
