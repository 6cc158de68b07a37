/**
 * One test per bad input of issue 3: each must be a DagflowError (never a crash) whose one-line
 * message names the file, the row and column where they apply, what is wrong and what to do.
 */
import { inCliWords } from '../../../src/cli/fieldFlags.ts';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { MAX_VARIABLES } from '../../../src/gflownet/core/limits.ts';
import { loadDataset, type LoadOptions } from '../../../src/gflownet/data/load.ts';
import { previewCsv } from '../../../src/gflownet/data/preview.ts';
import { samplesDir, tempFolder } from './tempFiles.ts';

const tmp = tempFolder();
afterAll(() => tmp.cleanup());

/** Loads `content` as a file and returns the error's one-line message (failing if there is none). */
async function loadError(
  name: string,
  content: string | Uint8Array,
  options: LoadOptions = {},
): Promise<{ code: string; message: string; file: string }> {
  const file = tmp.write(name, content);
  try {
    await loadDataset(file, options);
  } catch (e) {
    if (!(e instanceof DagflowError)) throw new Error(`expected a DagflowError, got ${String(e)}`, { cause: e });
    // As the command line says it (settings by their flags).
    return { code: e.code, message: inCliWords(e.toUserMessage()), file };
  }
  throw new Error(`${name}: expected an error, but the file loaded`);
}

