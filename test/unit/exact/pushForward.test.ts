import { describe, expect, it } from 'vitest';
import { compareDistributions, edgeMarginalsOfDistribution, totalLogMass } from '../../../src/gflownet/exact/distribution.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { optimalPolicy } from '../../../src/gflownet/exact/optimalPolicy.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { lingaussDataset, readReference } from './fixtures.ts';
import { enumerateStatesByEdgeCount, legalAdditions } from '../../../src/gflownet/exact/enumerate.ts';
import { pushForward, uniformPolicyEvaluator, type PolicyBatchEvaluator } from '../../../src/gflownet/exact/pushForward.ts';
import { codeFromAdjacency, codeFromEdges } from '../../../src/gflownet/graph/dagCode.ts';
import { popcount } from '../../../src/gflownet/exact/constraints.ts';

const reference = readReference('uniform_policy.json');

describe('enumeration of DAG states', () => {
  it('counts all DAGs for d = 1..5 (OEIS A003024)', () => {
    expect([1, 2, 3, 4, 5].map((d) => enumerateStatesByEdgeCount(d).codes.length)).toEqual([1, 3, 25, 543, 29281]);
  });

  it('orders states by edge count and lists each once', () => {
    const s = enumerateStatesByEdgeCount(4);
    for (let k = 1; k < s.codes.length; k++) expect(s.edgeCounts[k]).toBeGreaterThanOrEqual(s.edgeCounts[k - 1]!);
    for (let k = 0; k < s.codes.length; k++) expect(popcount(s.codes[k]!)).toBe(s.edgeCounts[k]);
    expect(new Set(s.codes).size).toBe(s.codes.length);
  });

  it('respects required, forbidden and max-parents knowledge', () => {
    const s = enumerateStatesByEdgeCount(4, { required: [[0, 1]], forbidden: [[2, 3]], maxParents: 1 });
    const req = codeFromEdges([[0, 1]], 4);
    const forb = codeFromEdges([[2, 3]], 4);
    for (const code of s.codes) {
      expect(code & req).toBe(req);
      expect(code & forb).toBe(0);
      for (let j = 0; j < 4; j++) {
        let parents = 0;
        for (let i = 0; i < 4; i++) parents += (code >>> (i * 4 + j)) & 1;
        expect(parents).toBeLessThanOrEqual(1);
      }
    }
    // Brute force over all 2^12 off-diagonal graphs gives the same set.
    const all = enumerateStatesByEdgeCount(4);
    const expected = [...all.codes].filter(
      (c) =>
        (c & req) === req &&
        (c & forb) === 0 &&
        [0, 1, 2, 3].every((j) => [0, 1, 2, 3].reduce((n, i) => n + ((c >>> (i * 4 + j)) & 1), 0) <= 1),
    );
    expect(new Set(s.codes)).toEqual(new Set(expected));
  });

  it('rejects d > 5 with a clear error', () => {
    expect(() => enumerateStatesByEdgeCount(6)).toThrow(/limited to 5 variables/);
  });
});

