/**
 * Soft edge beliefs as part of the prior (not only as a what-if): the reward, the exact
 * posterior, MCMC and the command line. The exact posterior with the belief prior is checked
 * against a brute-force sum whose prior is written out pair by pair here (not via beliefTerms).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/command.ts';
import { command as exactCommand, type ExactJson } from '../../../src/cli/commands/exact.ts';
import { command as featuresCommand, type FeaturesJson } from '../../../src/cli/commands/features.ts';
import { command as mcmcCommand } from '../../../src/cli/commands/mcmc.ts';
import { reweightByBeliefs, type EdgeBelief } from '../../../src/gflownet/causal/edgeBeliefs.ts';
import { structuralFeatures } from '../../../src/gflownet/causal/features.ts';
import { fromDistribution } from '../../../src/gflownet/causal/weightedDags.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { dpPosterior } from '../../../src/gflownet/exact/dp.ts';
import { loadKnowledge } from '../../../src/gflownet/problem/load.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { lingaussDataset } from '../exact/fixtures.ts';
import { allDags } from './bruteForce.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-belief-prior-'));

async function run(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await command.run(args, { stdout: (t) => (stdout += t + '\n'), stderr: () => undefined });
  return { code, stdout };
}

async function json<T>(command: CliCommand, args: string[]): Promise<T> {
  const r = await run(command, [...args, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const beliefs: EdgeBelief[] = [
  { from: 0, to: 1, probability: 0.85 },
  { from: 3, to: 2, probability: 0.1 },
  { from: 2, to: 3, probability: 0.3 },
  { from: 4, to: 0, probability: 0.6 },
];

/** The belief prior of one DAG, pair by pair: the stated probability of the pair's state, the rest shared equally. */
function beliefPrior(a: Uint8Array, d: number): number {
  let prior = 1;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const fwd = beliefs.find((b) => b.from === i && b.to === j)?.probability;
      const bwd = beliefs.find((b) => b.from === j && b.to === i)?.probability;
      if (fwd === undefined && bwd === undefined) continue;
      const open = 1 + (fwd === undefined ? 1 : 0) + (bwd === undefined ? 1 : 0);
      const share = (1 - (fwd ?? 0) - (bwd ?? 0)) / open;
      prior *= a[i * d + j] ? (fwd ?? share) : a[j * d + i] ? (bwd ?? share) : share;
    }
  }
  return prior;
}

