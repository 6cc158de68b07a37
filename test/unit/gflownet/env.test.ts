import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { DagEnvBatch } from '../../../src/gflownet/env/dagEnv.ts';
import { pushForward, uniformPolicyEvaluator } from '../../../src/gflownet/exact/pushForward.ts';
import { codeFromAdjacency } from '../../../src/gflownet/graph/dagCode.ts';
import { randomModularReward, reachableStates } from './helpers.ts';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference/uniform_policy.json', import.meta.url), 'utf8'));

/** Exact final-DAG distribution of the uniform sampler, pushed forward over the environment's own states and masks. */
function uniformPushForward(d: number): Map<string, { p: number; legal: number; adj: Uint8Array }> {
  const c = buildConstraints(d);
  const levels = reachableStates(c);
  const reach = new Map<string, number>([[levels[0]![0]!.key, 1]]);
  const out = new Map<string, { p: number; legal: number; adj: Uint8Array }>();
  for (const level of levels) {
    for (const s of level) {
      const r = reach.get(s.key) ?? 0;
      let legal = 0;
      for (const m of s.mask) legal += m;
      const share = r / (legal + 1);
      out.set(s.key, { p: share, legal, adj: s.adj });
      for (let a = 0; a < d * d; a++) {
        if (!s.mask[a]) continue;
        const child = s.adj.slice();
        child[a] = 1;
        const key = child.join('');
        reach.set(key, (reach.get(key) ?? 0) + share);
      }
    }
  }
  return out;
}