describe('bad input files', () => {
  it('empty file', async () => {
    const e = await loadError('empty.csv', '');
    expect(e.code).toBe('EMPTY_FILE');
    expect(e.message).toBe(`${e.file}: the file is empty — choose a CSV file with a header row and data rows`);
  });

  it('file of blank lines only', async () => {
    const e = await loadError('blank.csv', '\n \r\n\n');
    expect(e.code).toBe('EMPTY_FILE');
    expect(e.message).toContain('the file holds only blank space');
  });

  it('header only', async () => {
    const e = await loadError('header.csv', 'a,b,c\n\n');
    expect(e.code).toBe('HEADER_ONLY');
    expect(e.message).toBe(`${e.file}: the file has a header but no data rows — add the data rows below the header`);
  });

  it('ragged row (too few fields)', async () => {
    const e = await loadError('ragged.csv', 'a,b,c\n1.5,2.5,3.5\n4.5,5.5\n');
    expect(e.code).toBe('RAGGED_ROW');
    expect(e.message).toBe(
      `${e.file}, row 3: the row has 2 fields but the header has 3 — give every row exactly 3 values separated by "," (leave a cell empty or write NA for a missing value)`,
    );
  });

  it('ragged row (too many fields, semicolon file)', async () => {
    const e = await loadError('ragged2.csv', 'a;b\n1;2\n3;4\n5;6;7\n');
    expect(e.code).toBe('RAGGED_ROW');
    expect(e.message).toContain(`${e.file}, row 4: the row has 3 fields but the header has 2`);
    expect(e.message).toContain('separated by ";"');
  });

  it('unterminated quote', async () => {
    const e = await loadError('quote.csv', 'a,b\n1,2\n"3,4\n5,6\n');
    expect(e.code).toBe('RAGGED_ROW');
    expect(e.message).toMatch(/row 3: malformed quoted field .* — close every opening double quote/);
  });

  it('duplicate column names', async () => {
    const e = await loadError('dup.csv', 'x,y,x\n1,2,3\n');
    expect(e.code).toBe('BAD_HEADER');
    expect(e.message).toBe(
      `${e.file}, row 1, column "x": the column name "x" appears twice (columns 1 and 3) — give every column a unique, non-empty name in the first row`,
    );
  });

  it('empty column name', async () => {
    const e = await loadError('noname.csv', 'x,,z\n1,2,3\n');
    expect(e.code).toBe('BAD_HEADER');
    expect(e.message).toBe(
      `${e.file}, row 1: column 2 of the header has no name — give every column a unique, non-empty name in the first row`,
    );
    const trailing = await loadError('trailing.csv', 'x,y,\n1,2,\n');
    expect(trailing.message).toContain('column 3 of the header has no name (a "," at the end of the header line?)');
  });

  it('non-numeric value in a continuous column (--score bge)', async () => {
    const e = await loadError('nonnum.csv', 'a,b\n1.5,2.5\n2.5,3.5\n3.5,abc\n4.5,x\n', { score: 'bge' });
    expect(e.code).toBe('NON_NUMERIC');
    expect(e.message).toBe(
      `${e.file}, row 4, column "b": "abc" is not a number (2 non-numeric values in this column) — BGe needs numbers in every column: exclude the column (--exclude) or use --score bdeu`,
    );
  });

  it('non-numeric value in a column set to continuous', async () => {
    const e = await loadError('nonnum2.csv', 'a,b,c\n1.5,u,2\n2.5,v,3\n3.5,1e3,4.5\n', { columnTypes: { b: 'continuous' } });
    expect(e.code).toBe('NON_NUMERIC');
    expect(e.message).toContain(
      `${e.file}, row 2, column "b": "u" is not a number (2 non-numeric values in this column) — the column was set to continuous`,
    );
  });

  it('constant column leaving fewer than 2 columns', async () => {
    const e = await loadError('const.csv', 'a,b\n1.5,7\n2.5,7\n3.5,7\n');
    expect(e.code).toBe('TOO_FEW_COLUMNS');
    expect(e.message).toBe(
      `${e.file}: only 1 usable column is left; excluded: b (constant: every value is "7") — structure learning needs at least 2 variables (non-constant columns)`,
    );
  });

  it('fewer than 2 usable columns (a single column)', async () => {
    const e = await loadError('single.csv', 'a\n1.5\n2.5\n');
    expect(e.code).toBe('TOO_FEW_COLUMNS');
    expect(e.message).toContain(`${e.file}: only 1 usable column is left`);
  });

  it('more columns than the engine supports', async () => {
    const d = MAX_VARIABLES + 1;
    const header = Array.from({ length: d }, (_, j) => `c${j}`).join(',');
    const rows = [0, 1, 2].map((r) => Array.from({ length: d }, (_, j) => ((r * 7 + j) % 5) + 0.5).join(','));
    const e = await loadError('wide.csv', [header, ...rows].join('\n'));
    expect(e.code).toBe('TOO_MANY_COLUMNS');
    expect(e.message).toBe(
      `${e.file}: ${d} usable columns; the engine supports at most ${MAX_VARIABLES} variables — exclude columns to keep at most ${MAX_VARIABLES}`,
    );
  });

  it('not text: NUL bytes', async () => {
    const e = await loadError('binary.csv', Uint8Array.from([0x61, 0x2c, 0x62, 0x0a, 0x00, 0x01, 0x02]));
    expect(e.code).toBe('NOT_TEXT');
    expect(e.message).toBe(
      `${e.file}: the file is not text: it contains a NUL byte at offset 4 — save or export the data as a UTF-8 CSV file (comma, semicolon or tab separated)`,
    );
  });

  it('not text: invalid UTF-8 (Latin-1)', async () => {
    const e = await loadError('latin1.csv', Uint8Array.from([...Buffer.from('name,v\nJos'), 0xe9, ...Buffer.from(',1\n')]));
    expect(e.code).toBe('NOT_TEXT');
    expect(e.message).toContain('the file is not valid UTF-8 text (in its first kilobyte)');
    expect(e.message).toContain('a Latin-1 or Windows-1252 file must be converted to UTF-8');
  });

  it('not text: UTF-16 with a byte-order mark', async () => {
    const e = await loadError('utf16.csv', Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'));
    expect(e.code).toBe('NOT_TEXT');
    expect(e.message).toContain(`${e.file}: the file is UTF-16 text (little-endian byte-order mark), not UTF-8`);
  });

  it('not text: a zip archive (an .xlsx workbook)', async () => {
    const e = await loadError('book.xlsx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect(e.code).toBe('NOT_TEXT');
    expect(e.message).toContain('the file is a zip archive (an .xlsx workbook?), not text');
  });

  it('a file that does not exist', async () => {
    const missing = path.join(samplesDir, 'no-such-file.csv');
    await expect(loadDataset(missing)).rejects.toThrow(DagflowError);
    await expect(loadDataset(missing)).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining('ENOENT') });
  });

  it('missing values with the default policy (refuse)', async () => {
    const e = await loadError('na.csv', 'a,b,c\n1.5,2.5,3.5\n2.5,NA,1.5\n3.5,1.5,\n4.5,?,2.5\n');
    expect(e.code).toBe('MISSING_VALUES');
    expect(e.message).toBe(
      `${e.file}, row 3, column "b": missing values in 2 column(s): b 2, c 1; the first is in column "b" at row 3 — drop the incomplete rows (--missing drop), exclude the columns, or fill the values in`,
    );
  });

  it('mixed continuous and discrete columns without a choice', async () => {
    const e = await loadError('mixed.csv', 'k,z\nu,1.5\nv,2.25\nu,3.5\n');
    expect(e.code).toBe('MIXED_TYPES');
    expect(e.message).toContain(
      'the data mixes 1 continuous column(s) (z) and 1 discrete column(s) (k) — choose one: discretize the continuous columns (--mixed discretize, with --bins)',
    );
  });

  it('an option naming a column that does not exist', async () => {
    const e = await loadError('opt.csv', 'a,b\n1.5,2.5\n2.5,1.5\n', { exclude: ['c'] });
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toBe(`--exclude: there is no column "c" in ${e.file} — the columns are: a, b`);
  });
});

