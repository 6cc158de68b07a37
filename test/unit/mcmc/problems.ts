/** The shared data sets as reward models, loaded the way the CLI loads them. */
import { readFileSync } from 'node:fs';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { quietJobContext } from '../../../src/gflownet/core/job.ts';
import { loadDataset } from '../../../src/gflownet/data/load.ts';
import { runChain, type ChainOptions, type ChainResult } from '../../../src/gflownet/mcmc/chains.ts';
import { combineChains, type CombinedRun } from '../../../src/gflownet/mcmc/combine.ts';
import { unrestrictedRules, type EdgeRules } from '../../../src/gflownet/mcmc/rules.ts';
import type { FamilyScorer } from '../../../src/gflownet/mcmc/types.ts';
import { createRewardModel, type RewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';

const REFERENCE = new URL('../../fixtures/reference/', import.meta.url);
const SAMPLES = new URL('../../../samples/', import.meta.url);

/** lingauss_d5_n100 as in the reference JSON: raw data, BGe with ν = 0, uniform prior (optionally a subset of columns). */
export async function lingaussReward(exclude: string[] = []): Promise<RewardModel> {
  const ds = await loadDataset(new URL('lingauss_d5_n100.csv', REFERENCE).pathname, { standardize: false, exclude });
  const model = createScoreModel(ds, { score: 'bge', mean: 'zero' });
  return createRewardModel(model, structurePriorTable(ds.columns.length, { kind: 'uniform' }));
}

export function lingaussExactMarginals(): Float64Array {
  const ref = JSON.parse(readFileSync(new URL('lingauss_d5_n100.json', REFERENCE), 'utf8')) as {
    exact_posterior: { uniform: { edge_marginals: number[][] } };
  };
  return Float64Array.from(ref.exact_posterior.uniform.edge_marginals.flat());
}

/** Five of the eight Asia columns, BDeu (ess 1), uniform prior. */
export async function asiaReward(
  columns = ['smoke', 'lung', 'bronc', 'either', 'dysp'],
): Promise<{ reward: RewardModel; columns: readonly string[] }> {
  const all = ['asia', 'tub', 'smoke', 'lung', 'bronc', 'either', 'xray', 'dysp'];
  const ds = await loadDataset(new URL('asia_n1000.csv', SAMPLES).pathname, {
    score: 'bdeu',
    exclude: all.filter((c) => !columns.includes(c)),
  });
  const model = createScoreModel(ds, { score: 'bdeu', ess: 1 });
  return { reward: createRewardModel(model, structurePriorTable(ds.columns.length, { kind: 'uniform' })), columns: ds.columns };
}

/** Runs `chains` chains one after the other in this thread (the CLI runs them in worker threads). */
export function runChains(
  scorer: FamilyScorer,
  options: Omit<ChainOptions, 'chain'>,
  chains = 4,
  rules: EdgeRules = unrestrictedRules(scorer.d),
): { results: ChainResult[]; run: CombinedRun } {
  const results: ChainResult[] = [];
  for (let c = 0; c < chains; c++) results.push(runChain(scorer, rules, { ...options, chain: c }, quietJobContext()));
  return { results, run: combineChains(results) };
}

export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let e = 0; e < a.length; e++) m = Math.max(m, Math.abs(a[e]! - b[e]!));
  return m;
}

/**
 * The Monte Carlo standard error of each edge marginal from independent chains' estimates
 * (sd across chains / √chains); its maximum over edges.
 */
export function maxStandardError(results: readonly ChainResult[]): number {
  const n = results.length;
  const d2 = results[0]!.edgeMarginals.length;
  let worst = 0;
  for (let e = 0; e < d2; e++) {
    const values = results.map((r) => r.edgeMarginals[e]!);
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    worst = Math.max(worst, sd / Math.sqrt(n));
  }
  return worst;
}
