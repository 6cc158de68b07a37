/**
 * The Answers view's belief what-if (the window's prior-sensitivity slider): on an exact run,
 * the re-weighted answers equal the exact posterior computed with the belief prior built in
 * (1e-9), the answers without the beliefs come along for comparison, and on samples a belief
 * that leaves too few effective samples says "too few samples left: rerun".
 */
import { describe, expect, it } from 'vitest';
import { answersView, type AnswersProblem } from '../../../src/app/answersView.ts';
import { beliefTerms } from '../../../src/gflownet/causal/edgeBeliefs.ts';
import { bgeTotalEffect } from '../../../src/gflownet/causal/bgeEffects.ts';
import { structuralFeatures } from '../../../src/gflownet/causal/features.ts';
import { fromDistribution } from '../../../src/gflownet/causal/weightedDags.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { adjacencyFromCode } from '../../../src/gflownet/graph/dagCode.ts';
import { bgePosterior } from '../../../src/gflownet/scores/bge.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import type { PosteriorRunResult } from '../../../src/jobs/kinds/posteriorResult.ts';
import { lingaussDataset } from '../exact/fixtures.ts';

const d = 5;
const dataset = lingaussDataset(true);
const model = createScoreModel(dataset, { score: 'bge' });
const prior = structurePriorTable(d, { kind: 'uniform' });
const reward = createRewardModel(model, prior);
const problem: AnswersProblem = {
  dataset,
  scoreOptions: { score: 'bge' },
  reward,
  knowledge: { forbidden: [], required: [], maxParents: d - 1 },
};
const beliefs = [
  { from: 0, to: 4, probability: 0.9 },
  { from: 2, to: 1, probability: 0.15 },
];

async function exactRun(): Promise<PosteriorRunResult> {
  const p = await enumeratePosterior(reward);
  return {
    variables: [...dataset.columns],
    edgeMarginals: p.edgeMarginals,
    logZ: p.logZ,
    distribution: { codes: p.distribution.codes, logProb: p.distribution.logProb },
    facts: [],
  };
}

describe('the Answers view with soft edge beliefs', () => {
  it('equals the exact posterior with the belief prior built in, under a what-if too, and keeps the answers without them', async () => {
    const result = await exactRun();
    const request = { runId: 'r', cause: 0, effect: 4, forbidden: [[3, 0]] as Array<[number, number]>, beliefs };
    const view = await answersView({ runId: 'r', result, sampledBy: 'exact', problem }, request);
    const withPrior = await enumeratePosterior(createRewardModel(model, prior, beliefTerms(d, beliefs).logOdds), {
      forbidden: [[3, 0]],
    });
    const post = fromDistribution(withPrior.distribution);
    const f = structuralFeatures(post);
    f.path.forEach((p, k) => expect(Math.abs(view.features.path[k]! - p)).toBeLessThan(1e-9));
    f.edge.forEach((p, k) => expect(Math.abs(view.features.edge[k]! - p)).toBeLessThan(1e-9));
    const e = bgeTotalEffect(post, bgePosterior(dataset), 0, 4, { draws: 2000, seed: 1 });
    expect(view.effect!.kind).toBe('continuous');
    if (view.effect!.kind === 'continuous') {
      expect(Math.abs(view.effect!.mean - e.mean)).toBeLessThan(1e-9);
      expect(Math.abs(view.effect!.probabilityNoPath - e.probabilityNoPath)).toBeLessThan(1e-9);
    }
    // Without the beliefs: the what-if alone.
    const plain = await answersView({ runId: 'r', result, sampledBy: 'exact', problem }, { ...request, beliefs: undefined });
    expect(view.beliefs!.without.path).toEqual(plain.features.path);
    expect(Math.abs(view.beliefs!.without.effectMean! - (plain.effect as { mean: number }).mean)).toBeLessThan(1e-9);
    // The belief moved the answer about 0 → 4 (so the comparisons above can fail).
    expect(view.features.edge[0 * d + 4]! - plain.features.edge[0 * d + 4]!).toBeGreaterThan(0.05);
    expect(view.beliefs!.evidenceRatio).toBeGreaterThan(0);
    // A hypothesis is not placed under a belief what-if (its log posterior is under the run's prior).
    const h = await answersView({ runId: 'r', result, sampledBy: 'exact', problem }, { ...request, hypothesis: [[0, 4]] });
    expect(h.hypothesis).toBeUndefined();
    expect(h.hypothesisUnavailable).toMatch(/clear the beliefs/);
  });

  it('on samples: re-weights with an effective sample size, and a belief that leaves too few says rerun', async () => {
    const p = await enumeratePosterior(reward);
    const rng = new Rng(3);
    const n = 3000;
    const probs = p.distribution.logProb.map(Math.exp);
    const adjacency = new Uint8Array(n * d * d);
    const logScores = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      let u = rng.next();
      let k = 0;
      while (k < probs.length - 1 && (u -= probs[k]!) > 0) k++;
      adjacency.set(adjacencyFromCode(p.distribution.codes[k]!, d), s * d * d);
      logScores[s] = p.logJoint[k]!;
    }
    const result: PosteriorRunResult = {
      variables: [...dataset.columns],
      edgeMarginals: p.edgeMarginals,
      samples: { adjacency, logScores, count: n },
      facts: [],
    };
    const view = await answersView(
      { runId: 's', result, sampledBy: 'gflownet', problem },
      { runId: 's', beliefs: [{ from: 0, to: 4, probability: 0.6 }] },
    );
    expect(view.beliefs!.effectiveSampleSize).toBeGreaterThan(100);
    expect(view.beliefs!.effectiveSampleSize).toBeLessThan(n);
    expect(view.features.standardErrors).toBeDefined();
    // Strong beliefs in the three edges the data like least: almost all weight goes to a few samples.
    const extreme = Array.from({ length: d * d }, (_, k) => ({ from: Math.floor(k / d), to: k % d, probability: 0.999 }))
      .filter((b) => b.from < b.to)
      .sort((a, b) => p.edgeMarginals[a.from * d + a.to]! - p.edgeMarginals[b.from * d + b.to]!)
      .slice(0, 3);
    await expect(answersView({ runId: 's', result, sampledBy: 'gflownet', problem }, { runId: 's', beliefs: extreme })).rejects.toThrow(
      /too few samples left: rerun/,
    );
  });
});

describe('the Answers view with tiers as a what-if', () => {
  it('on an exact run equals the exact posterior under the tiers (1e-9), and refuses tiers of the wrong length', async () => {
    const result = await exactRun();
    const tiers = [0, 0, 1, 1, 2];
    const view = await answersView({ runId: 'r', result, sampledBy: 'exact', problem }, { runId: 'r', tiers });
    const exact = structuralFeatures(fromDistribution((await enumeratePosterior(reward, { tiers })).distribution));
    exact.edge.forEach((p, k) => expect(Math.abs(view.features.edge[k]! - p)).toBeLessThan(1e-9));
    exact.path.forEach((p, k) => expect(Math.abs(view.features.path[k]! - p)).toBeLessThan(1e-9));
    expect(view.features.edge[4 * d + 0]).toBe(0);
    expect(view.whatIf!.keptMass).toBeGreaterThan(0);
    expect(view.whatIf!.keptMass).toBeLessThan(1);
    await expect(answersView({ runId: 'r', result, sampledBy: 'exact', problem }, { runId: 'r', tiers: [0, 1] })).rejects.toThrow(
      /tiers for 2 variables, the run has 5/,
    );
  });
});