describe('bad intervention targets', () => {
  const data = 'a,b,c\n1.5,2.5,3.5\n2.5,1.5,0.5\n3.5,0.5,1.5\n';

  it('sidecar with a different number of rows', async () => {
    const side = tmp.write('side_short.csv', 'INT\n0\n1\n');
    const e = await loadError('data1.csv', data, { interventionFile: side });
    expect(e.code).toBe('BAD_INTERVENTIONS');
    expect(e.message).toBe(
      `${side}: the sidecar has 2 data rows but ${e.file} has 3 — the sidecar needs exactly one row per data row, in the same order`,
    );
  });

  it('sidecar without an INT column', async () => {
    const side = tmp.write('side_noint.csv', 'row,target\n1,0\n2,0\n3,0\n');
    const e = await loadError('data2.csv', data, { interventionFile: side });
    expect(e.message).toContain(`${side}, row 1: no column named INT (columns: row, target)`);
  });

  it('a target that is not a column number', async () => {
    const side = tmp.write('side_bad.csv', 'INT\n0\n4\n1\n');
    const e = await loadError('data3.csv', data, { interventionFile: side });
    expect(e.message).toBe(
      `${side}, row 3, column "INT": intervention target "4" is not 0 or a column number 1..3 — write 0 for an observational row, or k when the k-th data column (1-based) was intervened on`,
    );
  });

  it('a missing target in an --int-column', async () => {
    const e = await loadError('data4.csv', 'a,b,T\n1.5,2.5,0\n2.5,1.5,\n3.5,0.5,1\n', { interventionColumn: 'T' });
    expect(e.message).toContain(`, row 3, column "T": the intervention target is missing — write 0 for an observational row`);
  });

  it('both a column and a sidecar', async () => {
    const e = await loadError('data5.csv', data, { interventionColumn: 'a', interventionFile: 'x.csv' });
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toContain('--int: give the intervention targets either as a column (--int-column) or as a file (--int), not both');
  });
});

describe('preview of bad files', () => {
  it('says what is wrong before loading', async () => {
    await expect(previewCsv(tmp.write('p_empty.csv', ''))).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(previewCsv(tmp.write('p_utf16.csv', Buffer.from('\ufeffa\n', 'utf16le')))).rejects.toMatchObject({ code: 'NOT_TEXT' });
    await expect(previewCsv(tmp.write('p_dup.csv', 'a,a\n1,2\n'))).rejects.toMatchObject({ code: 'BAD_HEADER' });
  });
});
