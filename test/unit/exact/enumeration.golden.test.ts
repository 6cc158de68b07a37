import { describe, expect, it } from 'vitest';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { enumeratePosterior, type EnumerationPosterior } from '../../../src/gflownet/exact/posterior.ts';
import { adjacencyFromCode, codeFromAdjacency } from '../../../src/gflownet/graph/dagCode.ts';
import { expectedShd } from '../../../src/gflownet/metrics/shd.ts';
import { jensenShannon } from '../../../src/gflownet/metrics/jsd.ts';
import { edgeAuroc, edgeAveragePrecision } from '../../../src/gflownet/metrics/roc.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import type { StructurePriorOptions } from '../../../src/gflownet/core/types.ts';
import { lingaussDataset, matrixToArray, readReference } from './fixtures.ts';

const ref = readReference('lingauss_d5_n100.json');
const d = 5;
const truth = matrixToArray(ref.true_dag.adjacency);

const cases: Array<{ label: string; prior: StructurePriorOptions; standardize: boolean; expected: typeof ref.exact_posterior.uniform }> = [
  { label: 'uniform', prior: { kind: 'uniform' }, standardize: false, expected: ref.exact_posterior.uniform },
  { label: 'erdos_renyi', prior: { kind: 'erdos-renyi', edgesPerNode: 1 }, standardize: false, expected: ref.exact_posterior.erdos_renyi },
  { label: 'fair', prior: { kind: 'fair' }, standardize: false, expected: ref.exact_posterior.fair },
  {
    label: 'uniform, z-scored data',
    prior: { kind: 'uniform' },
    standardize: true,
    expected: ref.exact_posterior_standardised_data_uniform,
  },
];

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe.each(cases)('exact posterior by enumeration on lingauss_d5_n100: $label', ({ prior, standardize, expected }) => {
  let post: EnumerationPosterior;
  const get = async (): Promise<EnumerationPosterior> => {
    if (!post) {
      const model = createScoreModel(lingaussDataset(standardize), { score: 'bge', alphaMu: 1, alphaW: d + 2, mean: 'zero' });
      post = await enumeratePosterior(createRewardModel(model, structurePriorTable(d, prior)));
    }
    return post;
  };

  it('log Z to 1e-8 relative over all 29,281 DAGs', async () => {
    const p = await get();
    expect(p.numDags).toBe(expected.num_dags);
    expect(relErr(p.logZ, expected.log_Z)).toBeLessThan(1e-8);
  });

  it('every edge marginal to 1e-9 absolute, and the expected number of edges', async () => {
    const p = await get();
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) expect(Math.abs(p.edgeMarginals[i * d + j]! - expected.edge_marginals[i][j])).toBeLessThan(1e-9);
    expect(Math.abs(p.expectedEdges - expected.expected_num_edges)).toBeLessThan(1e-9);
    expected.num_edges_distribution.forEach((q: number, k: number) => expect(Math.abs(p.edgeCountDistribution[k]! - q)).toBeLessThan(1e-9));
    expect(Math.abs(p.entropy - expected.posterior_entropy_nats)).toBeLessThan(1e-8);
  });

  it('the whole tied MAP set, in increasing code order', async () => {
    const p = await get();
    const want = (expected.map.dags as number[][][]).map((m) => codeFromAdjacency(m.flat(), d));
    expect(p.map.map((m) => m.code)).toEqual(want);
    for (const m of p.map) expect(Math.abs(m.logPosterior - expected.map.log_posterior)).toBeLessThan(1e-8);
  });

  it('the top 20 (where listed) and the true DAG with their log posteriors', async () => {
    const p = await get();
    const k = p.distribution.codes.indexOf(codeFromAdjacency(truth, d));
    expect(Math.abs(p.distribution.logProb[k]! - expected.true_dag.log_posterior)).toBeLessThan(1e-8);
    const better = p.logJoint.filter((v) => v > p.logJoint[k]! + 1e-9 * Math.abs(v)).length;
    expect(better + 1).toBe(expected.true_dag.rank_1_based);
    const top = p.top(20);
    ((expected.top20 ?? []) as Array<{ adjacency: number[][]; log_posterior: number }>).forEach((t, k) => {
      expect(top[k]!.code).toBe(codeFromAdjacency(t.adjacency.flat(), d));
      expect(Math.abs(top[k]!.logPosterior - t.log_posterior)).toBeLessThan(1e-8);
    });
  });

  it('E-SHD to the true DAG, AUROC (full matrix and off-diagonal) and average precision', async () => {
    const p = await get();
    const graphs = Array.from(p.distribution.codes, (c) => adjacencyFromCode(c, d));
    const weights = Array.from(p.distribution.logProb, Math.exp);
    expect(Math.abs(expectedShd(graphs, truth, d, weights) - expected.expected_shd_vs_true)).toBeLessThan(1e-9);
    expect(edgeAuroc(p.edgeMarginals, truth, d, { includeDiagonal: true })).toBeCloseTo(expected.auroc_full_matrix, 12);
    expect(edgeAuroc(p.edgeMarginals, truth, d)).toBeCloseTo(expected.auroc_offdiagonal, 12);
    expect(edgeAveragePrecision(p.edgeMarginals, truth, d, { includeDiagonal: true })).toBeCloseTo(
      expected.average_precision_full_matrix,
      12,
    );
  });

  it.skipIf(expected.jsd_exact_vs_uniform_over_dags === undefined)('JSD to the uniform distribution over all DAGs', async () => {
    const p = await get();
    const uniform = { codes: p.distribution.codes, logProb: new Float64Array(p.numDags).fill(-Math.log(p.numDags)) };
    expect(jensenShannon(p.distribution, uniform)).toBeCloseTo(expected.jsd_exact_vs_uniform_over_dags, 12);
  });
});
