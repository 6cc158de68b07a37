import { describe, expect, it } from 'vitest';
import type { PosteriorRunResult } from '../../../src/jobs/kinds/posteriorResult.ts';
import { compareView } from '../../../src/app/compareView.ts';
import { cpdagOf } from '../../../src/app/cpdagView.ts';
import { distinctDags, posteriorView } from '../../../src/app/posteriorView.ts';

const d = 3;
/** Samples as edge lists → a sampled run result. */
function sampled(graphs: Array<Array<[number, number]>>, logScores: number[]): PosteriorRunResult {
  const adjacency = new Uint8Array(graphs.length * d * d);
  graphs.forEach((edges, s) => edges.forEach(([i, j]) => (adjacency[s * d * d + i * d + j] = 1)));
  const marginals = new Float64Array(d * d);
  for (let s = 0; s < graphs.length; s++) for (let k = 0; k < d * d; k++) marginals[k]! += adjacency[s * d * d + k]! / graphs.length;
  return {
    variables: ['A', 'B', 'C'],
    edgeMarginals: marginals,
    samples: { adjacency, logScores: Float64Array.from(logScores), count: graphs.length },
    facts: [],
  };
}

describe('posterior view', () => {
  const run = sampled(
    [
      [[0, 1]],
      [[0, 1]],
      [[0, 1]],
      [[1, 2]],
      [
        [0, 1],
        [1, 2],
      ],
    ],
    [-10, -10, -10, -12, -3],
  );

  it('groups identical samples, most frequent first, and counts edges', () => {
    const groups = distinctDags(run.samples!, d);
    expect(groups.map((g) => g.count)).toEqual([3, 1, 1]);
    expect(groups[0]!.edges).toEqual([[0, 1]]);
    const view = posteriorView('run-1', run, 10);
    expect(view.counts![0 * d + 1]).toBe(4);
    expect(view.counts![1 * d + 2]).toBe(2);
    expect(view.sampleCount).toBe(5);
    expect(view.distinctDags).toBe(3);
    expect(view.expectedEdges).toBeCloseTo(6 / 5, 12);
  });

  it('marks the highest-scoring DAG as MAP even when it ranks below the list', () => {
    const full = posteriorView('run-1', run, 10);
    expect(full.topDags[full.mapIndex!]!.logScore).toBe(-3);
    const short = posteriorView('run-1', run, 1);
    expect(short.topDags).toHaveLength(2);
    expect(short.topDags[short.mapIndex!]!.edges).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});

describe('compare view', () => {
  it('gives zero RMSE and correlation 1 for a run against itself, and finds the disagreeing edge', () => {
    const a = sampled([[[0, 1]], [[0, 1]]], [0, 0]);
    const b = sampled([[[0, 1]], [[1, 2]]], [0, 0]);
    const same = compareView({ runId: 'run-1', label: 'a', result: a }, { runId: 'run-1', label: 'a', result: a });
    expect(same.rmse).toBe(0);
    const diff = compareView({ runId: 'run-1', label: 'a', result: a }, { runId: 'run-2', label: 'b', result: b });
    // Off-diagonal entries: 0→1 differs by 0.5, 1→2 by 0.5, four others agree at 0.
    expect(diff.rmse).toBeCloseTo(Math.sqrt((0.25 + 0.25) / 6), 12);
    expect(diff.maxDifference).toBeCloseTo(0.5, 12);
    expect(diff.disagreements[0]!.a - diff.disagreements[0]!.b).not.toBe(0);
    expect(diff.points).toHaveLength(6);
  });

  it('scores runs against a true graph: SHD, E-SHD, AUROC and curves that end at (1, 1)', () => {
    const a = sampled(
      [
        [[0, 1]],
        [
          [0, 1],
          [1, 2],
        ],
      ],
      [0, 0],
    );
    const truth = { name: 't.csv', adjacency: new Uint8Array(d * d), edges: 2 };
    truth.adjacency[0 * d + 1] = 1;
    truth.adjacency[1 * d + 2] = 1;
    const view = compareView({ runId: 'run-1', label: 'a', result: a }, { runId: 'run-1', label: 'a', result: a }, truth);
    expect(view.truth!.a.shd).toBe(1); // consensus keeps P > 0.5 only: 1→2 (P = 0.5) is missed
    expect(view.truth!.a.recall).toBe(0.5);
    expect(view.truth!.a.eshd).toBeCloseTo(0.5, 12);
    expect(view.truth!.a.auroc).toBe(1);
    expect(view.truth!.a.roc.at(-1)).toEqual({ x: 1, y: 1 });
    expect(view.truth!.a.pr[0]).toEqual({ x: 0.5, y: 1 });
  });

  it('refuses runs on different variables', () => {
    const a = sampled([[[0, 1]]], [0]);
    const b = { ...a, variables: ['A', 'B', 'D'] };
    expect(() => compareView({ runId: 'run-1', label: 'a', result: a }, { runId: 'run-2', label: 'b', result: b })).toThrow(
      /over different variables/,
    );
  });

  it('lines the second run up by variable name when its columns come in another order', () => {
    const a = sampled(
      [
        [[0, 1]],
        [
          [0, 1],
          [1, 2],
        ],
      ],
      [0, 0],
    );
    // Same posterior with variables listed C, B, A: edge A→B is (2,1), B→C is (1,0).
    const m = new Float64Array(9);
    m[2 * 3 + 1] = 1;
    m[1 * 3 + 0] = 0.5;
    const b: PosteriorRunResult = { variables: ['C', 'B', 'A'], edgeMarginals: m, facts: [] };
    const view = compareView({ runId: 'run-1', label: 'a', result: a }, { runId: 'run-2', label: 'b', result: b });
    expect(view.rmse).toBe(0);
    expect(view.points.find((p) => p.from === 0 && p.to === 1)!.b).toBe(1);
  });
});

describe('CPDAG view', () => {
  it('keeps a v-structure compelled and a chain reversible', () => {
    expect(
      cpdagOf(3, [
        [0, 2],
        [1, 2],
      ]),
    ).toEqual({
      directed: [
        [0, 2],
        [1, 2],
      ],
      undirected: [],
    });
    expect(
      cpdagOf(3, [
        [0, 1],
        [1, 2],
      ]),
    ).toEqual({
      directed: [],
      undirected: [
        [0, 1],
        [1, 2],
      ],
    });
    expect(() =>
      cpdagOf(3, [
        [0, 1],
        [1, 0],
      ]),
    ).toThrow(/cycle/);
  });
});
