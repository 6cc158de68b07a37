/**
 * Missing values: which cells count as missing, and what to do with incomplete rows.
 * Nothing is imputed: rows are dropped (and the count reported) or the load is refused.
 */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'NA', 'NaN', '?'];

export type MissingPolicy = 'refuse' | 'drop';

/**
 * A matcher for trimmed cells. Tokens compare case-insensitively ("na", "nan", "NAN" are
 * missing too); the empty token also matches cells of blank space.
 */
export function missingMatcher(tokens: readonly string[] = DEFAULT_MISSING_TOKENS): (trimmedCell: string) => boolean {
  const set = new Set(tokens.map((t) => t.trim().toLowerCase()));
  const longest = Math.max(0, ...[...set].map((t) => t.length));
  // Most cells are longer than every token: skip the lower-casing for them.
  return (cell) => cell.length <= longest && set.has(cell.toLowerCase());
}

/**
 * Rows (0-based data-row indices) to keep: those with no missing value in any used column.
 * `missingRows[c]` lists, ascending, the data rows where used column c is missing.
 */
export function completeRows(rows: number, missingRows: readonly (readonly number[])[]): { keep: Int32Array; dropped: number } {
  const incomplete = new Uint8Array(rows);
  for (const list of missingRows) for (const r of list) incomplete[r] = 1;
  let dropped = 0;
  for (let r = 0; r < rows; r++) dropped += incomplete[r]!;
  const keep = new Int32Array(rows - dropped);
  let w = 0;
  for (let r = 0; r < rows; r++) if (!incomplete[r]) keep[w++] = r;
  return { keep, dropped };
}
