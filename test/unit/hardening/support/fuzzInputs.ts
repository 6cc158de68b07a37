/**
 * Bounded random inputs for the readers a user's file reaches: CSV text (mostly well-formed
 * tables with a few random edits, or token soup), edge lists, DOT, GraphML, adjacency
 * matrices and damaged session files. Shared by the fuzz tests (fast-check properties) and
 * `npm run bench -- robustness` (which samples them and counts the outcomes).
 */
import fc from 'fast-check';

export const tokens = (alphabet: readonly string[], maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((t) => t.join(''));

export const CSV_TOKENS = [
  'a',
  'b',
  'Raf',
  'x',
  '1',
  '2',
  '1.5',
  '-0.25',
  '1e3',
  '1,5',
  'NA',
  '?',
  '',
  ' ',
  ',',
  ',',
  ';',
  '\t',
  '"',
  '""',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '\ufeff',
  'é',
  '\u0000',
  '#REF!',
  'yes',
  'no',
  'INT',
  'Inf',
  '0x1F',
];
/** Values a column draws from: decimals, labels, small whole numbers, or anything (missing, quotes, stray text). */
export const CELL_POOLS = [
  ['1.5', '-0.25', '2.75', '1e3', '0.5', '3.125', '-4.5', '7.75'],
  ['yes', 'no', 'maybe'],
  ['1', '2', '3'],
  ['1.5', 'yes', 'NA', '', '"q, x"', '"a""b"', '#REF!', '2', ' 3.5 '],
];

/** A table that is mostly well formed (so that many inputs load), then a few random edits. */
export const csvTable: fc.Arbitrary<string> = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    rows: fc.integer({ min: 0, max: 8 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n'),
    pools: fc.array(fc.nat({ max: CELL_POOLS.length - 1 }), { minLength: 5, maxLength: 5 }),
    picks: fc.array(fc.nat({ max: 99 }), { minLength: 40, maxLength: 40 }),
    names: fc.array(fc.constantFrom('a', 'b', 'c', 'Raf', 'Mek', ' d ', '"e,f"'), { minLength: 5, maxLength: 5 }),
    edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...CSV_TOKENS)), { maxLength: 2 }),
  })
  .map(({ columns, rows, delimiter, newline, pools, picks, names, edits }) => {
    const lines = [names.slice(0, columns).join(delimiter)];
    for (let r = 0; r < rows; r++) {
      const row = Array.from({ length: columns }, (_, c) => {
        const pool = CELL_POOLS[pools[c]!]!;
        return pool[picks[(r * columns + c) % picks.length]! % pool.length];
      });
      lines.push(row.join(delimiter));
    }
    let text = lines.join(newline) + newline;
    for (const [at, token] of edits) {
      const k = at % (text.length + 1);
      text = text.slice(0, k) + token + text.slice(k);
    }
    return text;
  });

/** CSV-like text: tables with edits, or token soup. */
export const csvText: fc.Arbitrary<string> = fc.oneof(csvTable, tokens(CSV_TOKENS, 120));

/** Edge lists: a header (right, reversed, extra column, wrong, none), then token soup. */
export const edgeListText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('from,to\n', 'to,from\n', 'from;to;weight\n', 'x,y\n', ''),
    tokens(['A', 'B', 'C', 'D', 'E', ' ', ',', ';', '"', '\n', '\r\n', 'from', 'to', '1'], 60),
  )
  .map(([head, body]) => head + body);

/** Well-formed text from `build`, then up to three random insertions of `noise` tokens. */
export const edited = (build: fc.Arbitrary<string>, noise: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(build, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...noise)), { maxLength: 3 })).map(([text, edits]) => {
    for (const [at, token] of edits) {
      const k = at % (text.length + 1);
      text = text.slice(0, k) + token + text.slice(k);
    }
    return text;
  });
const NODES = ['A', 'B', 'C', 'D', 'Q'];
const edgePairs = fc.array(fc.tuple(fc.constantFrom(...NODES), fc.constantFrom(...NODES)), { maxLength: 6 });

/** DOT: a digraph of random edges with edits, or token soup. */
export const dotText: fc.Arbitrary<string> = fc.oneof(
  edited(
    edgePairs.map((edges) => `digraph G {\n${edges.map(([a, b]) => `  ${a} -> ${b};`).join('\n')}\n}\n`),
    ['{', '}', '[', ']', '->', '--', ';', '"', '\n', '//c\n', '/*', '#', 'subgraph', '=', 'graph', 'label="x"'],
  ),
  tokens(
    [
      'digraph',
      'graph',
      'strict',
      ' G ',
      '{',
      '}',
      '[',
      ']',
      'A',
      'B',
      'C',
      'Q',
      '->',
      '--',
      ';',
      ',',
      '=',
      'label',
      '"x"',
      '"',
      '\n',
      ' ',
      '//c\n',
      '/*',
      '*/',
      '#',
      'subgraph',
      'node',
      'edge',
    ],
    60,
  ),
);

/** GraphML: nodes A–D and random edges, with edits. */
export const graphmlText: fc.Arbitrary<string> = edited(
  edgePairs.map(
    (edges) =>
      `<?xml version="1.0"?>\n<graphml>\n<graph edgedefault="directed">\n${['A', 'B', 'C', 'D'].map((n) => `<node id="${n}"/>`).join('\n')}\n${edges.map(([a, b]) => `<edge source="${a}" target="${b}"/>`).join('\n')}\n</graph>\n</graphml>\n`,
  ),
  ['<', '>', '/>', '"', '<node id="Z"/>', '<!--', '-->', '&bogus;', '&amp;', '</graph>', '<![CDATA[', '\n'],
);

/** A labelled 4 × 4 adjacency matrix of random edges, with edits. */
export const adjacencyText: fc.Arbitrary<string> = edited(
  fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }).map((bits) => {
    const names = ['A', 'B', 'C', 'D'];
    return (
      [',' + names.join(','), ...names.map((n, r) => [n, ...names.map((_, c) => (bits[r * 4 + c] && r !== c ? '1' : '0'))].join(','))].join(
        '\n',
      ) + '\n'
    );
  }),
  ['0', '1', '2', 'x', '', ',', ';', '\n', '"', 'E'],
);

const validSession = JSON.stringify({
  format: 'dagflow-session',
  version: 1,
  data: null,
  settings: { seed: 3 },
  runs: [
    {
      id: 'run-1',
      method: 'exact',
      columns: ['A', 'B'],
      settings: {},
      summary: {},
      edgeMarginals: [0, 0.5, 0.5, 0],
      samples: [{ edges: [['A', 'B']], logScore: -3 }],
    },
  ],
  views: {},
});

/** A valid session cut short, with a character replaced, replaced by other JSON, or with odd values. */
export const damagedSession: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: validSession.length }).map((n) => validSession.slice(0, n)),
  fc
    .tuple(fc.nat({ max: validSession.length - 1 }), fc.string({ maxLength: 3 }))
    .map(([k, s]) => validSession.slice(0, k) + s + validSession.slice(k + 1)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((v) =>
      validSession
        .replace('"views":{}', `"views":{},"extra":${JSON.stringify(v)}`)
        .replace('"settings":{}', `"settings":${JSON.stringify(v)}`),
    ),
);