describe('edge beliefs in the prior', () => {
  it('the exact posterior with the belief prior equals a brute-force sum and the re-weighted plain posterior (1e-9)', async () => {
    const d = 5;
    const model = createScoreModel(lingaussDataset(true), { score: 'bge' });
    const columns = ['X0', 'X1', 'X2', 'X3', 'X4'];
    const loaded = await loadKnowledge({ kind: 'uniform' }, { edgeBeliefs: { beliefs } }, columns);
    expect(loaded.edgeBeliefs).toEqual(beliefs);
    const plain = await enumeratePosterior(createRewardModel(model, structurePriorTable(d, { kind: 'uniform' })));
    const withPrior = await enumeratePosterior(createRewardModel(model, loaded.priorTable, loaded.edgeLogPrior));

    // Brute force: P'(G | D) ∝ P(G | D)·prior(G), summed over every DAG of the plain posterior.
    const edge = new Float64Array(d * d);
    let total = 0;
    for (const { a, w } of allDags(plain)) {
      const v = w * beliefPrior(a, d);
      total += v;
      for (let k = 0; k < d * d; k++) if (a[k]) edge[k]! += v;
    }
    const exact = structuralFeatures(fromDistribution(withPrior.distribution));
    const reweighted = structuralFeatures(reweightByBeliefs(fromDistribution(plain.distribution), beliefs).posterior);
    for (let k = 0; k < d * d; k++) {
      expect(Math.abs(exact.edge[k]! - edge[k]! / total)).toBeLessThan(1e-9);
      expect(Math.abs(exact.path[k]! - reweighted.path[k]!)).toBeLessThan(1e-9);
    }
    // The belief moved the answer (so the comparison above can fail).
    expect(exact.edge[0 * d + 1]! - structuralFeatures(fromDistribution(plain.distribution)).edge[0 * d + 1]!).toBeGreaterThan(0.05);

    // The subset DP takes the same per-family term: its edge probabilities agree.
    const dp = await dpPosterior(createRewardModel(model, loaded.priorTable, loaded.edgeLogPrior), {});
    expect(Math.abs(dp.logZ - withPrior.logZ)).toBeLessThan(1e-8);
  });

  it('dagflow exact --edge-beliefs equals features --exact --edge-belief (re-weighting); MCMC with --edge-beliefs samples that posterior', async () => {
    const file = path.join(dir, 'beliefs.csv');
    writeFileSync(file, 'from,to,probability\nX0,X1,0.85\nX3,X2,0.1\nX2,X3,0.3\nX4,X0,0.6\n');
    const exact = await json<ExactJson>(exactCommand, ['--data', csv, '--edge-beliefs', file]);
    const plainExact = await json<ExactJson>(exactCommand, ['--data', csv]);
    const whatIf = await json<FeaturesJson>(featuresCommand, ['--data', csv, '--exact', '--edge-belief', file]);
    const prior = await json<FeaturesJson>(featuresCommand, ['--data', csv, '--exact', '--edge-beliefs', file]);
    whatIf.edge.forEach((row, i) =>
      row.forEach((p, j) => {
        expect(Math.abs(p - exact.edgeMarginals[i]![j]!)).toBeLessThan(1e-9);
        expect(Math.abs(p - prior.edge[i]![j]!)).toBeLessThan(1e-9);
      }),
    );
    expect(exact.edgeMarginals[0]![1]! - plainExact.edgeMarginals[0]![1]!).toBeGreaterThan(0.05);

    const out = path.join(dir, 'mcmc');
    const r = await run(mcmcCommand, [
      ...['--data', csv, '--edge-beliefs', file, '--method', 'mc3', '--iterations', '40000', '--chains', '2'],
      ...['--thin', '10', '--seed', '5', '--no-workers', '--out', out],
    ]);
    expect(r.code).toBe(0);
    const recorded = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      problem: { knowledge: Record<string, unknown> };
    };
    expect(recorded.problem.knowledge['edge-beliefs']).toBe(path.resolve(file));
    const sampled = await json<FeaturesJson>(featuresCommand, ['--run', out]);
    sampled.edge.forEach((row, i) =>
      row.forEach((p, j) => {
        if (i === j) return;
        const se = sampled.standardErrors!.edge[i]![j]!;
        expect(Math.abs(p - exact.edgeMarginals[i]![j]!)).toBeLessThan(Math.max(4 * se, 0.02));
      }),
    );
    // A run folder records its prior: giving the beliefs again is refused.
    await expect(run(featuresCommand, ['--run', out, '--edge-beliefs', file])).rejects.toThrow(/records its structure prior/);
  }, 120_000);

  it('refuses a belief file that names an unknown variable or a certainty', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'from,to,probability\nX0,nope,0.5\n');
    await expect(run(exactCommand, ['--data', csv, '--edge-beliefs', bad])).rejects.toThrow(/nope/);
    writeFileSync(bad, 'from,to,probability\nX0,X1,1\n');
    await expect(run(exactCommand, ['--data', csv, '--edge-beliefs', bad])).rejects.toThrow(/strictly between 0 and 1/);
    await expect(
      loadKnowledge({ kind: 'uniform' }, { edgeBeliefs: { beliefs: [{ from: 0, to: 9, probability: 0.5 }] } }, ['a', 'b']),
    ).rejects.toThrow(/variable 10/);
  });
});

describe('edge beliefs from the window', () => {
  it('the model settings carry them into the problem spec; the contract refuses certainties and self-loops', async () => {
    const { problemSpecFor } = await import('../../../src/app/problemSpec.ts');
    const { workflowValidators } = await import('../../../src/shared/workflowValidation.ts');
    const model = {
      score: 'bge' as const,
      prior: { kind: 'uniform' as const },
      knowledge: { forbidden: [], required: [], edgeBeliefs: [{ from: 0, to: 1, probability: 0.85 }] },
    };
    const spec = problemSpecFor({ path: csv, options: {} }, model);
    expect(spec.knowledge.edgeBeliefs).toEqual({ beliefs: [{ from: 0, to: 1, probability: 0.85 }] });
    const loaded = await loadKnowledge(spec.prior, spec.knowledge, ['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(loaded.edgeLogPrior![0 * 5 + 1]).toBeCloseTo(Math.log(0.85 / (0.15 / 2)), 12);
    const request = (edgeBeliefs: unknown) => ({
      datasetId: 'data-0123456789ab',
      data: {},
      model: { ...model, knowledge: { forbidden: [], required: [], edgeBeliefs } },
      sampler: { method: 'exact' },
    });
    expect(workflowValidators.startRun(request([{ from: 0, to: 1, probability: 0.85 }])).model.knowledge.edgeBeliefs).toHaveLength(1);
    expect(() => workflowValidators.startRun(request([{ from: 0, to: 1, probability: 1 }]))).toThrow(/edgeBeliefs/);
    expect(() => workflowValidators.startRun(request([{ from: 2, to: 2, probability: 0.5 }]))).toThrow(/self-loop/);
  });
});
