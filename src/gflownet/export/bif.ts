/**
 * BIF, the Bayesian Interchange Format (Cozman's BIF 0.15 text syntax, as bnlearn's write.bif /
 * read.bif and pgmpy's BIFReader use it):
 *
 *   network dagflow_consensus {
 *   }
 *   variable B {
 *     type discrete [ 2 ] { yes, no };
 *   }
 *   probability ( B | A ) {
 *     (low) 0.25, 0.75;
 *     (high) 0.9, 0.1;
 *   }
 *
 * A probability block without parents holds one `table` line. Names and levels are written bare,
 * so they must be words (letters, digits, _ . -); others get a clear error naming XMLBIF, which
 * escapes anything. `readBif` parses the same syntax back (the round-trip tests use it).
 */
import { DagflowError } from '../core/errors.ts';
import { checkNetwork, formatProbability, type DiscreteNetwork } from './consensusNetwork.ts';

const WORD = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function word(text: string, what: string): string {
  if (!WORD.test(text))
    throw new DagflowError(
      'BAD_GRAPH',
      `BIF cannot hold the ${what} ${JSON.stringify(text)}: names and levels must be letters, digits, "_", "." or "-"`,
      { flag: '--format' },
      'export XMLBIF instead (it escapes any name), or rename the column or level',
    );
  return text;
}

/** Each parent configuration's levels, first parent most significant (the order of the tables). */
function* configurations(levelCounts: readonly number[]): Generator<number[]> {
  const c = new Array<number>(levelCounts.length).fill(0);
  for (;;) {
    yield [...c];
    let k = levelCounts.length - 1;
    while (k >= 0 && ++c[k]! === levelCounts[k]!) c[k--] = 0;
    if (k < 0) return;
  }
}

export function writeBif(net: DiscreteNetwork): string {
  checkNetwork(net, 'the network to write', 1e-9);
  const lines = [`network ${word(net.name, 'network name')} {`, '}'];
  for (const v of net.variables) {
    lines.push(
      `variable ${word(v.name, 'variable name')} {`,
      `  type discrete [ ${v.levels.length} ] { ${v.levels.map((l) => word(l, `level of ${v.name}`)).join(', ')} };`,
      '}',
    );
  }
  for (const v of net.variables) {
    const r = v.levels.length;
    const row = (c: number) => Array.from(v.table.subarray(c * r, (c + 1) * r), formatProbability).join(', ');
    if (v.parents.length === 0) {
      lines.push(`probability ( ${v.name} ) {`, `  table ${row(0)};`, '}');
      continue;
    }
    lines.push(`probability ( ${v.name} | ${v.parents.map((p) => net.variables[p]!.name).join(', ')} ) {`);
    let c = 0;
    for (const config of configurations(v.parents.map((p) => net.variables[p]!.levels.length)))
      lines.push(`  (${config.map((l, m) => net.variables[v.parents[m]!]!.levels[l]).join(', ')}) ${row(c++)};`);
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}

/** Tokens: words (names, levels, numbers), quoted strings (property values) and the punctuation { } [ ] ( ) | , ; — comments skipped. */
function tokenize(text: string, file: string): Array<{ t: string; line: number }> {
  const out: Array<{ t: string; line: number }> = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"[^"\n]*"|[A-Za-z0-9_.+-]+|[{}[\]()|,;]|\s+|./g;
  let line = 1;
  for (const m of text.matchAll(re)) {
    const s = m[0];
    if (/^\s+$/.test(s) || s.startsWith('//') || s.startsWith('/*')) {
      line += s.split('\n').length - 1;
      continue;
    }
    if (s.length === 1 && !/[A-Za-z0-9_.+\-{}[\]()|,;]/.test(s))
      throw new DagflowError('BAD_GRAPH', `unexpected character ${JSON.stringify(s)} in a BIF file (line ${line})`, { file });
    out.push({ t: s, line });
  }
  return out;
}

