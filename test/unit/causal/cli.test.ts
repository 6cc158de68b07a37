import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/command.ts';
import { command as effectsCommand, type ContinuousEffectJson, type DiscreteEffectJson } from '../../../src/cli/commands/effects.ts';
import { command as exactCommand, type ExactJson } from '../../../src/cli/commands/exact.ts';
import { command as featuresCommand, type FeaturesJson } from '../../../src/cli/commands/features.ts';
import { command as hypothesisCommand, type HypothesisJson } from '../../../src/cli/commands/hypothesis.ts';
import { command as mcmcCommand } from '../../../src/cli/commands/mcmc.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-causal-cli-'));
const runDir = path.join(dir, 'mcmc');

async function run(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (t) => (stdout += t + '\n'), stderr: (t) => (stderr += t + '\n') });
  return { code, stdout, stderr };
}

async function json<T>(command: CliCommand, args: string[]): Promise<T> {
  const r = await run(command, [...args, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const exactArgs = ['--data', csv, '--exact'];

beforeAll(async () => {
  const r = await run(mcmcCommand, [
    '--data',
    csv,
    '--method',
    'mc3',
    '--iterations',
    '60000',
    '--chains',
    '4',
    '--thin',
    '10',
    '--seed',
    '3',
    '--no-workers',
    '--out',
    runDir,
  ]);
  expect(r.code).toBe(0);
}, 120_000);

describe('dagflow features', () => {
  it('--exact: edge probabilities equal dagflow exact, matrices are d×d with row = from, no standard errors', async () => {
    const f = await json<FeaturesJson>(featuresCommand, exactArgs);
    const e = await json<ExactJson>(exactCommand, ['--data', csv]);
    expect(f.columns).toEqual(e.columns);
    f.edge.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - e.edgeMarginals[i]![j]!)).toBeLessThan(1e-12)));
    for (const m of [f.path, f.markovBlanket, f.adjacent]) expect(m.map((r) => r.length)).toEqual([5, 5, 5, 5, 5]);
    f.path.forEach((row, i) => row.forEach((p, j) => expect(p).toBeGreaterThanOrEqual(f.edge[i]![j]! - 1e-12)));
    expect(f.standardErrors).toBeUndefined();
    expect(f.source.kind).toBe('exact');
  });

  it('--run on MCMC chains: path probabilities lie within their reported error bars of the exact ones', async () => {
    const exact = await json<FeaturesJson>(featuresCommand, exactArgs);
    const f = await json<FeaturesJson>(featuresCommand, ['--run', runDir]);
    expect(f.source.kind).toBe('mcmc');
    let within = 0;
    let total = 0;
    f.path.forEach((row, i) =>
      row.forEach((p, j) => {
        if (i === j) return;
        total++;
        const se = f.standardErrors!.path[i]![j]!;
        if (Math.abs(p - exact.path[i]![j]!) <= 3 * se) within++;
      }),
    );
    expect(within).toBe(total);
  });

  it('what-if: --forbid on the exact posterior equals dagflow exact --forbid; on samples it conditions them and reports the ESS', async () => {
    const forbid = write('forbid.csv', 'from,to\nX0,X1\nX1,X0\n');
    const f = await json<FeaturesJson>(featuresCommand, [...exactArgs, '--forbid', forbid]);
    const e = await json<ExactJson>(exactCommand, ['--data', csv, '--forbid', forbid]);
    f.edge.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - e.edgeMarginals[i]![j]!)).toBeLessThan(1e-9)));
    expect(f.whatIf!.keptMass).toBeGreaterThan(0);
    const s = await json<FeaturesJson>(featuresCommand, ['--run', runDir, '--forbid', forbid, '--min-ess', '1']);
    expect(s.edge[0]![1]).toBe(0);
    expect(s.whatIf!.keptDags).toBeLessThanOrEqual(s.source.dags);
  });

  it('refuses a what-if that leaves too few samples, and says to rerun', async () => {
    const f = await json<FeaturesJson>(featuresCommand, exactArgs);
    // Require the least probable edge: few samples keep it.
    let worst: [number, number] = [0, 1];
    f.edge.forEach((row, i) => row.forEach((p, j) => i !== j && p < f.edge[worst[0]]![worst[1]]! && (worst = [i, j])));
    const require = write('require.csv', `from,to\n${f.columns[worst[0]]},${f.columns[worst[1]]}\n`);
    await expect(run(featuresCommand, ['--run', runDir, '--require', require, '--min-ess', '1000000'])).rejects.toThrow(
      /too few samples left: rerun/,
    );
  });

  it('--edge-belief re-weights the posterior (exact and sampled agree) and is refused by hypothesis', async () => {
    const beliefs = write('beliefs.csv', 'from,to,probability\nX0,X1,0.9\nX3,X4,0.2\n');
    const plain = await json<FeaturesJson>(featuresCommand, exactArgs);
    const e = await json<FeaturesJson>(featuresCommand, [...exactArgs, '--edge-belief', beliefs]);
    const s = await json<FeaturesJson>(featuresCommand, ['--run', runDir, '--edge-belief', beliefs]);
    expect(e.whatIf!.beliefEvidenceRatio).toBeGreaterThan(0);
    expect(e.edge[0]![1]).toBeGreaterThan(plain.edge[0]![1]!);
    e.path.forEach((row, i) =>
      row.forEach(
        (p, j) => i !== j && expect(Math.abs(p - s.path[i]![j]!)).toBeLessThan(Math.max(4 * s.standardErrors!.path[i]![j]!, 0.02)),
      ),
    );
    await expect(run(hypothesisCommand, [...exactArgs, '--graph', write('g.csv', 'from,to\n'), '--edge-belief', beliefs])).rejects.toThrow(
      /changes the prior/,
    );
    await expect(run(featuresCommand, [...exactArgs, '--edge-belief', write('bad.csv', 'from,to,probability\nX0,X1,1\n')])).rejects.toThrow(
      /strictly between 0 and 1/,
    );
  });

  it('says what is missing or wrong', async () => {
    await expect(run(featuresCommand, [])).rejects.toThrow(/say which posterior/);
    await expect(run(featuresCommand, ['--run', runDir, '--exact'])).rejects.toThrow(/cannot be combined/);
    await expect(run(featuresCommand, ['--exact'])).rejects.toThrow(/required with --exact/);
    await expect(run(featuresCommand, ['--run', runDir, '--data', csv])).rejects.toThrow(/records its data/);
    await expect(run(effectsCommand, [...exactArgs, '--cause', 'nope', '--effect', 'X1'])).rejects.toThrow(/not a variable/);
    await expect(run(effectsCommand, [...exactArgs, '--cause', 'X1', '--effect', 'X1'])).rejects.toThrow(/same variable/);
  });
});

