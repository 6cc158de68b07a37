/** compareRuns: alignment of variables, the numbers it reports, and errors that say what is wrong. */
import { describe, expect, it } from 'vitest';
import { alignRun, compareRuns, pearson, type ComparableRun } from '../../../src/gflownet/compare/compareRuns.ts';

const run = (label: string, variables: string[], m: number[], samples?: number[][]): ComparableRun => ({
  label,
  variables,
  edgeMarginals: Float64Array.from(m),
  samples: samples?.map((s) => Uint8Array.from(s)),
});

describe('compareRuns', () => {
  // Over (A, B): P(A → B), P(B → A).
  const a = run(
    'a',
    ['A', 'B'],
    [0, 0.8, 0.2, 0],
    [
      [0, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [0, 1, 0, 0],
    ],
  );

  it('puts the second run in the first run’s variable order', () => {
    // Same posterior, variables listed as (B, A): P(B → A) = 0.2 at [0][1], P(A → B) = 0.8 at [1][0].
    const b = run('b', ['B', 'A'], [0, 0.2, 0.8, 0]);
    expect(Array.from(alignRun(a, b).edgeMarginals)).toEqual([0, 0.8, 0.2, 0]);
    const c = compareRuns(a, b);
    expect(c.rmse).toBe(0);
    expect(c.maxDifference).toBe(0);
    expect(c.correlation).toBeCloseTo(1, 12);
  });

  it('reports RMSE, largest difference and the disagreements over the off-diagonal entries', () => {
    const b = run('b', ['A', 'B'], [0, 0.5, 0.4, 0]);
    const c = compareRuns(a, b, { truth: Uint8Array.of(0, 1, 0, 0), exact: { edgeMarginals: Float64Array.of(0, 0.7, 0.3, 0) } });
    expect(c.rmse).toBeCloseTo(Math.sqrt((0.3 ** 2 + 0.2 ** 2) / 2), 12);
    expect(c.maxDifference).toBeCloseTo(0.3, 12);
    expect(c.disagreements[0]).toMatchObject({ from: 'A', to: 'B', a: 0.8, b: 0.5 });
    expect(c.truth!.a.expectedShd).toBeCloseTo(0.2, 12);
    expect(c.truth!.b.expectedShd).toBeNull();
    expect(c.truth!.a.consensus.shd).toBe(0);
    expect(c.exact!.a.edgeMarginalMaxError).toBeCloseTo(0.1, 12);
    expect(c.exact!.a.jsd).toBeNull();
  });

  it('refuses runs over different variables', () => {
    expect(() => compareRuns(a, run('c', ['A', 'C'], [0, 0, 0, 0]))).toThrow(/different variables/);
  });

  it('has no correlation for a constant run', () => {
    expect(pearson([1, 2, 3], [0.5, 0.5, 0.5])).toBeNull();
  });
});
