/**
 * Closing the loop (docs/design.md §5): the rows of a new experiment, appended to the data the
 * posterior was computed from, as one CSV file with an INT column — the format the data loader
 * already reads (INT = 0 observational, k = the k-th data column was intervened on). The
 * posterior is then recomputed on the pooled file by the ordinary path (exact, MCMC, GFlowNet),
 * so nothing about the update is special: the new rows are scored exactly as the old ones.
 *
 * The old data is read by the project's loader with its own options, without z-scoring; the new
 * file's cells are copied as written, by column name. The pooled file holds the values as
 * measured, and the loader checks and z-scores the pooled data as a whole when it reads it.
 */
import { DagflowError } from '../core/errors.ts';
import { streamCsv } from '../data/csv.ts';
import { parseTarget, readInterventionFile } from '../data/interventions.ts';
import type { LoadedDataset } from '../data/load.ts';
import { readData } from '../problem/load.ts';
import type { DataSpec, ScoreSpec } from '../problem/spec.ts';

export const POOLED_INT_COLUMN = 'INT';

export interface PooledData {
  csv: string;
  columns: string[];
  oldRows: number;
  newRows: number;
  /** Rows of the new file per intervened variable (index = variable, 0-based), and observational rows. */
  newTargets: { observational: number; perVariable: number[] };
}

/** A CSV cell: quoted when it holds a delimiter, a quote or a line break. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueText(ds: LoadedDataset, j: number, r: number): string {
  if (ds.continuous) return String(ds.continuous[j]![r]!);
  const d = ds.discrete!;
  return d.levels[j]![d.codes[j]![r]!]!;
}

interface RawRows {
  /** cells[r][j] for the posterior's variables j, as written in the file. */
  cells: string[][];
  /** 0 observational, k + 1 intervened on variable k. */
  targets: Int32Array;
}

/**
 * The new file read as text, by column name, with its targets mapped to the posterior's
 * variables. Not through the loader's column planning: an experiment's file may well hold a
 * constant column (a knock-out clamps its target to one value), which the loader would leave
 * out; the pooled file is read by the loader as a whole instead.
 */
async function readNewRows(fresh: DataSpec, variables: readonly string[]): Promise<RawRows> {
  const file = fresh.path;
  const name = fresh.name ?? file;
  const intColumn = fresh.options.interventionColumn;
  let positions: number[] = [];
  let intAt = -1;
  let dataColumns: string[] = [];
  const cells: string[][] = [];
  const fileTargets: number[] = [];
  await streamCsv(
    file,
    (header) => {
      intAt = intColumn === undefined ? -1 : header.indexOf(intColumn);
      if (intColumn !== undefined && intAt < 0)
        throw new DagflowError('BAD_INTERVENTIONS', `no column named ${intColumn} (columns: ${header.join(', ')})`, { file: name, row: 1 });
      dataColumns = header.filter((_, k) => k !== intAt);
      const missing = variables.filter((v) => !dataColumns.includes(v));
      if (missing.length > 0)
        throw new DagflowError(
          'BAD_OPTION',
          `the new rows lack the variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the posterior's data`,
          { file: name, row: 1 },
          'give the new rows the same columns as the data, plus the intervention target column or sidecar',
        );
      positions = variables.map((v) => header.indexOf(v));
    },
    (fields, row) => {
      cells.push(positions.map((k) => fields[k]!));
      if (intAt >= 0) fileTargets.push(parseTarget(fields[intAt]!, dataColumns.length, name, intColumn!, row));
    },
  );
  const sidecar = fresh.interventionFile
    ? await readInterventionFile(fresh.interventionFile.path, cells.length, dataColumns.length, name)
    : intAt >= 0
      ? Int32Array.from(fileTargets)
      : new Int32Array(cells.length);
  // File targets count the file's data columns (1-based, in file order); map them to variables by name.
  const targets = new Int32Array(cells.length);
  for (let r = 0; r < cells.length; r++) {
    const t = sidecar[r]!;
    if (t === 0) continue;
    const k = variables.indexOf(dataColumns[t - 1]!);
    if (k < 0)
      throw new DagflowError(
        'BAD_INTERVENTIONS',
        `a new row intervened on ${dataColumns[t - 1]}, which is not a variable of the posterior`,
        { file: name, row: r + 2 },
        'pool only experiments on the posterior’s variables',
      );
    targets[r] = k + 1;
  }
  if (cells.length === 0) throw new DagflowError('EMPTY_FILE', 'the file of new rows has no data rows', { file: name });
  return { cells, targets };
}

export async function poolData(old: DataSpec, fresh: DataSpec, score: ScoreSpec['score']): Promise<PooledData> {
  const before = await readData({ ...old, options: { ...old.options, standardize: false } }, score);
  const variables = before.columns;
  if (variables.some((c) => c === POOLED_INT_COLUMN))
    throw new DagflowError('BAD_OPTION', `a variable is called ${POOLED_INT_COLUMN}, the name of the pooled file's target column`, {
      file: old.name ?? old.path,
    });
  const added = await readNewRows(fresh, variables);
  const d = variables.length;
  const perVariable = new Array<number>(d).fill(0);
  let observational = 0;
  for (const t of added.targets) {
    if (t === 0) observational++;
    else perVariable[t - 1]!++;
  }
  const lines = [[...variables, POOLED_INT_COLUMN].map(cell).join(',')];
  for (let r = 0; r < before.rows; r++) {
    const fields: string[] = [];
    for (let j = 0; j < d; j++) fields.push(cell(valueText(before, j, r)));
    fields.push(String(before.interventions?.[r] ?? 0));
    lines.push(fields.join(','));
  }
  added.cells.forEach((row, r) => lines.push([...row.map(cell), String(added.targets[r]!)].join(',')));
  return {
    csv: lines.join('\n') + '\n',
    columns: [...variables],
    oldRows: before.rows,
    newRows: added.cells.length,
    newTargets: { observational, perVariable },
  };
}

/** The pooled file's data spec: the old options, with the targets in the INT column. */
export function pooledDataSpec(old: DataSpec, pooledPath: string, name?: string): DataSpec {
  const options = { ...old.options, interventionColumn: POOLED_INT_COLUMN };
  // The pooled file holds only the variables: nothing is left to exclude.
  delete options.exclude;
  return { path: pooledPath, ...(name !== undefined ? { name } : {}), options };
}
