import { describe, expect, it } from 'vitest';
import { dataErrorView } from '../../../src/renderer/src/lib/dataErrorText.ts';
import { offDiagonalRmse } from '../../../src/renderer/src/lib/marginalDistance.ts';

describe('data errors in the preview numbering', () => {
  it('says the location once, as the preview numbers rows', () => {
    const v = dataErrorView('broken.csv, row 3: the row has 2 fields but the header has 3 — give every row exactly 3 values', {
      message: '',
      code: 'RAGGED_ROW',
      location: { file: 'broken.csv', row: 3 },
    });
    expect(v.where).toBe('broken.csv, row #2 (line 3 of the file)');
    expect(v.text).toBe('the row has 2 fields but the header has 3 — give every row exactly 3 values');
    expect(v.strayValue).toBeUndefined();
  });

  it('finds the stray cell in the preview, or in the message beyond it, and renumbers "at row N"', () => {
    const message =
      'stray.csv, row 7, column "b": the data mixes 2 continuous column(s) (a, c) and 1 discrete column(s) (b); column "b" holds numbers except 1 value(s), the first "#REF!" at row 7 — fix it';
    const info = { message: '', code: 'MIXED_TYPES', location: { file: 'stray.csv', row: 7, column: 'b' } };
    const rows = Array.from({ length: 6 }, (_, r) => ['1', r === 5 ? '#REF!' : '2', '3']);
    const withPreview = dataErrorView(message, info, {
      datasetId: 'data-000000000000',
      name: 'stray.csv',
      sizeBytes: 1,
      columns: ['a', 'b', 'c'],
      rows,
      rowCount: 40,
      delimiter: ',',
    });
    expect(withPreview.strayValue).toBe('#REF!');
    expect(withPreview.text).toContain('the first "#REF!" at row #6 (line 7 of the file)');
    expect(withPreview.where).toBe('stray.csv, row #6 (line 7 of the file), column "b"');
    expect(dataErrorView(message, info).strayValue).toBe('#REF!');
    // Not a stray-cell error: nothing to offer.
    expect(dataErrorView('x', { message: 'x', code: 'BAD_OPTION' }).strayValue).toBeUndefined();
  });
});

describe('live figure distances', () => {
  it('is the RMSE over the off-diagonal entries', () => {
    expect(offDiagonalRmse([0, 1, 0, 0], [0, 0, 1, 0], 2)).toBeCloseTo(1, 12);
    expect(offDiagonalRmse([5, 0.5, 0.5, 5], [0, 0.5, 0.5, 0], 2)).toBe(0);
  });
});
