import { describe, expect, it } from 'vitest';
import { classFields } from '../../../src/app/classView.ts';
import type { PosteriorRunResult } from '../../../src/jobs/kinds/posteriorResult.ts';

const d = 3;
function sampled(graphs: Array<Array<[number, number]>>, logScores: number[]): PosteriorRunResult {
  const adjacency = new Uint8Array(graphs.length * d * d);
  graphs.forEach((edges, s) => edges.forEach(([i, j]) => (adjacency[s * d * d + i * d + j] = 1)));
  return {
    variables: ['A', 'B', 'C'],
    edgeMarginals: new Float64Array(d * d),
    samples: { adjacency, logScores: Float64Array.from(logScores), count: graphs.length },
    facts: [],
  };
}

describe('equivalence classes of a run', () => {
  it('groups the samples by CPDAG: frequencies sum to 1 and members drill down to DAGs', () => {
    const chain: Array<[number, number]> = [
      [0, 1],
      [1, 2],
    ];
    const reversed: Array<[number, number]> = [
      [2, 1],
      [1, 0],
    ];
    const collider: Array<[number, number]> = [
      [0, 1],
      [2, 1],
    ];
    const run = sampled([chain, reversed, reversed, collider, []], [-4, -4, -4, -3, -9]);
    const view = classFields(run, 10);
    expect(view.distinctClasses).toBe(3);
    expect(view.classesFrom).toBe('samples');
    expect(view.classes!.map((c) => c.count)).toEqual([3, 1, 1]);
    expect(view.classes!.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 12);
    const top = view.classes![0]!;
    expect(top.memberCount).toBe(2);
    expect(top.members[0]!.edges).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(top.members[0]!.count).toBe(2);
    expect(top.undirected).toHaveLength(2);
    expect(top.logScoreSpread).toBe(0);
    // The collider outranks the empty graph by score at equal frequency.
    expect(view.classes![1]!.directed).toEqual(collider);
    expect(classFields(run, 1).classes).toHaveLength(1);
  });

  it('groups an exact run’s listed DAGs by probability', () => {
    const exact: PosteriorRunResult = {
      variables: ['A', 'B', 'C'],
      edgeMarginals: new Float64Array(d * d),
      ranked: [
        { edges: [[0, 1]], probability: 0.3, logScore: -1 },
        { edges: [[1, 0]], probability: 0.3, logScore: -1 },
        { edges: [], probability: 0.1, logScore: -2 },
      ],
      facts: [],
    };
    const view = classFields(exact, 5);
    expect(view.classesFrom).toBe('listed DAGs');
    expect(view.classes![0]!.probability).toBeCloseTo(0.6, 12);
    expect(view.classes![0]!.count).toBeUndefined();
  });
});

describe('the report lists equivalence classes', () => {
  it('groups the samples by CPDAG before the DAG list, with frequencies that add up', async () => {
    const { renderReport } = await import('../../../src/gflownet/report/report.ts');
    const s = (edges: Array<[string, string]>, logScore: number) => ({ edges, logScore });
    const html = renderReport({
      source: 'run',
      columns: ['A', 'B', 'C'],
      summary: {},
      samples: [
        s(
          [
            ['A', 'B'],
            ['B', 'C'],
          ],
          -4,
        ),
        s(
          [
            ['C', 'B'],
            ['B', 'A'],
          ],
          -4,
        ),
        s(
          [
            ['A', 'B'],
            ['C', 'B'],
          ],
          -3,
        ),
        s([], -9),
      ],
      marginals: new Float64Array(9),
      marginalsFrom: 'samples.jsonl',
    });
    expect(html).toContain('<h2>Most frequent equivalence classes</h2>');
    expect(html).toContain('3 Markov equivalence classes (CPDAGs) among the samples');
    // The chain class: 2 of 4 samples, two distinct DAGs, both edges reversible.
    expect(html).toContain('<tr><td>1</td><td>0.5</td><td>2</td><td>-4</td><td>A—B, B—C</td></tr>');
    expect(html).toContain('<td>A→B, C→B</td>');
    expect(html.indexOf('equivalence classes</h2>')).toBeLessThan(html.indexOf('Most frequent DAGs'));
  });
});
