import { describe, expect, it } from 'vitest';
import { alignByIndex, alignCurves } from '../../../src/renderer/src/lib/chartData.ts';

describe('chart data for uPlot (aligned rows)', () => {
  it('merges curves with their own x values on one sorted x row, keeping a vertical step in order', () => {
    const roc = [
      { x: 0, y: 0 },
      { x: 0, y: 0.5 },
      { x: 0.5, y: 1 },
      { x: 1, y: 1 },
    ];
    const other = [
      { x: 0, y: 0 },
      { x: 0.25, y: 0.4 },
      { x: 1, y: 1 },
    ];
    const [xs, a, b] = alignCurves([roc, other]);
    expect(xs).toEqual([0, 0, 0, 0.25, 0.5, 1, 1]);
    expect(a).toEqual([0, 0.5, null, null, 1, 1, null]);
    expect(b).toEqual([null, null, 0, 0.4, null, null, 1]);
    // every curve's points come back, in their order
    expect((a as Array<number | null>).filter((y) => y !== null)).toEqual(roc.map((p) => p.y));
    expect(alignCurves([[], []])).toEqual([[], [], []]);
  });

  it('puts series over a step index, shorter ones ending in nulls, non-finite values as gaps', () => {
    expect(
      alignByIndex([
        [3, 2, 1],
        [5, NaN],
      ]),
    ).toEqual([
      [0, 1, 2],
      [3, 2, 1],
      [5, null, null],
    ]);
    expect(alignByIndex([])).toEqual([[]]);
  });
});
