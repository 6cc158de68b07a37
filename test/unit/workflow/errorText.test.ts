import { describe, expect, it } from 'vitest';
import { inWindowWords } from '../../../src/renderer/src/lib/errorText.ts';

describe('engine advice in the window', () => {
  it('names the window controls instead of command-line flags', () => {
    expect(inWindowWords('s.csv, row 4, column "x": missing values — drop the incomplete rows (--missing drop), exclude the columns, or fill the values in')).toBe(
      's.csv, row 4, column "x": missing values — drop the incomplete rows (Missing values › drop incomplete rows, on the Import screen), exclude the columns, or fill the values in',
    );
    expect(inWindowWords('choose one: discretize the continuous columns (--mixed discretize --bins N), exclude one kind (--mixed exclude-continuous | exclude-discrete, or --exclude NAMES), or read every column as discrete (--score bdeu)')).not.toMatch(/--/);
    expect(inWindowWords('--type: column "x" is set to discrete but --score bge needs continuous columns')).toBe('Type menu: column "x" is set to discrete but the BGe score needs continuous columns');
  });

  it('leaves messages without flags alone', () => {
    expect(inWindowWords('the file is empty')).toBe('the file is empty');
  });
});
