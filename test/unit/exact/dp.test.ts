import { describe, expect, it } from 'vitest';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import type { LocalScoreModel, PriorKnowledge } from '../../../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';
import { dpPosterior } from '../../../src/gflownet/exact/dp.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { lingaussDataset, randomLocalScores, readReference } from './fixtures.ts';

function binomial(n: number, k: number): number {
  let b = 1;
  for (let i = 1; i <= k; i++) b = (b * (n - k + i)) / i;
  return b;
}

const zeroScores = (d: number): LocalScoreModel => ({ d, name: 'zero', localScore: () => 0 });

/** Random linear-Gaussian data on a random DAG (independent of the synth module). */
function randomGaussianData(d: number, rows: number, seed: number) {
  const rng = new Rng(seed);
  const cols = Array.from({ length: d }, () => new Array<number>(rows).fill(0));
  const w = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (j > i && rng.next() < 0.5 ? rng.normal() : 0)));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      let v = 0.3 * rng.normal();
      for (let i = 0; i < j; i++) v += w[i]![j]! * cols[i]![r]!;
      cols[j]![r] = v;
    }
  }
  return datasetFromColumns({ names: cols.map((_, j) => `V${j}`), continuous: cols, standardize: seed % 2 === 0 });
}

describe('exact edge marginals by dynamic programming', () => {
  it('matches the reference log Z and marginals on lingauss_d5_n100 (fair prior)', async () => {
    const ref = readReference('lingauss_d5_n100.json').exact_posterior.fair;
    const model = createScoreModel(lingaussDataset(false), { score: 'bge', alphaMu: 1, alphaW: 7, mean: 'zero' });
    const p = await dpPosterior(createRewardModel(model, structurePriorTable(5, { kind: 'fair' })));
    expect(Math.abs(p.logZ - ref.log_Z) / Math.abs(ref.log_Z)).toBeLessThan(1e-8);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) expect(Math.abs(p.edgeMarginals[i * 5 + j]! - ref.edge_marginals[i][j])).toBeLessThan(1e-9);
    expect(Math.abs(p.expectedEdges - ref.expected_num_edges)).toBeLessThan(1e-9);
  });

  const knowledgeCases: Array<[string, Partial<PriorKnowledge>]> = [
    ['no knowledge', {}],
    ['max 2 parents', { maxParents: 2 }],
    ['max 1 parent', { maxParents: 1 }],
    [
      'required and forbidden edges',
      {
        required: [
          [0, 1],
          [2, 1],
        ],
        forbidden: [
          [3, 0],
          [1, 3],
        ],
      },
    ],
    ['tiers', { tiers: [0, 0, 1, 1, 2] }],
  ];

  it.each(knowledgeCases)('equals enumeration on random BGe data sets, d = 2..5 (%s)', async (_label, knowledge) => {
    for (let d = 2; d <= 5; d++) {
      for (const [seed, prior] of [
        [d, 'uniform'],
        [10 + d, 'erdos-renyi'],
        [20 + d, 'fair'],
        [30 + d, 'edge'],
      ] as const) {
        const kn: Partial<PriorKnowledge> = {
          ...knowledge,
          required: (knowledge.required ?? []).filter(([i, j]) => i < d && j < d),
          forbidden: (knowledge.forbidden ?? []).filter(([i, j]) => i < d && j < d),
          tiers: knowledge.tiers?.slice(0, d),
        };
        const data = randomGaussianData(d, 60, seed);
        const reward = createRewardModel(
          createScoreModel(data, { score: 'bge' }),
          structurePriorTable(d, { kind: prior, edgesPerNode: 0.3 }),
        );
        const e = await enumeratePosterior(reward, kn);
        const p = await dpPosterior(reward, kn);
        const where = `d=${d} seed=${seed} prior=${prior}`;
        expect(Math.abs(p.logZ - e.logZ), where).toBeLessThan(1e-10 * Math.max(1, Math.abs(e.logZ)));
        for (let k = 0; k < d * d; k++)
          expect(Math.abs(p.edgeMarginals[k]! - e.edgeMarginals[k]!), `${where} entry ${k}`).toBeLessThan(1e-11);
        expect(Math.abs(p.expectedEdges - e.expectedEdges)).toBeLessThan(1e-10);
        expect(Math.abs(p.maxLogJoint - e.map[0]!.logJoint)).toBeLessThan(1e-9 * Math.max(1, Math.abs(e.logZ)));
      }
    }
  });

  it('equals enumeration for a non-score-equivalent scorer with a wide range of values', async () => {
    const reward = createRewardModel(randomLocalScores(5, 99, 400), structurePriorTable(5, { kind: 'uniform' }));
    const e = await enumeratePosterior(reward);
    const p = await dpPosterior(reward);
    expect(Math.abs(p.logZ - e.logZ)).toBeLessThan(1e-10 * Math.abs(e.logZ));
    for (let k = 0; k < 25; k++) expect(Math.abs(p.edgeMarginals[k]! - e.edgeMarginals[k]!)).toBeLessThan(1e-11);
  });

  it('counts DAGs beyond enumeration: zero scores give log Z = log #DAGs, and in-degree ≤ 1 gives (d+1)^(d−1) forests', async () => {
    const counts: Record<number, number> = { 6: 3781503, 7: 1138779265, 8: 783702329343 };
    for (const d of [6, 7, 8]) {
      const p = await dpPosterior(createRewardModel(zeroScores(d), structurePriorTable(d, { kind: 'uniform' })));
      expect(Math.abs(p.logZ - Math.log(counts[d]!))).toBeLessThan(1e-11);
      // By symmetry every ordered pair has the same marginal, and it is E[#edges]/(d(d−1)).
      for (let k = 1; k < d * d; k++)
        if (k % (d + 1) !== 0) expect(Math.abs(p.edgeMarginals[k]! - p.edgeMarginals[1]!)).toBeLessThan(1e-12);
      const forest = await dpPosterior(createRewardModel(zeroScores(d), structurePriorTable(d, { kind: 'uniform' })), { maxParents: 1 });
      expect(Math.abs(forest.logZ - (d - 1) * Math.log(d + 1))).toBeLessThan(1e-11);
      // In a uniformly random rooted forest the number of roots k has P(k) ∝ C(d−1, k−1)·d^(d−k)
      // (forests on d labelled nodes with k given roots: k·d^(d−k−1)); edges = d − k.
      let total = 0;
      let weighted = 0;
      for (let k = 1; k <= d; k++) {
        const n = binomial(d, k) * k * d ** (d - k - 1);
        total += n;
        weighted += n * (d - k);
      }
      expect(total).toBeCloseTo((d + 1) ** (d - 1), 0);
      expect(Math.abs(forest.expectedEdges - weighted / total)).toBeLessThan(1e-10);
      expect(Math.abs(forest.expectedEdges - forest.edgeMarginals[1]! * d * (d - 1))).toBeLessThan(1e-10);
    }
  });

  it('gives required edges probability 1 and forbidden ones 0 at d = 9', async () => {
    const reward = createRewardModel(randomLocalScores(9, 5, 20), structurePriorTable(9, { kind: 'uniform' }));
    const p = await dpPosterior(reward, {
      required: [
        [0, 8],
        [8, 3],
      ],
      forbidden: [[4, 5]],
      maxParents: 3,
    });
    expect(p.edgeMarginals[0 * 9 + 8]).toBeCloseTo(1, 12);
    expect(p.edgeMarginals[8 * 9 + 3]).toBeCloseTo(1, 12);
    expect(p.edgeMarginals[4 * 9 + 5]).toBe(0);
    expect(p.edgeMarginals[8 * 9 + 0]).toBe(0);
    expect(p.numericalCheck).toBeLessThan(1e-12);
  });

  it('stops when cancelled and refuses more than the limit', async () => {
    const controller = new AbortController();
    controller.abort();
    const reward = createRewardModel(zeroScores(12), structurePriorTable(12, { kind: 'uniform' }));
    await expect(dpPosterior(reward, {}, { signal: controller.signal, progress: () => {}, log: () => {} })).rejects.toThrow(/cancelled/);
    // Mid-run: the 3^15 forward steps take far longer than 20 ms.
    const running = new AbortController();
    setTimeout(() => running.abort(), 20);
    const big = createRewardModel(zeroScores(15), structurePriorTable(15, { kind: 'uniform' }));
    await expect(dpPosterior(big, { maxParents: 2 }, { signal: running.signal, progress: () => {}, log: () => {} })).rejects.toThrow(
      /cancelled/,
    );
    await expect(dpPosterior(createRewardModel(zeroScores(40), structurePriorTable(40, { kind: 'uniform' })))).rejects.toThrow(
      /limited to/,
    );
  });
});
