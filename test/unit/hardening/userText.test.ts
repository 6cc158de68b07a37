/**
 * Issue 16, item 12: the helpers every message uses for user text. The corpus checks them in the
 * readers' and the CLI's real messages; these pin the edges: surrogate pairs at the cut, quotes
 * inside names, the bound on a whole message, and that no unsafe character survives.
 */
import { describe, expect, it } from 'vitest';
import { DagflowError, userMessage } from '../../../src/gflownet/core/errors.ts';
import { boundedLine, escapeUnsafe, quoteUserText, truncateText } from '../../../src/gflownet/core/userText.ts';

describe('user text in messages', () => {
  it('escapes controls, ESC, NUL, line separators and direction overrides', () => {
    expect(escapeUnsafe('a\nb\rc\td\u0000e\u001b[31mf\u202eg\u2028h\u0085i\ufeff')).toBe(
      'a\\nb\\rc\\td\\0e\\e[31mf\\u202eg\\u2028h\\u0085i\\ufeff',
    );
    expect(escapeUnsafe('Ünïcödé names, emoji 🧪 and CJK 名前 stay')).toBe('Ünïcödé names, emoji 🧪 and CJK 名前 stay');
  });

  it('quotes, escapes inner quotes and cuts long text without splitting a surrogate pair', () => {
    expect(quoteUserText('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteUserText('x'.repeat(100), 10)).toBe('"xxxxxxxxxx… (100 characters)"');
    const cut = truncateText(`${'a'.repeat(9)}🧪🧪`, 10);
    expect(cut.startsWith('a'.repeat(9) + '…')).toBe(true);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('a whole message stays one bounded line, keeping its start and its end', () => {
    const line = boundedLine(`start ${'y\n'.repeat(10_000)} end`, 200);
    expect(line.length).toBeLessThan(260);
    expect(line).not.toContain('\n');
    expect(line.startsWith('start ')).toBe(true);
    expect(line.endsWith(' end')).toBe(true);
    expect(line).toContain('characters left out');
  });

  it('DagflowError and internal errors print one escaped line', () => {
    const e = new DagflowError('BAD_GRAPH', 'unknown node "a\nb"', { file: '/tmp/x\u001b.csv', column: 'c\u202ed' }, 'fix\nit');
    expect(e.toUserMessage()).toBe('/tmp/x\\e.csv, column "c\\u202ed": unknown node "a\\nb" — fix\\nit');
    expect(userMessage(new Error('boom\n  at evil'))).toBe('internal error: boom\\n  at evil');
  });
});
