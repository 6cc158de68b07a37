/**
 * The expected-information-gain estimator against the exact computation (docs/design.md §3):
 * the exact posterior enumerated before and again after every simulated experiment.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import type { Dataset } from '../../../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';
import { fromDistribution, fromSamples } from '../../../src/gflownet/causal/weightedDags.ts';
import { structuralFeatures } from '../../../src/gflownet/causal/features.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel, type ScoreOptions } from '../../../src/gflownet/scores/scoreModel.ts';
import { expectedInformationGain } from '../../../src/gflownet/design/gain.ts';
import { exactExpectedGain, type ExactGain } from '../../../src/gflownet/design/exactGain.ts';
import { featureProbabilities, queryFeatures, type DesignQuery } from '../../../src/gflownet/design/query.ts';
import { lingaussDataset } from '../exact/fixtures.ts';
import { randomDiscrete } from '../scores/randomProblems.ts';

const BGE: ScoreOptions = { score: 'bge' };
const BDEU: ScoreOptions = { score: 'bdeu', ess: 1 };

/** The first `d` columns of a continuous data set (already z-scored). */
function firstColumns(ds: Dataset, d: number): Dataset {
  return datasetFromColumns({
    names: ds.columns.slice(0, d),
    continuous: ds.continuous!.slice(0, d),
    standardize: false,
    source: ds.source,
  });
}

async function exactPost(ds: Dataset, score: ScoreOptions) {
  const d = ds.columns.length;
  return fromDistribution(
    (await enumeratePosterior(createRewardModel(createScoreModel(ds, score), structurePriorTable(d, { kind: 'uniform' })))).distribution,
  );
}

describe('query uncertainty', () => {
  it('reads the same edge and path probabilities as the structural features', async () => {
    const ds = firstColumns(lingaussDataset(true), 4);
    const post = await exactPost(ds, BGE);
    const sf = structuralFeatures(post);
    const edges = featureProbabilities(queryFeatures(post, { kind: 'edges' }), post.weights);
    for (let k = 0; k < 16; k++) expect(edges[k]).toBeCloseTo(sf.edge[k]!, 12);
    const pair = featureProbabilities(queryFeatures(post, { kind: 'edge', from: 1, to: 3 }), post.weights);
    expect(pair[0]).toBeCloseTo(sf.edge[1 * 4 + 3]!, 12);
    expect(pair[1]).toBeCloseTo(sf.edge[3 * 4 + 1]!, 12);
    const path = featureProbabilities(queryFeatures(post, { kind: 'effect', cause: 0, effect: 3 }), post.weights);
    expect(path[0]).toBeCloseTo(sf.path[0 * 4 + 3]!, 12);
  });

  it('refuses a query on the same variable twice or outside the posterior', async () => {
    const post = await exactPost(firstColumns(lingaussDataset(true), 3), BGE);
    expect(() => queryFeatures(post, { kind: 'edge', from: 1, to: 1 })).toThrow(/same variable twice/);
    expect(() => queryFeatures(post, { kind: 'effect', cause: 0, effect: 3 })).toThrow(/variables 0\.\.2/);
  });
});

