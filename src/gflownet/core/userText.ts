/**
 * User text (column and node names, cell values, file names, command-line words) inside our
 * messages. Such text can hold anything: a newline that makes one error look like two, an ESC
 * that drives the terminal, U+202E that reverses what follows, a NUL, or 50 MB in one name. Every
 * message shows it escaped and cut short, so an error stays one readable, bounded line.
 */

/** C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and isolates, BOM. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0000': '\\0', '\u001b': '\\e' };

function escapeChar(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control or direction-changing character written as an escape (`\n`, `\e`, `\u202e`). */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** At most `max` characters: the start, `…`, and how much was left out. Never splits a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** User text as it appears in a message: in double quotes, escaped, at most `max` characters of it. */
export function quoteUserText(text: string, max = 80): string {
  // Escaping first would let a long escape run hide the cut; cutting first keeps the bound.
  return `"${escapeUnsafe(truncateText(text, max)).replace(/"/g, '\\"')}"`;
}

/**
 * A whole message made safe for one line of a terminal or a UI banner: escaped, and when longer
 * than `max`, its start and end with how much was left out between (the end often says what
 * to do).
 */
export function boundedLine(text: string, max = 1000): string {
  const safe = escapeUnsafe(text);
  if (safe.length <= max) return safe;
  const head = Math.floor(max * 0.7);
  const tail = max - head;
  return `${safe.slice(0, head)}… (${(safe.length - max).toLocaleString('en-US')} characters left out) …${safe.slice(safe.length - tail)}`;
}