/** Reads a BIF network (the subset writeBif writes, plus comments and `property` lines, which are skipped). */
export function readBif(text: string, file = 'network.bif'): DiscreteNetwork {
  const tokens = tokenize(text, file);
  let at = 0;
  const peek = () => tokens[at]?.t;
  const fail = (what: string): never => {
    throw new DagflowError('BAD_GRAPH', `${what} in a BIF file (line ${tokens[Math.min(at, tokens.length - 1)]?.line ?? 1})`, { file });
  };
  const next = () => tokens[at++]?.t ?? fail('unexpected end of file');
  const expect = (t: string) => (next() === t ? undefined : fail(`expected "${t}" near "${tokens[at - 1]?.t}"`));
  const list = (close: string): string[] => {
    const items = [next()];
    while (peek() === ',') {
      at++;
      items.push(next());
    }
    expect(close);
    return items;
  };
  const skipBlock = () => {
    while (peek() !== '}') next();
    at++;
  };
  let name = 'network';
  const variables: DiscreteNetwork['variables'] = [];
  const byName = new Map<string, number>();
  const pending: Array<{ child: string; parents: string[]; rows: Array<{ config: string[] | null; values: number[] }> }> = [];
  while (at < tokens.length) {
    const keyword = next();
    if (keyword === 'network') {
      name = next();
      expect('{');
      skipBlock();
    } else if (keyword === 'variable') {
      const v = next();
      if (byName.has(v)) fail(`variable ${v} is declared twice`);
      expect('{');
      let levels: string[] | null = null;
      while (peek() !== '}') {
        const k = next();
        if (k === 'type') {
          if (next() !== 'discrete') fail(`variable ${v} is not discrete`);
          expect('[');
          const n = Number(next());
          expect(']');
          expect('{');
          levels = list('}');
          expect(';');
          if (levels.length !== n) fail(`variable ${v} declares ${n} levels but lists ${levels.length}`);
        } else while (next() !== ';');
      }
      at++;
      if (!levels) fail(`variable ${v} has no type line`);
      byName.set(v, variables.length);
      variables.push({ name: v, levels: levels!, parents: [], table: new Float64Array(0) });
    } else if (keyword === 'probability') {
      expect('(');
      const child = next();
      let parents: string[] = [];
      if (peek() === '|') {
        at++;
        parents = list(')');
      } else expect(')');
      expect('{');
      const rows: Array<{ config: string[] | null; values: number[] }> = [];
      while (peek() !== '}') {
        const k = next();
        if (k === 'table') rows.push({ config: null, values: list(';').map(Number) });
        else if (k === '(') {
          const config = list(')');
          rows.push({ config, values: list(';').map(Number) });
        } else fail(`unsupported entry "${k}" in the table of ${child}`);
      }
      at++;
      pending.push({ child, parents, rows });
    } else fail(`unexpected "${keyword}"`);
  }
  for (const p of pending) {
    const j = byName.get(p.child) ?? fail(`probability of an undeclared variable ${p.child}`);
    const v = variables[j]!;
    const parents = p.parents.map((n) => byName.get(n) ?? fail(`${p.child} has an undeclared parent ${n}`));
    // Parents are kept in file order for reading the rows, then sorted (and the table permuted) to the ascending order DiscreteNetwork uses.
    const counts = parents.map((i) => variables[i]!.levels.length);
    const q = counts.reduce((a, b) => a * b, 1);
    const r = v.levels.length;
    const table = new Float64Array(q * r).fill(NaN);
    for (const row of p.rows) {
      if (row.values.length !== (row.config ? r : q * r) || row.values.some((x) => !Number.isFinite(x)))
        fail(`a row of the table of ${p.child} has ${row.values.length} numbers`);
      if (!row.config) {
        table.set(row.values);
        continue;
      }
      let c = 0;
      row.config.forEach((level, m) => {
        const l = variables[parents[m]!]!.levels.indexOf(level);
        if (l < 0) fail(`${level} is not a level of ${variables[parents[m]!]!.name}`);
        c = c * counts[m]! + l;
      });
      table.set(row.values, c * r);
    }
    if (table.some(Number.isNaN)) fail(`the table of ${p.child} misses parent configurations`);
    const order = parents.map((_, m) => m).sort((a, b) => parents[a]! - parents[b]!);
    v.parents = order.map((m) => parents[m]!);
    v.table = permuteParents(table, counts, order, r);
  }
  const net = { name, variables };
  checkNetwork(net, file, 1e-9);
  return net;
}

/** The table with its parents reordered: new parent m is old parent order[m]. */
export function permuteParents(table: Float64Array, counts: readonly number[], order: readonly number[], r: number): Float64Array {
  const out = new Float64Array(table.length);
  const newCounts = order.map((m) => counts[m]!);
  let c = 0;
  for (const config of configurations(newCounts)) {
    const old = new Array<number>(counts.length);
    order.forEach((m, k) => (old[m] = config[k]!));
    let oc = 0;
    old.forEach((l, m) => (oc = oc * counts[m]! + l));
    out.set(table.subarray(oc * r, (oc + 1) * r), c * r);
    c++;
  }
  return out;
}
