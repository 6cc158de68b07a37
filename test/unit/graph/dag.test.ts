import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjacencyFromEdges, findCycle, isAcyclic, parentsOf, topologicalOrder } from '../../../src/gflownet/graph/dag.ts';

describe('DAG utilities', () => {
  it('builds adjacency, parents and a deterministic topological order', () => {
    const adj = adjacencyFromEdges(4, [
      [2, 0],
      [3, 0],
      [2, 1],
      [0, 1],
    ]);
    expect(parentsOf(adj, 4, 0)).toEqual([2, 3]);
    expect(parentsOf(adj, 4, 1)).toEqual([0, 2]);
    expect(topologicalOrder(adj, 4)).toEqual([2, 3, 0, 1]);
    expect(isAcyclic(adj, 4)).toBe(true);
    expect(findCycle(adj, 4)).toBeNull();
    expect(() => adjacencyFromEdges(3, [[0, 3]])).toThrow(RangeError);
  });

  it('finds a cycle and lists it in edge order', () => {
    const adj = adjacencyFromEdges(5, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 1],
      [3, 4],
    ]);
    expect(findCycle(adj, 5)).toEqual([1, 2, 3]);
    expect(topologicalOrder(adj, 5)).toBeNull();
    expect(findCycle(adjacencyFromEdges(2, [[1, 1]]), 2)).toEqual([1]);
  });

  it('agrees with the topological order on random graphs, and every reported cycle is one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 20 }), (d, raw) => {
        const edges = raw.filter(([i, j]) => i < d && j < d) as Array<[number, number]>;
        const adj = adjacencyFromEdges(d, edges);
        const cycle = findCycle(adj, d);
        const order = topologicalOrder(adj, d);
        if (cycle === null) {
          expect(order).not.toBeNull();
          const pos = new Map(order!.map((v, k) => [v, k]));
          for (const [i, j] of edges) expect(pos.get(i)!).toBeLessThan(pos.get(j)!);
        } else {
          expect(order).toBeNull();
          cycle.forEach((v, k) => expect(adj[v * d + cycle[(k + 1) % cycle.length]!]).toBe(1));
        }
      }),
      { numRuns: 200 },
    );
  });
});
