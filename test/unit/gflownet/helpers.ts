/** Small hand-made problems for the GFlowNet tests: no data, a reward with a known structure. */
import { Rng } from '../../../src/gflownet/core/rng.ts';
import type { EdgeReward } from '../../../src/gflownet/env/dagEnv.ts';
import { addEdgeInPlace, closureOf, refreshMask } from '../../../src/gflownet/env/dagEnv.ts';
import type { EnvConstraints } from '../../../src/gflownet/env/constraints.ts';

export interface TestReward extends EdgeReward {
  familyLogReward(node: number, parents: readonly number[]): number;
}

/**
 * log R(G) = Σ_j table_j(Pa_j) with every family value drawn once from N(0, scale²) (seeded),
 * plus `edgeBonus` per parent — a modular reward like a real score, with no data behind it.
 */
export function randomModularReward(d: number, seed: number, scale = 2, edgeBonus = 0): TestReward {
  const rng = new Rng(seed);
  const tables = Array.from({ length: d }, () => Float64Array.from({ length: 1 << d }, () => rng.normal() * scale));
  const familyLogReward = (node: number, parents: readonly number[]): number => {
    let mask = 0;
    for (const p of parents) mask |= 1 << p;
    return tables[node]![mask]! + edgeBonus * parents.length;
  };
  const parentsOf = (adj: Uint8Array, j: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < d; i++) if (adj[i * d + j]) out.push(i);
    return out;
  };
  return {
    d,
    familyLogReward,
    logReward(adj) {
      let s = 0;
      for (let j = 0; j < d; j++) s += familyLogReward(j, parentsOf(adj, j));
      return s;
    },
    deltaLogReward(adj, i, j) {
      const before = parentsOf(adj, j);
      const after = [...before, i].sort((a, b) => a - b);
      return familyLogReward(j, after) - familyLogReward(j, before);
    },
  };
}

export interface ExplicitState {
  adj: Uint8Array;
  clo: Uint8Array;
  mask: Uint8Array;
  parents: Int32Array;
  key: string;
  edges: number;
}

/** Every state reachable from the start state, level by level (edge count), built with the environment's own updates. */
export function reachableStates(c: EnvConstraints): ExplicitState[][] {
  const d = c.d;
  const make = (adj: Uint8Array): ExplicitState => {
    const clo = new Uint8Array(d * d);
    const parents = new Int32Array(d);
    closureOf(d, adj, clo, parents);
    const mask = new Uint8Array(d * d);
    refreshMask(c, adj, clo, mask, parents);
    let edges = 0;
    for (const x of adj) edges += x;
    return { adj, clo, mask, parents, key: adj.join(''), edges };
  };
  const levels: ExplicitState[][] = [[make(c.required.slice())]];
  for (;;) {
    const next = new Map<string, ExplicitState>();
    for (const s of levels[levels.length - 1]!) {
      for (let a = 0; a < d * d; a++) {
        if (!s.mask[a]) continue;
        const adj = s.adj.slice();
        const clo = s.clo.slice();
        const mask = s.mask.slice();
        const parents = s.parents.slice();
        addEdgeInPlace(c, adj, clo, mask, parents, Math.floor(a / d), a % d);
        const key = adj.join('');
        if (!next.has(key)) next.set(key, { adj, clo, mask, parents, key, edges: s.edges + 1 });
      }
    }
    if (next.size === 0) return levels;
    levels.push([...next.values()]);
  }
}
