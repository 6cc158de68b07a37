/**
 * Exports that need the run's data: BIF and XMLBIF of the consensus DAG with posterior-mean
 * conditional tables (round trip through our readers, tables checked against counts made here
 * from the CSV rows), and the causal exports (effects CSV/JSON, the report's causal section)
 * checked against `dagflow effects`.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as effectsCommand, type DiscreteEffectJson } from '../../../src/cli/commands/effects.ts';
import { command as exportCommand } from '../../../src/cli/commands/export.ts';
import { command as mcmcCommand } from '../../../src/cli/commands/mcmc.ts';
import { readBif, writeBif } from '../../../src/gflownet/export/bif.ts';
import { consensusNetwork, type DiscreteNetwork } from '../../../src/gflownet/export/consensusNetwork.ts';
import { readXmlbif, writeXmlbif } from '../../../src/gflownet/export/xmlbif.ts';
import { loadDataset } from '../../../src/gflownet/data/load.ts';
import { loadRunDirectory } from '../../../src/gflownet/export/runDirectory.ts';
import { renderExport } from '../../../src/gflownet/export/renderExport.ts';
import { runCommand } from '../support/runCommand.ts';
import { root, tempDir } from './fixtures.ts';

const asia = path.join(root, 'test/fixtures/reference/asia_n1000.csv');
const lingauss = path.join(root, 'test/fixtures/reference/lingauss_d5_n100.csv');
const tmp = tempDir('dagflow-bif-');
afterAll(() => tmp.cleanup());

/** The asia truth as a 0/1 "marginal" matrix, so that the consensus DAG at 0.5 is the truth. */
function truthMarginals(columns: readonly string[]): Float64Array {
  const d = columns.length;
  const m = new Float64Array(d * d);
  const lines = readFileSync(path.join(root, 'test/fixtures/reference/asia_truth.csv'), 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [from, to] = line.split(',');
    m[columns.indexOf(from!) * d + columns.indexOf(to!)] = 1;
  }
  return m;
}

/** (N_jck + ess/(q r)) / (N_jc + ess/q), counted here from the CSV text. */
function countedTable(
  rows: string[][],
  header: string[],
  child: string,
  parents: string[],
  levels: Map<string, string[]>,
  ess: number,
): number[] {
  const r = levels.get(child)!.length;
  const q = parents.reduce((a, p) => a * levels.get(p)!.length, 1);
  const counts = new Array<number>(q * r).fill(0);
  for (const row of rows) {
    let c = 0;
    for (const p of parents) c = c * levels.get(p)!.length + levels.get(p)!.indexOf(row[header.indexOf(p)]!);
    counts[c * r + levels.get(child)!.indexOf(row[header.indexOf(child)]!)]!++;
  }
  const out: number[] = [];
  for (let c = 0; c < q; c++) {
    const n = counts.slice(c * r, (c + 1) * r).reduce((a, b) => a + b, 0);
    for (let k = 0; k < r; k++) out.push((counts[c * r + k]! + ess / (q * r)) / (n + ess / q));
  }
  return out;
}

function expectSameNetwork(a: DiscreteNetwork, b: DiscreteNetwork, tolerance: number): void {
  expect(b.variables.map((v) => [v.name, v.levels, v.parents])).toEqual(a.variables.map((v) => [v.name, v.levels, v.parents]));
  a.variables.forEach((v, j) => v.table.forEach((p, k) => expect(Math.abs(p - b.variables[j]!.table[k]!)).toBeLessThan(tolerance)));
}

