import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/command.ts';
import { command as exactCommand, type ExactJson } from '../../../src/cli/commands/exact.ts';
import { command as evaluateCommand } from '../../../src/cli/commands/evaluate.ts';
import { command as generateCommand } from '../../../src/cli/commands/generate.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { edgesFromCode } from '../../../src/gflownet/graph/dagCode.ts';
import { readReference } from './fixtures.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
const ref = readReference('lingauss_d5_n100.json');
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-exact-cli-'));

async function run(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (t) => (stdout += t + '\n'), stderr: (t) => (stderr += t + '\n') });
  return { code, stdout, stderr };
}

async function exactJson(args: string[]): Promise<ExactJson> {
  const r = await run(exactCommand, ['--data', csv, '--no-standardize', '--json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ExactJson;
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('dagflow exact', () => {
  it.each([
    ['uniform', [], ref.exact_posterior.uniform],
    ['erdos-renyi', ['--edges-per-node', '1'], ref.exact_posterior.erdos_renyi],
    ['fair', [], ref.exact_posterior.fair],
  ])('reproduces log Z, every marginal, the MAP set and expected edges (%s prior)', async (prior, extra, expected) => {
    const out = await exactJson(['--prior', prior as string, ...(extra as string[])]);
    expect(out.method).toBe('enumeration');
    expect(out.columns).toEqual(['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(Math.abs(out.logZ - expected.log_Z) / Math.abs(expected.log_Z)).toBeLessThan(1e-8);
    out.edgeMarginals.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - expected.edge_marginals[i][j])).toBeLessThan(1e-9)));
    expect(Math.abs(out.expectedEdges - expected.expected_num_edges)).toBeLessThan(1e-9);
    expect(out.map!.length).toBe(expected.map.num_tied_dags);
    const wanted = (expected.map.dags as number[][][]).map((m) =>
      m
        .flatMap((row, i) => row.flatMap((v, j) => (v ? [`X${i}>X${j}`] : [])))
        .sort()
        .join(' '),
    );
    expect(
      out
        .map!.map((g) =>
          g.edges
            .map(([a, b]) => `${a}>${b}`)
            .sort()
            .join(' '),
        )
        .sort(),
    ).toEqual([...wanted].sort());
  });

  it('gives the same log Z and marginals by the DP (--method dp), and z-scores by default', async () => {
    const e = await exactJson(['--prior', 'fair']);
    const p = await exactJson(['--prior', 'fair', '--method', 'dp']);
    expect(p.method).toBe('dp');
    expect(p.map).toBeUndefined();
    expect(Math.abs(p.logZ - e.logZ)).toBeLessThan(1e-9);
    p.edgeMarginals.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - e.edgeMarginals[i]![j]!)).toBeLessThan(1e-11)));
    const z = JSON.parse((await run(exactCommand, ['--data', csv, '--json'])).stdout) as ExactJson;
    const expected = ref.exact_posterior_standardised_data_uniform;
    expect(Math.abs(z.logZ - expected.log_Z) / Math.abs(expected.log_Z)).toBeLessThan(1e-8);
  });

  it('applies --max-parents, --forbid and --require, and refuses contradictory knowledge', async () => {
    const forbid = write('forbid.csv', 'from,to\nX1,X3\n');
    const require = write('require.csv', 'from,to\nX0,X1\n');
    const out = await exactJson(['--forbid', forbid, '--require', require, '--max-parents', '2']);
    expect(out.edgeMarginals[1]![3]).toBe(0);
    expect(out.edgeMarginals[0]![1]).toBeCloseTo(1, 12);
    expect(out.maxParents).toBe(2);
    const cyclic = write('cyclic.csv', 'from,to\nX0,X1\nX1,X2\nX2,X0\n');
    await expect(run(exactCommand, ['--data', csv, '--require', cyclic])).rejects.toThrow(/required edges form a cycle: X0 → X1 → X2 → X0/);
    await expect(run(exactCommand, ['--data', csv, '--require', require, '--forbid', require])).rejects.toThrow(
      /X0 → X1 is both required and forbidden/,
    );
    await expect(run(exactCommand, ['--data', csv, '--beta', '0.5'])).rejects.toThrow(/edge prior only/);
    const twoParents = write('two.csv', 'from,to\nX0,X2\nX1,X2\n');
    await expect(run(exactCommand, ['--data', csv, '--require', twoParents, '--max-parents', '1'])).rejects.toThrow(
      /X2 has 2 required parents but \{\{knowledge\.maxParents\}\} is 1/,
    );
  });

  it('names the limit when the data has too many variables', async () => {
    const names = Array.from({ length: 40 }, (_, k) => `V${k}`);
    const rng = new Rng(1);
    const rows = Array.from({ length: 30 }, () => names.map(() => rng.normal().toFixed(4)).join(','));
    const wide = write('wide.csv', [names.join(','), ...rows].join('\n') + '\n');
    await expect(run(exactCommand, ['--data', wide])).rejects.toThrow(/limited to \d+ variables .*the data has 40/);
    await expect(run(exactCommand, ['--data', csv, '--method', 'enumeration', '--exclude', 'X0'])).resolves.toMatchObject({ code: 0 });
  });
});