describe('push-forward of the uniform-random sampler', () => {
  it('reproduces every d = 3 probability of uniform_policy.json', async () => {
    const dist = await pushForward(3, uniformPolicyEvaluator(3));
    expect(dist.codes.length).toBe(25);
    const byCode = new Map<number, number>();
    dist.codes.forEach((c, k) => byCode.set(c, Math.exp(dist.logProb[k]!)));
    for (const entry of reference.d3_all_dags) {
      const code = codeFromAdjacency((entry.adjacency as number[][]).flat(), 3);
      expect(byCode.get(code)).toBeCloseTo(entry.probability, 12);
      expect(popcount(legalAdditions(code, dist.states.constraints))).toBe(entry.num_legal_edge_additions);
    }
    expect(Math.abs(totalLogMass(dist))).toBeLessThan(1e-12);
  });

  it('reproduces the d = 5 summary (edge-count distribution, marginals, named states)', async () => {
    const s = reference.d5_summary;
    const dist = await pushForward(5, uniformPolicyEvaluator(5), { batchSize: 1000 });
    expect(dist.codes.length).toBe(s.num_states);
    const p = (code: number): number => Math.exp(dist.logProb[dist.states.indexOf.get(code)!]!);
    expect(p(0)).toBeCloseTo(s.prob_empty, 12);
    expect(
      p(
        codeFromEdges(
          [
            [0, 1],
            [1, 2],
            [2, 3],
            [3, 4],
          ],
          5,
        ),
      ),
    ).toBeCloseTo(s.prob_chain_0_1_2_3_4, 14);
    const upper: Array<[number, number]> = [];
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) upper.push([i, j]);
    expect(p(codeFromEdges(upper, 5))).toBeCloseTo(s.prob_full_upper_triangular, 14);
    const byEdges = new Array(11).fill(0);
    dist.codes.forEach((c, k) => (byEdges[popcount(c)] += Math.exp(dist.logProb[k]!)));
    byEdges.forEach((v, k) => expect(v).toBeCloseTo(s.num_edges_distribution[k], 12));
    const m = edgeMarginalsOfDistribution(dist);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(m[i * 5 + j]).toBeCloseTo(s.edge_marginals[i][j], 12);
    const hist: Record<string, number> = {};
    for (const c of dist.codes) {
      const m2 = String(popcount(legalAdditions(c, dist.states.constraints)));
      hist[m2] = (hist[m2] ?? 0) + 1;
    }
    expect(hist).toEqual(s.num_legal_actions_histogram);
  });

  it('rejects a policy that puts mass on an illegal action or does not normalise', async () => {
    const uniform = uniformPolicyEvaluator(3);
    const illegal: PolicyBatchEvaluator = async (adj, n) => {
      const r = await uniform(adj, n);
      r.logAdd[0] = Math.log(0.1); // 0 → 0 is never legal
      return r;
    };
    await expect(pushForward(3, illegal)).rejects.toThrow(/illegal action 0→0/);
    const unnormalised: PolicyBatchEvaluator = async (adj, n) => {
      const r = await uniform(adj, n);
      r.logStop.fill(0);
      return r;
    };
    await expect(pushForward(3, unnormalised)).rejects.toThrow(/sum to/);
  });

  it('starts from the required edges and stops within a second when cancelled', async () => {
    const dist = await pushForward(3, uniformPolicyEvaluator(3, { required: [[0, 1]] }), { knowledge: { required: [[0, 1]] } });
    expect(dist.states.codes[0]).toBe(codeFromEdges([[0, 1]], 3));
    expect(Math.abs(totalLogMass(dist))).toBeLessThan(1e-12);
    const controller = new AbortController();
    controller.abort();
    await expect(
      pushForward(3, uniformPolicyEvaluator(3), { ctx: { signal: controller.signal, progress: () => {}, log: () => {} } }),
    ).rejects.toThrow(/cancelled/);
  });
});

describe('the exact DB-optimal policy', () => {
  it('matches the reference flows and log-probabilities at the empty and the true graph, and pushes forward to the posterior', async () => {
    const ref = readReference('lingauss_d5_n100.json').exact_posterior.uniform;
    const model = createScoreModel(lingaussDataset(false), { score: 'bge', alphaMu: 1, alphaW: 7, mean: 'zero' });
    const posterior = await enumeratePosterior(createRewardModel(model, structurePriorTable(5, { kind: 'uniform' })));
    const policy = optimalPolicy(posterior);
    expect(Math.abs(policy.logFlow[0]! - posterior.logZ)).toBeLessThan(1e-9);
    for (const key of ['empty_graph', 'true_graph'] as const) {
      const state = ref.optimal_policy[key];
      const adjacency = Uint8Array.from((state.state_adjacency as number[][]).flat());
      const k = policy.states.indexOf.get(codeFromAdjacency(adjacency, 5))!;
      expect(Math.abs(policy.logFlow[k]! - state.log_state_flow)).toBeLessThan(1e-9);
      const out = await policy.evaluate(adjacency, 1);
      expect(Math.abs(out.logStop[0]! - state.log_p_stop)).toBeLessThan(1e-9);
      (state.log_p_add_edge as Array<Array<number | null>>).forEach((row, i) =>
        row.forEach((lp, j) => {
          if (lp === null) expect(out.logAdd[i * 5 + j]).toBe(-Infinity);
          else expect(Math.abs(out.logAdd[i * 5 + j]! - lp)).toBeLessThan(1e-9);
        }),
      );
    }
    const dist = await pushForward(5, policy.evaluate, { normalizationTolerance: 1e-9 });
    for (let k = 0; k < dist.codes.length; k++) expect(Math.abs(dist.logProb[k]! - posterior.distribution.logProb[k]!)).toBeLessThan(1e-8);
    const c = compareDistributions(dist, posterior.distribution);
    expect(c.jsd).toBeLessThan(1e-12);
    expect(c.edgeMarginalMaxError).toBeLessThan(1e-12);
    // The uniform sampler is far from it: the reference JSD.
    const uniform = await pushForward(5, uniformPolicyEvaluator(5));
    expect(compareDistributions(uniform, posterior.distribution).jsd).toBeCloseTo(ref.jsd_exact_vs_uniform_policy_sampler, 10);
  });
});
