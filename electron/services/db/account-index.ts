/**
 * What the name/address/phone index (FTS5 table accounts_fts) holds for an account row, as SQL
 * expressions over the row (`new.`, `old.` or a table alias). The triggers, the one-statement rebuild
 * after a first pull and any migration use these, so a 'delete' always removes exactly the tokens that
 * were inserted.
 *
 * - name: the name, plus, when it has an apostrophe, the name without it, so "obrien" finds O’Brien.
 * - phone: the 10 digits, the last 7 and the last 4 as tokens of their own, so "555-0142" and "0142"
 *   find (217) 555-0142: a prefix index only ever matches the start of a token.
 */
export function indexedName(row: string): string {
  const squashed = `replace(replace(${row}.name, '''', ''), '’', '')`;
  return `CASE WHEN ${squashed} <> ${row}.name THEN ${row}.name || ' ' || ${squashed} ELSE ${row}.name END`;
}

export function indexedPhone(row: string): string {
  const d = `${row}.phone_digits`;
  return `CASE WHEN length(${d}) > 7 THEN ${d} || ' ' || substr(${d}, -7) || ' ' || substr(${d}, -4) ELSE ${d} END`;
}

/** The column values for an INSERT INTO accounts_fts(rowid, name, address, phone) … of `row`. */
export function indexedValues(row: string): string {
  return `${row}.rowid, ${indexedName(row)}, ${row}.service_address, ${indexedPhone(row)}`;
}

/** Empties the index and fills it from every account row in one statement. */
export const REBUILD_ACCOUNT_INDEX_SQL = [
  `INSERT INTO accounts_fts(accounts_fts) VALUES ('delete-all')`,
  `INSERT INTO accounts_fts(rowid, name, address, phone) SELECT ${indexedValues('a')} FROM accounts a`,
];
