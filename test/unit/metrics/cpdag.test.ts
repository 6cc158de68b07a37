import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enumerateStatesByEdgeCount } from '../../../src/gflownet/exact/enumerate.ts';
import { adjacencyFromCode, codeFromEdges } from '../../../src/gflownet/graph/dagCode.ts';
import { cpdagEdges, cpdagShd, dagToCpdag, expectedCpdagShd } from '../../../src/gflownet/graph/cpdag.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { lingaussDataset } from '../exact/fixtures.ts';

const adj = (d: number, edges: Array<[number, number]>): Uint8Array => adjacencyFromCode(codeFromEdges(edges, d), d);

/** Skeleton plus v-structures: the Verma–Pearl characterisation of Markov equivalence, computed independently. */
function equivalenceKey(a: Uint8Array, d: number): string {
  const parts: string[] = [];
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) if (a[i * d + j] || a[j * d + i]) parts.push(`${i}-${j}`);
  for (let j = 0; j < d; j++) {
    for (let x = 0; x < d; x++) {
      for (let y = x + 1; y < d; y++) {
        if (a[x * d + j] && a[y * d + j] && !a[x * d + y] && !a[y * d + x]) parts.push(`${x}>${j}<${y}`);
      }
    }
  }
  return parts.join(',');
}

/**
 * Meek's rules applied the plain way — every rule scans all d nodes — as the first version of
 * dagToCpdag did: the reference the sparse version (neighbours only) must agree with.
 */
function referenceCpdag(a: Uint8Array, d: number): Uint8Array {
  const dag = (i: number, j: number): boolean => a[i * d + j] === 1;
  const adjacent = (i: number, j: number): boolean => dag(i, j) || dag(j, i);
  const c = new Uint8Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (dag(i, j)) c[i * d + j] = c[j * d + i] = 1;
  const directed = (i: number, j: number): boolean => c[i * d + j] === 1 && c[j * d + i] === 0;
  const undirected = (i: number, j: number): boolean => c[i * d + j] === 1 && c[j * d + i] === 1;
  for (let j = 0; j < d; j++)
    for (let x = 0; x < d; x++)
      for (let y = x + 1; y < d; y++) if (dag(x, j) && dag(y, j) && !adjacent(x, y)) c[j * d + x] = c[j * d + y] = 0;
  const forced = (x: number, y: number): boolean => {
    for (let k = 0; k < d; k++) {
      if (k === x || k === y) continue;
      if (directed(k, x) && !adjacent(k, y)) return true;
      if (directed(x, k) && directed(k, y)) return true;
    }
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++)
        if ([p, q].every((k) => k !== x && k !== y && undirected(x, k) && directed(k, y)) && !adjacent(p, q)) return true;
    return false;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let x = 0; x < d; x++)
      for (let y = 0; y < d; y++)
        if (x !== y && undirected(x, y) && forced(x, y)) {
          c[y * d + x] = 0;
          changed = true;
        }
  }
  return c;
}

/** A random DAG: a random order, each forward pair an edge with probability `density`. */
const randomDag = fc
  .record({ d: fc.integer({ min: 2, max: 14 }), density: fc.double({ min: 0.05, max: 0.6, noNaN: true }), seed: fc.integer() })
  .map(({ d, density, seed }) => {
    let state = seed >>> 0 || 1;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    const order = Array.from({ length: d }, (_, k) => k).sort(() => next() - 0.5);
    const a = new Uint8Array(d * d);
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) if (next() < density) a[order[p]! * d + order[q]!] = 1;
    return { d, a };
  });

