/**
 * Per-row intervention targets (docs/architecture.md §2): INT = 0 for an observational row, k for a row
 * where the k-th data column (1-based, in file order, the INT column itself not counted) was
 * set by a perfect intervention. They come from a column of the data (--int-column) or from
 * a sidecar CSV with one row per data row and a column named INT (--int).
 */
import { DagflowError } from '../core/errors.ts';
import { streamCsv, type CsvStreamOptions } from './csv.ts';
import { parseNumber } from './columns.ts';

/** Validates one INT cell; `row` is the spreadsheet row of the file it came from. */
export function parseTarget(cell: string, dataColumns: number, file: string, column: string, row: number): number {
  const value = parseNumber(cell.trim());
  if (!Number.isInteger(value) || value < 0 || value > dataColumns) {
    throw new DagflowError(
      'BAD_INTERVENTIONS',
      cell.trim() === ''
        ? 'the intervention target is missing'
        : `intervention target "${cell}" is not 0 or a column number 1..${dataColumns}`,
      { file, row, column },
      'write 0 for an observational row, or k when the k-th data column (1-based) was intervened on',
    );
  }
  return value;
}

/** Reads the INT column of a sidecar file; it must have exactly `expectedRows` data rows. */
export async function readInterventionFile(
  file: string,
  expectedRows: number,
  dataColumns: number,
  dataFile: string,
  options: CsvStreamOptions = {},
): Promise<Int32Array> {
  const targets: number[] = [];
  let column = -1;
  let name = 'INT';
  await streamCsv(
    file,
    (header) => {
      column = header.indexOf('INT');
      if (column < 0) column = header.findIndex((h) => h.toUpperCase() === 'INT');
      if (column < 0) {
        throw new DagflowError(
          'BAD_INTERVENTIONS',
          `no column named INT (columns: ${header.join(', ')})`,
          { file, row: 1 },
          'the sidecar needs a column INT with 0 or the 1-based intervened column per data row',
        );
      }
      name = header[column]!;
    },
    (fields, row) => {
      targets.push(parseTarget(fields[column]!, dataColumns, file, name, row));
    },
    { signal: options.signal },
  );
  if (targets.length !== expectedRows) {
    throw new DagflowError(
      'BAD_INTERVENTIONS',
      `the sidecar has ${targets.length} data rows but ${dataFile} has ${expectedRows}`,
      { file },
      'the sidecar needs exactly one row per data row, in the same order',
    );
  }
  return Int32Array.from(targets);
}

/**
 * Maps targets over the file's data columns to targets over the columns kept as variables
 * (`kept[k]` = the file data-column index of variable k). A row that intervened on a column
 * that is not kept becomes observational; the count is returned for a warning.
 */
export function remapTargets(targets: Int32Array, kept: readonly number[]): { targets: Int32Array; unmodelled: number } {
  const position = new Map(kept.map((fileIndex, k) => [fileIndex + 1, k + 1]));
  const out = new Int32Array(targets.length);
  let unmodelled = 0;
  for (let r = 0; r < targets.length; r++) {
    const t = targets[r]!;
    if (t === 0) continue;
    const k = position.get(t);
    if (k === undefined) unmodelled++;
    else out[r] = k;
  }
  return { targets: out, unmodelled };
}