describe('BIF and XMLBIF of the consensus DAG', () => {
  it('hold the posterior-mean tables (checked against counts of the CSV rows) and read back the same network', async () => {
    const dataset = await loadDataset(asia);
    const columns = [...dataset.columns];
    const net = consensusNetwork(columns, truthMarginals(columns), 0.5, dataset, 1);
    expect(net.variables.find((v) => v.name === 'either')!.parents.map((p) => columns[p])).toEqual(['tub', 'lung']);

    const text = readFileSync(asia, 'utf8').trim().split(/\r?\n/);
    const header = text[0]!.split(',');
    const rows = text.slice(1).map((l) => l.split(','));
    const levels = new Map(columns.map((c, j) => [c, [...dataset.discrete!.levels[j]!]]));
    for (const v of net.variables) {
      const expected = countedTable(
        rows,
        header,
        v.name,
        v.parents.map((p) => columns[p]!),
        levels,
        1,
      );
      expect(v.table.length).toBe(expected.length);
      v.table.forEach((p, k) => expect(Math.abs(p - expected[k]!)).toBeLessThan(1e-12));
    }

    const bif = writeBif(net);
    expect(bif).toMatch(/^network dagflow_consensus \{\n\}\nvariable asia \{\n {2}type discrete \[ 2 \] \{ no, yes \};\n\}/);
    expect(bif).toMatch(/probability \( either \| tub, lung \) \{\n {2}\(no, no\) [0-9.]+, [0-9.]+;\n {2}\(no, yes\)/);
    expectSameNetwork(net, readBif(bif), 1e-11);
    const xml = writeXmlbif(net);
    expect(xml).toMatch(/<DEFINITION>\n {2}<FOR>either<\/FOR>\n {2}<GIVEN>tub<\/GIVEN>\n {2}<GIVEN>lung<\/GIVEN>\n {2}<TABLE>/);
    expectSameNetwork(net, readXmlbif(xml), 1e-11);
  });

  it('the readers take parents in any order and reorder the tables (a hand-written network)', () => {
    const text = `// a comment
network toy {
  property "hand written";
}
variable A { type discrete [ 2 ] { a0, a1 }; }
variable B { type discrete [ 3 ] { b0, b1, b2 }; }
variable C { type discrete [ 2 ] { c0, c1 }; }
probability ( A ) { table 0.3, 0.7; }
probability ( B ) { table 0.2, 0.3, 0.5; }
probability ( C | B, A ) {
  (b0, a0) 0.1, 0.9;
  (b0, a1) 0.2, 0.8;
  (b1, a0) 0.3, 0.7;
  (b1, a1) 0.4, 0.6;
  (b2, a0) 0.5, 0.5;
  (b2, a1) 0.6, 0.4;
}
`;
    const net = readBif(text, 'toy.bif');
    const c = net.variables[2]!;
    expect(c.parents).toEqual([0, 1]);
    // P(C = c0 | A = a1, B = b2) = 0.6: configuration (a1, b2) = 1·3 + 2 = 5 with A first.
    expect(c.table[5 * 2]).toBeCloseTo(0.6, 15);
    expect(c.table[0 * 2 + 1]).toBeCloseTo(0.9, 15);
    expectSameNetwork(net, readXmlbif(writeXmlbif(net)), 1e-12);
    expectSameNetwork(net, readBif(writeBif(net)), 1e-12);
    const bad = text.replace('(b2, a1) 0.6, 0.4;', '(b2, a1) 0.6, 0.5;');
    expect(() => readBif(bad, 'bad.bif')).toThrow(/sums to 1.1/);
    expect(() => readBif(text.replace('(b1, a1) 0.4, 0.6;\n', ''), 'short.bif')).toThrow(/misses parent configurations/);
    expect(() => readXmlbif('<BIF><NETWORK><VARIABLE><NAME>A</NAME><OUTCOME>x</OUTCOME></VARIABLE>', 'cut.xml')).toThrow(/never closed/);
  });

  it('refuses continuous data, a cyclic consensus, and names BIF cannot hold (XMLBIF escapes them)', async () => {
    const continuous = await loadDataset(lingauss);
    const columns = [...continuous.columns];
    expect(() => consensusNetwork(columns, new Float64Array(25), 0.5, continuous, 1)).toThrow(/discrete networks/);
    const dataset = await loadDataset(asia);
    const names = [...dataset.columns];
    const m = truthMarginals(names);
    m[names.indexOf('tub') * 8 + names.indexOf('asia')] = 0.5;
    m[names.indexOf('asia') * 8 + names.indexOf('tub')] = 0.5;
    expect(() => consensusNetwork(names, m, 0.5, dataset, 1)).toThrow(/directed cycle \((asia → tub → asia|tub → asia → tub)\)/);
    const net = consensusNetwork(names, truthMarginals(names), 0.5, dataset, 1);
    net.variables[0]!.name = 'visit to <Asia>';
    expect(() => writeBif(net)).toThrow(/BIF cannot hold the variable name "visit to <Asia>"/);
    const xml = writeXmlbif(net);
    expect(xml).toContain('<NAME>visit to &lt;Asia&gt;</NAME>');
    expect(readXmlbif(xml).variables[0]!.name).toBe('visit to <Asia>');
  });
});

describe('dagflow export of the causal answers and networks', () => {
  const run = tmp.file('asia-mcmc');
  beforeAll(async () => {
    const r = await runCommand(
      mcmcCommand,
      ...[
        '--data',
        asia,
        '--method',
        'mc3',
        '--iterations',
        '20000',
        '--chains',
        '2',
        '--thin',
        '20',
        '--seed',
        '4',
        '--no-workers',
        '--out',
        run,
      ],
    );
    expect(r.stderr).toBe('');
  }, 60_000);

  it('bif/xmlbif from a run folder read its recorded data; causal-effects agrees with dagflow effects', async () => {
    const out = tmp.file('asia.bif');
    const r = await runCommand(exportCommand, '--run', run, '--format', 'bif', '--out', out, '--json');
    expect(r.stderr).toBe('');
    const net = readBif(readFileSync(out, 'utf8'));
    expect(net.variables).toHaveLength(8);
    const results = await loadRunDirectory(run);
    const marginals = results.marginals;
    const edges = net.variables.reduce((n, v) => n + v.parents.length, 0);
    expect(edges).toBe(Array.from(marginals).filter((p, k) => Math.floor(k / 8) !== k % 8 && p >= 0.5).length);
    expect((JSON.parse(r.stdout) as { edges: number }).edges).toBe(edges);
    const xml = tmp.file('asia.xml');
    expect((await runCommand(exportCommand, '--run', run, '--format', 'xmlbif', '--out', xml)).stderr).toBe('');
    expectSameNetwork(net, readXmlbif(readFileSync(xml, 'utf8')), 1e-11);

    const csvOut = tmp.file('effects.csv');
    expect((await runCommand(exportCommand, '--run', run, '--format', 'causal-effects', '--out', csvOut)).stderr).toBe('');
    const lines = readFileSync(csvOut, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('cause,effect,do,outcome,mean,se,interval_low,interval_high,structural_sd,parameter_sd,p_no_path,p_no_path_se');
    expect(lines).toHaveLength(1 + 8 * 7 * 4);
    const single = await runCommand(effectsCommand, '--run', run, '--cause', 'smoke', '--effect', 'dysp', '--json');
    const e = JSON.parse(single.stdout) as DiscreteEffectJson;
    for (const i of e.interventions) {
      for (const o of i.outcomes) {
        const row = lines.find((l) => l.startsWith(`smoke,dysp,${i.do},${o.level},`))!.split(',');
        // Means, standard errors and P(no path) are exact sums over the samples: the same numbers.
        expect(Number(row[4])).toBeCloseTo(o.mean, 12);
        expect(Number(row[5])).toBeCloseTo(o.standardError!, 12);
        expect(Number(row[10])).toBeCloseTo(e.probabilityNoPath, 12);
      }
    }
  }, 60_000);

  it('causal-json and the report carry features with standard errors and the effects', async () => {
    const jsonOut = tmp.file('causal.json');
    expect((await runCommand(exportCommand, '--run', run, '--format', 'causal-json', '--out', jsonOut)).stderr).toBe('');
    const j = JSON.parse(readFileSync(jsonOut, 'utf8')) as {
      columns: string[];
      path: number[][];
      standardErrors: { path: number[][] };
      effects: { kind: string; pairs: unknown[] };
    };
    expect(j.path).toHaveLength(8);
    expect(j.standardErrors.path[0]![1]).toBeGreaterThan(0);
    expect(j.effects.kind).toBe('discrete');
    expect(j.effects.pairs).toHaveLength(56);
    const report = tmp.file('report.html');
    expect((await runCommand(exportCommand, '--run', run, '--format', 'report', '--out', report)).stderr).toBe('');
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/<h2>Causal answers<\/h2>/);
    expect(html).toMatch(/interventional distributions/);
    expect(html).toMatch(/<td>0\.\d+ ± 0\.\d+<\/td>/);
    expect(html).not.toMatch(/<script/);
    // Without the data (a run without a recorded problem) the data formats say what is missing.
    const bare = await loadRunDirectory(run);
    expect(() => renderExport(bare, 'bif')).toThrow(/needs the data the run was scored on/);
    expect(renderExport(bare, 'causal-json').content).toMatch(/"effectsUnavailable"/);
  }, 60_000);
});
