import { describe, expect, it } from 'vitest';
import { beliefTerms, familyBeliefTerm, reweightByBeliefs, type EdgeBelief } from '../../../src/gflownet/causal/edgeBeliefs.ts';
import { structuralFeatures } from '../../../src/gflownet/causal/features.ts';
import { fromDistribution } from '../../../src/gflownet/causal/weightedDags.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { lingaussDataset } from '../exact/fixtures.ts';

describe('soft per-edge beliefs as a what-if', () => {
  it('re-weighting the exact posterior equals the exact posterior computed with the belief prior', async () => {
    const d = 5;
    const model = createScoreModel(lingaussDataset(true), { score: 'bge' });
    const base = createRewardModel(model, structurePriorTable(d, { kind: 'uniform' }));
    const beliefs: EdgeBelief[] = [
      { from: 0, to: 1, probability: 0.8 },
      { from: 3, to: 2, probability: 0.1 },
      { from: 2, to: 3, probability: 0.3 },
      { from: 4, to: 0, probability: 0.5 },
    ];
    const { logOdds, logConstant } = beliefTerms(d, beliefs);
    const withBeliefs = {
      d,
      familyLogReward: (node: number, parents: readonly number[]) =>
        base.familyLogReward(node, parents) +
        familyBeliefTerm(
          logOdds,
          d,
          node,
          parents.reduce((m, p) => m | (1 << p), 0),
        ),
    };
    const before = await enumeratePosterior(base);
    const after = await enumeratePosterior(withBeliefs);
    const re = reweightByBeliefs(fromDistribution(before.distribution), beliefs);
    const a = structuralFeatures(re.posterior);
    const b = structuralFeatures(fromDistribution(after.distribution));
    for (const key of ['edge', 'path', 'markovBlanket'] as const)
      a[key].forEach((x, k) => expect(Math.abs(x - b[key][k]!)).toBeLessThan(1e-9));
    expect(Math.abs(Math.log(re.keptMass) - (after.logZ + logConstant - before.logZ))).toBeLessThan(1e-9);
    expect(re.effectiveSampleSize).toBeGreaterThan(1);
  });

  it('with uninformative data on two variables, the posterior edge probability is the belief', async () => {
    const zero = { d: 2, familyLogReward: () => 0 };
    const post = fromDistribution((await enumeratePosterior(zero)).distribution);
    const re = reweightByBeliefs(post, [{ from: 0, to: 1, probability: 0.6 }]);
    const f = structuralFeatures(re.posterior);
    expect(f.edge[0 * 2 + 1]).toBeCloseTo(0.6, 12);
    expect(f.edge[1 * 2 + 0]).toBeCloseTo(0.2, 12);
  });

  it('refuses beliefs that are not probabilities or leave no room for "no edge"', () => {
    expect(() => beliefTerms(3, [{ from: 0, to: 1, probability: 1 }])).toThrow(/strictly between 0 and 1/);
    expect(() =>
      beliefTerms(3, [
        { from: 0, to: 1, probability: 0.6 },
        { from: 1, to: 0, probability: 0.5 },
      ]),
    ).toThrow(/add up to/);
    expect(() =>
      beliefTerms(3, [
        { from: 0, to: 1, probability: 0.6 },
        { from: 0, to: 1, probability: 0.5 },
      ]),
    ).toThrow(/two beliefs/);
  });
});