describe('DAG environment against the uniform-policy reference', () => {
  it('gives every one of the 25 DAGs on 3 nodes its exact probability and legal-action count', () => {
    const dist = uniformPushForward(3);
    expect(dist.size).toBe(25);
    for (const entry of reference.d3_all_dags) {
      const key = (entry.adjacency as number[][]).flat().join('');
      const mine = dist.get(key)!;
      expect(mine, key).toBeDefined();
      expect(mine.legal).toBe(entry.num_legal_edge_additions);
      expect(mine.p).toBeCloseTo(entry.probability, 12);
    }
  });

  it('matches the d = 5 summary: 29,281 states, P(empty) = 1/21, edge counts, marginals, legal-action histogram', () => {
    const s = reference.d5_summary;
    const dist = uniformPushForward(5);
    expect(dist.size).toBe(s.num_states);
    expect(dist.get('0'.repeat(25))!.p).toBeCloseTo(s.prob_empty, 12);
    const byEdges = new Float64Array(11);
    const marginals = new Float64Array(25);
    const histogram: Record<string, number> = {};
    for (const { p, legal, adj } of dist.values()) {
      let m = 0;
      for (let a = 0; a < 25; a++) {
        m += adj[a]!;
        marginals[a]! += adj[a]! * p;
      }
      byEdges[m]! += p;
      histogram[legal] = (histogram[legal] ?? 0) + 1;
    }
    s.num_edges_distribution.forEach((p: number, m: number) => expect(byEdges[m]).toBeCloseTo(p, 12));
    (s.edge_marginals as number[][]).flat().forEach((p, a) => expect(marginals[a]).toBeCloseTo(p, 12));
    expect(histogram).toEqual(s.num_legal_actions_histogram);
  });

  it("agrees with the exact push-forward module when its policy is the uniform policy over this environment's masks", async () => {
    const d = 4;
    const c = buildConstraints(d);
    const env = new DagEnvBatch(c, randomModularReward(d, 1), 1);
    const mine = await pushForward(d, (adjacencies, n) => {
      const logStop = new Float64Array(n);
      const logAdd = new Float64Array(n * d * d).fill(-Infinity);
      for (let b = 0; b < n; b++) {
        // Rebuild the state by adding its edges in any legal order (a DAG always has one).
        env.reset(0);
        const target = adjacencies.subarray(b * d * d, (b + 1) * d * d);
        let added = true;
        while (added) {
          added = false;
          for (let a = 0; a < d * d; a++)
            if (target[a] && env.isLegal(0, a) && a !== d * d && !env.adjacency[a]) {
              env.addEdge(0, a);
              added = true;
            }
        }
        const m = env.legalCount[0]!;
        logStop[b] = -Math.log(m + 1);
        for (let a = 0; a < d * d; a++) if (env.mask[a]) logAdd[b * d * d + a] = -Math.log(m + 1);
      }
      return { logStop, logAdd };
    });
    const theirs = await pushForward(d, uniformPolicyEvaluator(d));
    const p = new Map<number, number>();
    theirs.codes.forEach((code, k) => p.set(code, theirs.logProb[k]!));
    mine.codes.forEach((code, k) => expect(mine.logProb[k]).toBeCloseTo(p.get(code)!, 12));
  });

  it('reproduces the d = 3 distribution by seeded Monte Carlo (every DAG within 5 standard errors)', () => {
    const d = 3;
    const env = new DagEnvBatch(buildConstraints(d), randomModularReward(d, 2), 32);
    const rng = new Rng(7);
    const N = 40_000;
    const counts = new Map<number, number>();
    let done = 0;
    while (done < N) {
      for (let k = 0; k < env.n && done < N; k++) {
        const a = env.randomAction(k, rng.next());
        if (a === env.dd) {
          const code = codeFromAdjacency(env.adjacencyOf(k), d);
          counts.set(code, (counts.get(code) ?? 0) + 1);
          env.reset(k);
          done++;
        } else env.addEdge(k, a);
      }
    }
    for (const entry of reference.d3_all_dags) {
      const code = codeFromAdjacency((entry.adjacency as number[][]).flat(), d);
      const p = entry.probability as number;
      const phat = (counts.get(code) ?? 0) / N;
      expect(Math.abs(phat - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
  });
});

/** Path b ⇝ a by DFS, independent of the environment's closure. */
function hasPath(adj: Uint8Array, d: number, from: number, to: number): boolean {
  const seen = new Uint8Array(d);
  const stack = [from];
  while (stack.length) {
    const x = stack.pop()!;
    if (x === to) return true;
    for (let y = 0; y < d; y++)
      if (adj[x * d + y] && !seen[y]) {
        seen[y] = 1;
        stack.push(y);
      }
  }
  return false;
}

describe('closure and mask invariants on long random action sequences', () => {
  it('never builds a cycle, keeps C equal to reachability and offers exactly the legal edges, under random prior knowledge', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const d = 2 + rng.int(8);
      const forbidden: Array<[number, number]> = [];
      const required: Array<[number, number]> = [];
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          if (i === j) continue;
          const u = rng.next();
          if (u < 0.1) forbidden.push([i, j]);
          else if (u < 0.15 && i < j) required.push([i, j]); // i < j keeps the required edges acyclic
        }
      }
      const maxParents = 1 + rng.int(d);
      const tiers = rng.next() < 0.3 ? Array.from({ length: d }, () => rng.int(3)) : undefined;
      let c;
      try {
        c = buildConstraints(d, { forbidden, required, maxParents, tiers });
      } catch {
        continue; // conflicting random knowledge (a required edge against a tier or the bound)
      }
      const reward = randomModularReward(d, trial);
      const env = new DagEnvBatch(c, reward, 3);
      for (let step = 0; step < 200; step++) {
        const k = rng.int(env.n);
        const a = env.randomAction(k, rng.next());
        if (a === env.dd) {
          env.reset(k);
        } else {
          const before = env.logReward[k]!;
          const delta = env.addEdge(k, a);
          expect(env.logReward[k]! - before).toBeCloseTo(delta, 9);
        }
        const adj = env.adjacencyOf(k);
        const o = k * env.dd;
        let legal = 0;
        const problems: string[] = [];
        for (let i = 0; i < d; i++) {
          let parents = 0;
          for (let p = 0; p < d; p++) parents += adj[p * d + i]!;
          if (env.parentCount[k * d + i] !== parents) problems.push(`parent count of ${i}`);
          for (let j = 0; j < d; j++) {
            // C[i][j] = 1 iff j ⇝ i (reflexive).
            if (env.closure[o + i * d + j] !== (i === j || hasPath(adj, d, j, i) ? 1 : 0)) problems.push(`closure ${i},${j}`);
            if (i !== j && hasPath(adj, d, i, j) && hasPath(adj, d, j, i)) problems.push(`cycle through ${i},${j}`);
            let childParents = 0;
            for (let p = 0; p < d; p++) childParents += adj[p * d + j]!;
            const ok = i !== j && !adj[i * d + j] && !hasPath(adj, d, j, i) && childParents < maxParents && c.allowed[i * d + j] === 1;
            if (env.mask[o + i * d + j] !== (ok ? 1 : 0)) problems.push(`mask ${i}→${j}`);
            legal += ok ? 1 : 0;
          }
        }
        if (env.legalCount[k] !== legal) problems.push('legal count');
        for (const [i, j] of required) if (adj[i * d + j] !== 1) problems.push(`required ${i}→${j} missing`);
        for (const [i, j] of forbidden) if (adj[i * d + j] !== 0) problems.push(`forbidden ${i}→${j} present`);
        expect(problems, `trial ${trial}, step ${step}`).toEqual([]);
        expect(env.logReward[k]).toBeCloseTo(reward.logReward(adj), 9);
      }
    }
  });

  it('rejects contradictory knowledge with a user error', () => {
    expect(() =>
      buildConstraints(3, {
        required: [
          [0, 1],
          [1, 2],
          [2, 0],
        ],
      }),
    ).toThrow(/cycle/);
    expect(() => buildConstraints(3, { required: [[0, 1]], forbidden: [[0, 1]] })).toThrow(/forbidden/);
    expect(() =>
      buildConstraints(3, {
        required: [
          [0, 2],
          [1, 2],
        ],
        maxParents: 1,
      }),
    ).toThrow(/required parents/);
    expect(() => buildConstraints(3, { forbidden: [[0, 0]] })).toThrow(/not an edge/);
  });
});