describe('dagflow evaluate', () => {
  it('scores samples drawn from the exact posterior against the truth and the exact answer', async () => {
    const exactText = (await run(exactCommand, ['--data', csv, '--no-standardize', '--json'])).stdout;
    const exactFile = write('exact.json', exactText);
    const exact = JSON.parse(exactText) as ExactJson;
    // 4000 draws from the exact posterior: marginal errors ~ √(p(1−p)/4000) ≤ 0.008.
    const rng = new Rng(7);
    const probs = exact.posterior!.logPosterior.map(Math.exp);
    const lines: string[] = [];
    for (let s = 0; s < 4000; s++) {
      let u = rng.next();
      let k = 0;
      while (k < probs.length - 1 && (u -= probs[k]!) > 0) k++;
      const edges = edgesFromCode(exact.posterior!.codes[k]!, 5).map(([i, j]) => [`X${i}`, `X${j}`]);
      lines.push(JSON.stringify({ edges, logScore: exact.posterior!.logPosterior[k]! + exact.logZ }));
    }
    const samples = write('samples.jsonl', lines.join('\n') + '\n');
    const truth = write('truth.csv', 'from,to\nX1,X2\nX1,X3\nX1,X4\nX2,X3\nX2,X4\n');
    const r = await run(evaluateCommand, ['--samples', samples, '--truth', truth, '--exact', exactFile, '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.samples).toBe(4000);
    expect(out.columns).toEqual(['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(Math.abs(out.expectedEdges - ref.exact_posterior.uniform.expected_num_edges)).toBeLessThan(0.1);
    expect(Math.abs(out.expectedShd - ref.exact_posterior.uniform.expected_shd_vs_true)).toBeLessThan(0.1);
    expect(out.expectedCpdagShd).toBeGreaterThan(0);
    expect(out.edgeMarginalMaxError).toBeLessThan(5 * 0.0079);
    expect(out.edgeMarginalRmse).toBeLessThan(out.edgeMarginalMaxError + 1e-15);
    expect(out.jsd).toBeGreaterThan(0);
    expect(out.jsd).toBeLessThan(Math.log(2));
    expect(out.consensus).toMatchObject({ threshold: 0.5 });
    // Evaluating the exact posterior's own MAP DAG repeated: JSD is that of a point mass.
    const mapLine = JSON.stringify({ edges: exact.map![0]!.edges, logScore: 0 });
    const point = write('point.jsonl', `${mapLine}\n${mapLine}\n`);
    const p = JSON.parse((await run(evaluateCommand, ['--samples', point, '--exact', exactFile, '--json'])).stdout);
    const pMap = Math.exp(exact.map![0]!.logPosterior);
    // JSD(δ_G, P) = ½[log(2/(1+p)) + p log(2p/(1+p))] + ½(1 − p) log 2.
    expect(p.jsd).toBeCloseTo(
      0.5 * (Math.log(2 / (1 + pMap)) + pMap * Math.log((2 * pMap) / (1 + pMap))) + 0.5 * (1 - pMap) * Math.log(2),
      12,
    );
  });

  it('says what is wrong with bad input', async () => {
    const bad = write('bad.jsonl', '{"edges": [["X0","X1"]], "logScore": 1}\n{"edges": [["X1","X0"],["X0","X1"]], "logScore": 1}\n');
    await expect(run(evaluateCommand, ['--samples', bad])).rejects.toThrow(/sample 2 is not acyclic/);
    const empty = write('empty.jsonl', '{"edges": [], "logScore": 1}\n');
    await expect(run(evaluateCommand, ['--samples', empty])).rejects.toThrow(/cannot tell the variables/);
    const ok = await run(evaluateCommand, ['--samples', empty, '--columns', 'A,B', '--json']);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      samples: 1,
      expectedEdges: 0,
      edgeMarginals: [
        [0, 0],
        [0, 0],
      ],
    });
  });
});

describe('dagflow generate', () => {
  it('writes data, truth and weights that are byte-identical for the same seed', async () => {
    const a = path.join(dir, 'gen-a');
    const b = path.join(dir, 'gen-b');
    for (const out of [a, b])
      expect(
        (await run(generateCommand, ['--nodes', '6', '--edges-per-node', '1', '--rows', '40', '--seed', '9', '--out', out])).code,
      ).toBe(0);
    for (const f of ['data.csv', 'truth.csv', 'weights.csv'])
      expect(readFileSync(path.join(a, f), 'utf8')).toBe(readFileSync(path.join(b, f), 'utf8'));
    const disc = path.join(dir, 'gen-d');
    const r = await run(generateCommand, [
      '--nodes',
      '4',
      '--edges-per-node',
      '1',
      '--rows',
      '30',
      '--seed',
      '2',
      '--discrete',
      '--levels',
      '3',
      '--out',
      disc,
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'discrete', nodes: 4, rows: 30 });
    expect(readFileSync(path.join(disc, 'data.csv'), 'utf8').split('\n')[1]).toMatch(/^[012],[012],[012],[012]$/);
    await expect(
      run(generateCommand, ['--nodes', '4', '--edges-per-node', '1', '--rows', '3', '--seed', '1', '--out', disc, '--levels', '2-3']),
    ).rejects.toThrow(/discrete data only/);
  });
});