describe('DAG → CPDAG by Meek rules', () => {
  it('agrees with Meek rules applied over every node (random DAGs up to 14 nodes, sparse to dense)', () => {
    fc.assert(
      fc.property(randomDag, ({ d, a }) => {
        const reference = referenceCpdag(a, d);
        expect(Array.from(dagToCpdag(a, d))).toEqual(Array.from(reference));
        // the edge lists the class grouping keys on, from the DAG's edge list
        const edges: Array<[number, number]> = [];
        for (let k = 0; k < d * d; k++) if (a[k]) edges.push([Math.floor(k / d), k % d]);
        const lists = cpdagEdges(d, edges);
        const directed: Array<[number, number]> = [];
        const undirected: Array<[number, number]> = [];
        for (let i = 0; i < d; i++)
          for (let j = 0; j < d; j++)
            if (reference[i * d + j] && !reference[j * d + i]) directed.push([i, j]);
            else if (reference[i * d + j] && i < j) undirected.push([i, j]);
        expect(lists).toEqual({ directed, undirected });
      }),
      { seed: 15, numRuns: 400 },
    );
  });

  it('leaves a chain undirected and orients a collider and what it compels', () => {
    expect(
      Array.from(
        dagToCpdag(
          adj(3, [
            [0, 1],
            [1, 2],
          ]),
          3,
        ),
      ),
    ).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(
      Array.from(
        dagToCpdag(
          adj(3, [
            [0, 2],
            [1, 2],
          ]),
          3,
        ),
      ),
    ).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0]);
    // 0 → 2 ← 1, 2 — 3 becomes 2 → 3 by R1.
    const c = dagToCpdag(
      adj(4, [
        [0, 2],
        [1, 2],
        [2, 3],
      ]),
      4,
    );
    expect(c[2 * 4 + 3]).toBe(1);
    expect(c[3 * 4 + 2]).toBe(0);
  });

  it('groups the 25 DAGs on 3 nodes into 11 classes and the 543 on 4 nodes into 185, exactly as skeleton + v-structures do', () => {
    for (const [d, classes] of [
      [3, 11],
      [4, 185],
    ] as const) {
      const space = enumerateStatesByEdgeCount(d);
      const byCpdag = new Map<string, string>();
      for (const code of space.codes) {
        const a = adjacencyFromCode(code, d);
        const key = dagToCpdag(a, d).join('');
        const other = equivalenceKey(a, d);
        if (byCpdag.has(key)) expect(byCpdag.get(key)).toBe(other);
        byCpdag.set(key, other);
      }
      expect(byCpdag.size).toBe(classes);
      expect(new Set(byCpdag.values()).size).toBe(classes);
    }
  });

  it('gives every member of a class the same BGe score, and 8782 classes on 5 nodes', () => {
    const d = 5;
    const reward = createRewardModel(
      createScoreModel(lingaussDataset(true), { score: 'bge' }),
      structurePriorTable(d, { kind: 'uniform' }),
    );
    const scoreOf = new Map<string, number>();
    for (const code of enumerateStatesByEdgeCount(d).codes) {
      const a = adjacencyFromCode(code, d);
      const key = dagToCpdag(a, d).join('');
      const s = reward.logReward(a);
      if (scoreOf.has(key)) expect(Math.abs(scoreOf.get(key)! - s)).toBeLessThan(1e-9 * Math.abs(s));
      else scoreOf.set(key, s);
    }
    expect(scoreOf.size).toBe(8782);
  });

  it('CPDAG SHD is 0 between equivalent DAGs and counts differing pairs otherwise', () => {
    expect(
      cpdagShd(
        adj(3, [
          [0, 1],
          [1, 2],
        ]),
        adj(3, [
          [2, 1],
          [1, 0],
        ]),
        3,
      ),
    ).toBe(0);
    // Chain vs collider: both pairs change marks (undirected → directed).
    expect(
      cpdagShd(
        adj(3, [
          [0, 1],
          [1, 2],
        ]),
        adj(3, [
          [0, 1],
          [2, 1],
        ]),
        3,
      ),
    ).toBe(2);
    expect(() => dagToCpdag(new Uint8Array([0, 1, 1, 0]), 2)).toThrow(/not a DAG/);
    const chain = adj(3, [
      [0, 1],
      [1, 2],
    ]);
    expect(
      expectedCpdagShd(
        [
          adj(3, [
            [2, 1],
            [1, 0],
          ]),
          adj(3, [
            [0, 1],
            [2, 1],
          ]),
          chain,
        ],
        chain,
        3,
      ),
    ).toBeCloseTo(2 / 3, 15);
  });
});
