/**
 * Small hand-made problems for the MCMC tests: a modular reward with arbitrary (seeded) family
 * scores, and brute-force enumeration of every DAG on up to 4 nodes.
 */
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { logSumExp } from '../../../src/gflownet/core/logmath.ts';
import type { FamilyScorer } from '../../../src/gflownet/mcmc/types.ts';
import { parentMasks, unrestrictedRules, type EdgeRules, type ParentMasks } from '../../../src/gflownet/mcmc/rules.ts';

/** Family log rewards drawn once per (node, parent set) from N(0, scale²), deterministic in the seed. */
export function randomFamilyScorer(d: number, seed: number, scale = 1.5): FamilyScorer {
  const rng = new Rng(seed);
  const table = new Map<string, number>();
  // Fill in a fixed order so the values do not depend on the order of queries.
  for (let j = 0; j < d; j++) {
    for (let mask = 0; mask < 1 << d; mask++) {
      if (mask & (1 << j)) continue;
      const parents: number[] = [];
      for (let i = 0; i < d; i++) if (mask & (1 << i)) parents.push(i);
      table.set(`${j}:${parents.join(',')}`, scale * rng.normal());
    }
  }
  return {
    d,
    familyLogReward(node, parents) {
      const v = table.get(`${node}:${parents.join(',')}`);
      if (v === undefined) throw new Error(`no score for ${node} | ${parents.join(',')}`);
      return v;
    },
  };
}

export function isAcyclic(adjacency: Uint8Array, d: number): boolean {
  const indegree = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (adjacency[i * d + j]) indegree[j]!++;
  const queue: number[] = [];
  for (let j = 0; j < d; j++) if (indegree[j] === 0) queue.push(j);
  let seen = 0;
  while (queue.length) {
    const u = queue.pop()!;
    seen++;
    for (let v = 0; v < d; v++) if (adjacency[u * d + v] && --indegree[v]! === 0) queue.push(v);
  }
  return seen === d;
}

export function dagKey(adjacency: ArrayLike<number>): string {
  let s = '';
  for (let e = 0; e < adjacency.length; e++) s += adjacency[e] ? '1' : '0';
  return s;
}

export function logRewardOf(scorer: FamilyScorer, adjacency: Uint8Array): number {
  const d = scorer.d;
  let total = 0;
  for (let j = 0; j < d; j++) {
    const parents: number[] = [];
    for (let i = 0; i < d; i++) if (adjacency[i * d + j]) parents.push(i);
    total += scorer.familyLogReward(j, parents);
  }
  return total;
}

export interface EnumeratedDag {
  adjacency: Uint8Array;
  key: string;
  logReward: number;
}

/** Every DAG on d ≤ 4 nodes that obeys the rules, with log R. */
export function allDags(scorer: FamilyScorer, masks: ParentMasks): EnumeratedDag[] {
  const d = scorer.d;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) pairs.push([i, j]);
  const out: EnumeratedDag[] = [];
  for (let code = 0; code < 1 << pairs.length; code++) {
    const adjacency = new Uint8Array(d * d);
    pairs.forEach(([i, j], k) => {
      if (code & (1 << k)) adjacency[i * d + j] = 1;
    });
    if (!obeys(adjacency, masks) || !isAcyclic(adjacency, d)) continue;
    out.push({ adjacency, key: dagKey(adjacency), logReward: logRewardOf(scorer, adjacency) });
  }
  return out;
}

export function obeys(adjacency: Uint8Array, masks: ParentMasks): boolean {
  const { d, rules } = masks;
  for (let j = 0; j < d; j++) {
    let k = 0;
    for (let i = 0; i < d; i++) {
      const e = i * d + j;
      if (adjacency[e]) {
        k++;
        if (!rules.allowed[e]) return false;
      } else if (rules.required[e]) return false;
    }
    if (k > masks.maxParents) return false;
  }
  return true;
}

/** The exact posterior over the enumerated DAGs, as probabilities keyed by dagKey. */
export function exactPosterior(dags: EnumeratedDag[]): Map<string, number> {
  const logZ = logSumExp(dags.map((g) => g.logReward));
  return new Map(dags.map((g) => [g.key, Math.exp(g.logReward - logZ)]));
}

export function exactEdgeMarginals(dags: EnumeratedDag[], d: number): Float64Array {
  const post = exactPosterior(dags);
  const m = new Float64Array(d * d);
  for (const g of dags) for (let e = 0; e < d * d; e++) if (g.adjacency[e]) m[e]! += post.get(g.key)!;
  return m;
}

/** Rules on d nodes with some prior knowledge (one forbidden, one required edge, a parent bound). */
export function knowledgeRules(
  d: number,
  opts: { forbidden?: Array<[number, number]>; required?: Array<[number, number]>; maxParents?: number },
): EdgeRules {
  const base = unrestrictedRules(d, opts.maxParents ?? d - 1);
  const allowed = Uint8Array.from(base.allowed);
  const required = new Uint8Array(d * d);
  for (const [i, j] of opts.forbidden ?? []) allowed[i * d + j] = 0;
  for (const [i, j] of opts.required ?? []) required[i * d + j] = 1;
  return { d, allowed, required, maxParents: base.maxParents };
}

export { parentMasks, unrestrictedRules };