describe('a GFlowNet run folder', () => {
  it('is read as independent samples (binomial SE) with its data taken from the checkpoint meta', async () => {
    const gfn = path.join(dir, 'gfn');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(path.join(gfn, 'checkpoint'), { recursive: true });
    // The samples of the MCMC run stand in for GFlowNet draws; what matters is the folder layout.
    writeFileSync(path.join(gfn, 'samples.jsonl'), readFileSync(path.join(runDir, 'samples.jsonl')));
    writeFileSync(
      path.join(gfn, 'summary.json'),
      JSON.stringify({ columns: ['X0', 'X1', 'X2', 'X3', 'X4'], objective: 'db', samples: 19200 }),
    );
    writeFileSync(
      path.join(gfn, 'checkpoint', 'checkpoint.json'),
      JSON.stringify({
        meta: {
          kind: 'cli',
          columns: ['X0', 'X1', 'X2', 'X3', 'X4'],
          data: { data: csv, score: 'auto', standardize: true, mean: 'zero' },
          knowledge: { prior: 'uniform' },
        },
      }),
    );
    const f = await json<FeaturesJson>(featuresCommand, ['--run', gfn]);
    expect(f.source.kind).toBe('gflownet');
    const n = f.source.dags;
    f.edge.forEach((row, i) =>
      row.forEach(
        (p, j) => i !== j && p > 0 && p < 1 && expect(f.standardErrors!.edge[i]![j]).toBeCloseTo(Math.sqrt((p * (1 - p)) / n), 12),
      ),
    );
    const e = await json<ContinuousEffectJson>(effectsCommand, ['--run', gfn, '--cause', 'X0', '--effect', 'X4', '--draws', '500']);
    const m = await json<ContinuousEffectJson>(effectsCommand, ['--run', runDir, '--cause', 'X0', '--effect', 'X4', '--draws', '500']);
    // Same DAGs, same data: the same mean; only the error model differs.
    expect(Math.abs(e.mean - m.mean)).toBeLessThan(1e-12);
    expect(e.standardErrors!.mean).toBeLessThan(m.standardErrors!.mean);
    // A sampler that weights its draws: weights recorded are used; a folder without them says so.
    const lines = readFileSync(path.join(runDir, 'samples.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(
      path.join(gfn, 'samples.jsonl'),
      lines.map((l, k) => JSON.stringify({ ...JSON.parse(l), logWeight: k % 2 === 0 ? 0 : -1 })).join('\n') + '\n',
    );
    const w = await json<FeaturesJson>(featuresCommand, ['--run', gfn]);
    expect(w.source.label).toMatch(/importance-weighted/);
    expect(w.source.warning).toBeUndefined();
    writeFileSync(path.join(gfn, 'samples.jsonl'), readFileSync(path.join(runDir, 'samples.jsonl')));
    writeFileSync(
      path.join(gfn, 'summary.json'),
      JSON.stringify({ columns: ['X0', 'X1', 'X2', 'X3', 'X4'], sampler: 'layers', importance: { effectiveSampleSize: 10, logZ: 0 } }),
    );
    const u = await json<FeaturesJson>(featuresCommand, ['--run', gfn]);
    expect(u.source.warning).toMatch(/does not record the weights/);
    // Without a recorded problem, effects ask for the data.
    const bare = path.join(dir, 'bare');
    mkdirSync(bare, { recursive: true });
    writeFileSync(path.join(bare, 'samples.jsonl'), readFileSync(path.join(runDir, 'samples.jsonl')));
    writeFileSync(path.join(bare, 'summary.json'), JSON.stringify({ columns: ['X0', 'X1', 'X2', 'X3', 'X4'] }));
    await expect(run(effectsCommand, ['--run', bare, '--cause', 'X0', '--effect', 'X4'])).rejects.toThrow(/does not record the data/);
    const given = await json<ContinuousEffectJson>(effectsCommand, [
      '--run',
      bare,
      '--data',
      csv,
      '--cause',
      'X0',
      '--effect',
      'X4',
      '--draws',
      '500',
    ]);
    expect(Math.abs(given.mean - m.mean)).toBeLessThan(1e-12);
  });
});

describe('dagflow effects', () => {
  it('--exact and --run agree within Monte Carlo error, with units, interval and histogram', async () => {
    const e = await json<ContinuousEffectJson>(effectsCommand, [...exactArgs, '--cause', 'X0', '--effect', 'X4', '--draws', '5000']);
    expect(e.kind).toBe('continuous');
    expect(e.units).toMatch(/standard deviations/);
    expect(e.interval[0]).toBeLessThanOrEqual(e.mean);
    expect(e.interval[1]).toBeGreaterThanOrEqual(e.mean);
    expect(e.histogram.binEdges.length).toBe(e.histogram.probability.length + 1);
    expect(e.sd ** 2).toBeCloseTo(e.structuralSd ** 2 + e.parameterSd ** 2, 12);
    const s = await json<ContinuousEffectJson>(effectsCommand, ['--run', runDir, '--cause', 'X0', '--effect', 'X4', '--draws', '5000']);
    expect(Math.abs(s.mean - e.mean)).toBeLessThan(Math.max(4 * s.standardErrors!.mean, 1e-3));
    expect(Math.abs(s.probabilityNoPath - e.probabilityNoPath)).toBeLessThan(Math.max(4 * s.standardErrors!.probabilityNoPath, 0.01));
  });

  it('discrete data: P(Y | do(X)) per level of the cause, each a distribution', async () => {
    const rows = ['A,B,C'];
    let s = 7;
    const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let r = 0; r < 300; r++) {
      const a = next() < 0.4 ? 1 : 0;
      const b = next() < (a ? 0.8 : 0.2) ? 1 : 0;
      const c = next() < (b ? 0.7 : 0.1) ? 'hi' : 'lo';
      rows.push(`a${a},b${b},${c}`);
    }
    const data = write('discrete.csv', rows.join('\n') + '\n');
    const e = await json<DiscreteEffectJson>(effectsCommand, ['--data', data, '--exact', '--cause', 'A', '--effect', 'C']);
    expect(e.kind).toBe('discrete');
    expect(e.interventions.map((i) => i.do).sort()).toEqual(['a0', 'a1']);
    for (const i of e.interventions) expect(i.outcomes.reduce((t, o) => t + o.mean, 0)).toBeCloseTo(1, 12);
  });
});

