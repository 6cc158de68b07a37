import { describe, expect, it } from 'vitest';
import { groupByCpdag } from '../../../src/gflownet/graph/cpdagGroups.ts';

const d = 3;
function dag(edges: Array<[number, number]>, weight: number, logScore: number) {
  return { weight, logScore, edges };
}

describe('grouping DAGs by CPDAG', () => {
  it('puts Markov-equivalent DAGs in one class and sums their weights; a v-structure is its own class', () => {
    // A chain 0 → 1 → 2, its reversal 2 → 1 → 0 and the fork 0 ← 1 → 2 are equivalent; the collider 0 → 1 ← 2 is not.
    const chain = dag(
      [
        [0, 1],
        [1, 2],
      ],
      3,
      -10,
    );
    const reversed = dag(
      [
        [2, 1],
        [1, 0],
      ],
      2,
      -10,
    );
    const fork = dag(
      [
        [1, 0],
        [1, 2],
      ],
      1,
      -10,
    );
    const collider = dag(
      [
        [0, 1],
        [2, 1],
      ],
      4,
      -8,
    );
    const classes = groupByCpdag([chain, reversed, fork, collider], d);
    expect(classes).toHaveLength(2);
    // The chain class weighs 6, more than the collider's 4, so it comes first.
    expect(classes[0]!.weight).toBe(6);
    expect(classes[0]!.members.map((m) => m.weight)).toEqual([3, 2, 1]);
    expect(classes[0]!.directed).toEqual([]);
    expect(classes[0]!.undirected).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(classes[1]!.directed).toEqual([
      [0, 1],
      [2, 1],
    ]);
    expect(classes[1]!.undirected).toEqual([]);
    // The weights add up to the total: grouping loses nothing.
    expect(classes.reduce((s, c) => s + c.weight, 0)).toBe(10);
  });

  it('reports the members’ score range (equal under a score-equivalent score)', () => {
    const classes = groupByCpdag([dag([[0, 1]], 1, -5), dag([[1, 0]], 1, -5.5)], d);
    expect(classes).toHaveLength(1);
    expect(classes[0]!.logScore).toBe(-5);
    expect(classes[0]!.logScoreRange).toEqual([-5.5, -5]);
  });
});