describe('expected information gain, d ≤ 5', () => {
  const queries: DesignQuery[] = [{ kind: 'edges' }, { kind: 'edge', from: 0, to: 1 }, { kind: 'effect', cause: 0, effect: 4 }];

  it('re-weighting equals the exact posterior recomputed on the pooled data, draw by draw (BGe, d = 5)', async () => {
    const ds = lingaussDataset(true);
    const post = await exactPost(ds, BGE);
    const prior = structurePriorTable(5, { kind: 'uniform' });
    for (const query of queries) {
      const est = await expectedInformationGain(post, ds, BGE, { query, rows: 20, outerSamples: 6, seed: 7, targets: [1, 3] });
      for (const g of est.ranking) {
        const exact = await exactExpectedGain(ds, BGE, prior, { query, rows: 20, target: g.target, simulations: 6, seed: 7 });
        expect(Math.abs(exact.expectedGain - g.expectedGain)).toBeLessThan(1e-8);
        expect(Math.abs(exact.priorUncertainty - est.priorUncertainty)).toBeLessThan(1e-10);
      }
    }
  });

  it('re-weighting equals the exact recomputation for discrete data (BDeu, d = 4)', async () => {
    const ds = randomDiscrete(new Rng(11), 4, 150, false);
    const post = await exactPost(ds, BDEU);
    const prior = structurePriorTable(4, { kind: 'uniform' });
    const est = await expectedInformationGain(post, ds, BDEU, { query: { kind: 'edges' }, rows: 30, outerSamples: 8, seed: 3 });
    for (const g of est.ranking) {
      const exact = await exactExpectedGain(ds, BDEU, prior, {
        query: { kind: 'edges' },
        rows: 30,
        target: g.target,
        simulations: 8,
        seed: 3,
      });
      expect(Math.abs(exact.expectedGain - g.expectedGain)).toBeLessThan(1e-8);
    }
  });

  it('with independent draws, every target matches the exact expected gain within its standard error and the ranking matches (d = 4)', async () => {
    const ds = firstColumns(lingaussDataset(true), 4);
    const post = await exactPost(ds, BGE);
    const prior = structurePriorTable(4, { kind: 'uniform' });
    const est = await expectedInformationGain(post, ds, BGE, { query: { kind: 'edges' }, rows: 20, outerSamples: 96, seed: 1 });
    const exact: ExactGain[] = [];
    for (let t = 0; t < 4; t++)
      exact.push(await exactExpectedGain(ds, BGE, prior, { query: { kind: 'edges' }, rows: 20, target: t, simulations: 300, seed: 1000 }));
    for (const g of est.ranking) {
      const e = exact[g.target]!;
      const z = Math.abs(g.expectedGain - e.expectedGain) / Math.hypot(g.standardError, e.standardError);
      expect(z).toBeLessThan(3);
      expect(g.expectedGain).toBeGreaterThan(0);
      expect(g.standardError).toBeGreaterThan(0);
    }
    const exactRanking = [0, 1, 2, 3].sort((a, b) => exact[b]!.expectedGain - exact[a]!.expectedGain);
    expect(est.ranking.map((g) => g.target)).toEqual(exactRanking);
  });

  it('from samples of the posterior, the estimate agrees with the exact posterior’s within the errors', async () => {
    const ds = firstColumns(lingaussDataset(true), 4);
    const post = await exactPost(ds, BGE);
    const rng = new Rng(5);
    const adjacencies: Uint8Array[] = [];
    for (let s = 0; s < 3000; s++) {
      let u = rng.next();
      let k = 0;
      while (k < post.count - 1 && (u -= post.weights[k]!) >= 0) k++;
      const a = new Uint8Array(16);
      for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) if ((post.parents[k * 4 + j]! >>> i) & 1) a[i * 4 + j] = 1;
      adjacencies.push(a);
    }
    const sampled = fromSamples(adjacencies, 4);
    const query: DesignQuery = { kind: 'effect', cause: 0, effect: 3 };
    const a = await expectedInformationGain(post, ds, BGE, { query, rows: 20, outerSamples: 64, seed: 2 });
    const b = await expectedInformationGain(sampled, ds, BGE, { query, rows: 20, outerSamples: 64, seed: 2 });
    for (const g of b.ranking) {
      const e = a.ranking.find((x) => x.target === g.target)!;
      // Same outer streams, different posterior lists: the sampled posterior adds its own error (≈ a few hundredths here).
      expect(Math.abs(g.expectedGain - e.expectedGain)).toBeLessThan(3 * Math.hypot(g.standardError, e.standardError) + 0.03);
      expect(g.meanEffectiveSamples).toBeGreaterThan(10);
    }
  });

  it('refuses bad options with specific messages', async () => {
    const ds = firstColumns(lingaussDataset(true), 3);
    const post = await exactPost(ds, BGE);
    const run = (o: object) => expectedInformationGain(post, ds, BGE, { query: { kind: 'edges' }, rows: 10, ...o });
    await expect(run({ rows: 0 })).rejects.toThrow(/rows per experiment/);
    await expect(run({ targets: [3] })).rejects.toThrow(/target 3 is not a variable 0\.\.2/);
    await expect(run({ targets: [1, 1] })).rejects.toThrow(/listed twice/);
    await expect(run({ outerSamples: 1 })).rejects.toThrow(/outer samples/);
  });
});