describe('dagflow hypothesis', () => {
  it('the MAP DAG of the exact posterior has rank 1, its exact log posterior and percentile 100', async () => {
    const e = await json<ExactJson>(exactCommand, ['--data', csv]);
    const map = e.map![0]!;
    const graph = write('map.csv', ['from,to', ...map.edges.map(([a, b]) => `${a},${b}`)].join('\n') + '\n');
    const h = await json<HypothesisJson>(hypothesisCommand, [...exactArgs, '--graph', graph]);
    expect(h.logZMethod).toBe('enumeration');
    expect(Math.abs(h.logPosterior - map.logPosterior)).toBeLessThan(1e-9);
    expect(h.rank).toBe(1);
    expect(h.percentile).toBeCloseTo(100, 9);
    expect(h.edges.length).toBe(map.edges.length);
    expect(h.equivalenceClassProbability).toBeGreaterThanOrEqual(Math.exp(map.logPosterior) - 1e-12);
    // On the sampled run, log Z comes from the DP and gives the same log posterior.
    const s = await json<HypothesisJson>(hypothesisCommand, ['--run', runDir, '--graph', graph]);
    expect(s.logZMethod).toBe('dp');
    expect(Math.abs(s.logPosterior - map.logPosterior)).toBeLessThan(1e-8);
  });

  it('an empty hypothesis disagrees most on the most probable adjacencies', async () => {
    const graph = write('empty.csv', 'from,to\n');
    const h = await json<HypothesisJson>(hypothesisCommand, [...exactArgs, '--graph', graph]);
    const f = await json<FeaturesJson>(featuresCommand, exactArgs);
    const first = h.disagreements[0]!;
    const i = f.columns.indexOf(first.from);
    const j = f.columns.indexOf(first.to);
    const maxAdjacent = Math.max(...f.adjacent.flatMap((r, a) => r.filter((_, b) => a !== b)));
    expect(first.hypothesis).toBe('no-edge');
    expect(Math.abs(1 - first.probability - f.adjacent[i]![j]!)).toBeLessThan(1e-9);
    expect(f.adjacent[i]![j]).toBeCloseTo(maxAdjacent, 9);
  });
});
