/**
 * The reference the estimator is validated against at d ≤ 5 (docs/design.md §3): the exact
 * posterior is enumerated before the experiment and enumerated again on the pooled data after
 * each simulated experiment — no re-weighting, the project's exact code end to end — and the
 * uncertainty drop is averaged over many simulated data sets. Draw s uses the same random
 * stream as the estimator's outer draw s (gain.ts), so with the same seed the two agree draw by
 * draw (a check of the re-weighting), and with another seed they are independent estimates of
 * the same expected gain (a check within standard errors).
 */
import { DagflowError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import type { Dataset, PriorKnowledge } from '../core/types.ts';
import { fromDistribution, parentsOfDag } from '../causal/weightedDags.ts';
import { enumeratePosterior } from '../exact/posterior.ts';
import { createRewardModel } from '../scores/reward.ts';
import { createScoreModel, type ScoreOptions } from '../scores/scoreModel.ts';
import { drawDag, simulatorFor } from './gain.ts';
import { pooledDataset } from './pooled.ts';
import { featureProbabilities, queryFeatures, type DesignQuery } from './query.ts';

export interface ExactGainOptions {
  rows: number;
  target: number;
  /** Simulated data sets to average over. */
  simulations: number;
  seed: number;
  knowledge?: Partial<PriorKnowledge>;
}

export interface ExactGain {
  priorUncertainty: number;
  expectedGain: number;
  standardError: number;
  /** Gain of each simulated data set, in draw order. */
  gains: Float64Array;
}

export async function exactExpectedGain(
  dataset: Dataset,
  scoreOptions: ScoreOptions,
  priorTable: Float64Array,
  options: ExactGainOptions & { query: DesignQuery },
): Promise<ExactGain> {
  return (await exactExpectedGains(dataset, scoreOptions, priorTable, [options.query], options))[0]!;
}

/** The exact expected gain for several queries at once, from the same simulated experiments (one enumeration each). */
export async function exactExpectedGains(
  dataset: Dataset,
  scoreOptions: ScoreOptions,
  priorTable: Float64Array,
  queries: readonly DesignQuery[],
  options: ExactGainOptions,
): Promise<ExactGain[]> {
  const { knowledge } = options;
  const before = await enumeratePosterior(createRewardModel(createScoreModel(dataset, scoreOptions), priorTable), knowledge);
  const post = fromDistribution(before.distribution);
  const features = queries.map((q) => queryFeatures(post, q));
  const prior = features.map((f) => f.uncertainty(featureProbabilities(f, post.weights)));
  const simulator = simulatorFor(dataset, scoreOptions);
  const gains = queries.map(() => new Float64Array(options.simulations));
  const weights = new Float64Array(post.count);
  for (let s = 0; s < options.simulations; s++) {
    const rng = new Rng(options.seed).fork(s);
    const k = drawDag(post.weights, rng);
    const rows = simulator.simulate(parentsOfDag(post, k), options.target, options.rows, rng);
    const pooled = pooledDataset(dataset, rows, options.target);
    const after = await enumeratePosterior(createRewardModel(createScoreModel(pooled, scoreOptions), priorTable), knowledge);
    if (after.distribution.codes.length !== post.count)
      throw new DagflowError('INTERNAL', 'the enumeration after the experiment lists other DAGs than before');
    for (let m = 0; m < post.count; m++) weights[m] = Math.exp(after.distribution.logProb[m]!);
    features.forEach((f, q) => (gains[q]![s] = prior[q]! - f.uncertainty(featureProbabilities(f, weights))));
  }
  return gains.map((g, q) => {
    const n = g.length;
    const mean = g.reduce((a, x) => a + x, 0) / n;
    const variance = g.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, n - 1);
    return { priorUncertainty: prior[q]!, expectedGain: mean, standardError: Math.sqrt(variance / n), gains: g };
  });
}
