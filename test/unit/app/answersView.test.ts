import { describe, expect, it } from 'vitest';
import { answersView, type AnswersInput, type AnswersProblem } from '../../../src/app/answersView.ts';
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
const reward = createRewardModel(createScoreModel(dataset, { score: 'bge' }), structurePriorTable(d, { kind: 'uniform' }));
const problem: AnswersProblem = {
  dataset,
  scoreOptions: { score: 'bge' },
  reward,
  knowledge: { forbidden: [], required: [], maxParents: d - 1 },
};

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

async function sampledRun(n: number, seed: number): Promise<PosteriorRunResult> {
  const p = await enumeratePosterior(reward);
  const rng = new Rng(seed);
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
  return {
    variables: [...dataset.columns],
    edgeMarginals: new Float64Array(d * d),
    samples: { adjacency, logScores, count: n },
    facts: [],
  };
}

describe('the Answers view', () => {
  it('answers an exact run exactly: features, the effect and a hypothesis', async () => {
    const result = await exactRun();
    const input: AnswersInput = { runId: 'run-1', result, sampledBy: 'exact', problem };
    const map = (await enumeratePosterior(reward)).map[0]!;
    const hypothesis: Array<[number, number]> = [];
    const a = adjacencyFromCode(map.code, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (a[i * d + j]) hypothesis.push([i, j]);
    const view = await answersView(input, { runId: 'run-1', cause: 0, effect: 4, hypothesis });
    const post = fromDistribution({ d, codes: result.distribution!.codes, logProb: result.distribution!.logProb });
    const f = structuralFeatures(post);
    expect(view.posterior).toBe('exact');
    expect(view.features.path).toEqual(Array.from(f.path));
    expect(view.features.standardErrors).toBeUndefined();
    const e = bgeTotalEffect(post, bgePosterior(dataset), 0, 4, { draws: 20000, seed: 1 });
    expect(view.effect).toMatchObject({ kind: 'continuous', mean: e.mean, probabilityNoPath: e.probabilityNoPath, interval: e.interval });
    expect(view.hypothesis!.rank).toBe(1);
    expect(Math.abs(view.hypothesis!.logPosterior! - map.logPosterior)).toBeLessThan(1e-9);
  });

  it('gives error bars for samples, says why there is no effect without the data, and refuses a what-if with too few samples', async () => {
    const result = await sampledRun(2000, 4);
    const view = await answersView(
      { runId: 'run-2', result, sampledBy: 'gflownet', problem: { unavailable: 'the data file of this run is no longer open' } },
      { runId: 'run-2', cause: 1, effect: 2 },
    );
    expect(view.posterior).toBe('independent');
    expect(view.features.standardErrors!.edge.length).toBe(d * d);
    expect(view.effect).toEqual({ kind: 'unavailable', reason: 'the data file of this run is no longer open' });
    const chains = await answersView(
      { runId: 'run-2', result, sampledBy: 'mcmc', chainLengths: [1000, 1000], problem },
      { runId: 'run-2' },
    );
    expect(chains.posterior).toBe('chains');
    const layered = await answersView(
      {
        runId: 'run-2',
        result: { ...result, facts: [{ label: 'sampler', value: 'layered GFlowNet (partition-MCMC teacher, importance-weighted)' }] },
        sampledBy: 'gflownet',
        problem,
      },
      { runId: 'run-2' },
    );
    expect(layered.warning).toMatch(/weights did not reach/);
    expect(view.warning).toBeUndefined();
    // Require the rarest edge: too few samples keep it.
    let rare = 1;
    view.features.edge.forEach((p, k) => Math.floor(k / d) !== k % d && p < view.features.edge[rare]! && (rare = k));
    await expect(
      answersView(
        { runId: 'run-2', result, sampledBy: 'gflownet', problem },
        { runId: 'run-2', required: [[Math.floor(rare / d), rare % d]] },
      ),
    ).rejects.toThrow(/too few samples left: rerun/);
  });

  it('a what-if on an exact run equals the exact posterior under the constraint', async () => {
    const result = await exactRun();
    const view = await answersView(
      { runId: 'run-1', result, sampledBy: 'exact', problem },
      {
        runId: 'run-1',
        forbidden: [
          [0, 1],
          [1, 0],
        ],
      },
    );
    const constrained = await enumeratePosterior(reward, {
      forbidden: [
        [0, 1],
        [1, 0],
      ],
    });
    view.features.edge.forEach((p, k) => expect(Math.abs(p - constrained.edgeMarginals[k]!)).toBeLessThan(1e-9));
    expect(view.whatIf!.keptMass).toBeLessThan(1);
  });
});
