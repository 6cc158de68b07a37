/**
 * Building a `Dataset` (core/types.ts) from columns already in memory. The CSV loader ends
 * here too, so every data set the engine scores passes the same checks: equal column
 * lengths, finite numbers, interventions in range, and z-scoring (ddof = 1) done once, here,
 * rather than inside a score.
 */
import { DagflowError } from '../core/errors.ts';
import type { Dataset } from '../core/types.ts';

export interface ColumnsInput {
  /** Column names, one per column, in order. */
  names: readonly string[];
  /** Continuous data: one array of numbers per column. Exactly one of continuous/discrete. */
  continuous?: readonly (readonly number[] | Float64Array)[];
  /** Discrete data: one array of labels per column. */
  discrete?: readonly (readonly string[])[];
  /**
   * Discrete only: the level set of each column (in display order). Defaults to the levels
   * seen in the column. A caller that scores a subset of rows passes the full set so that
   * r_j stays the same.
   */
  levels?: readonly (readonly string[])[];
  /** Per row: 0 = observational, k = the k-th column (1-based) was set by a perfect intervention. */
  interventions?: ArrayLike<number>;
  /** Z-score continuous columns (ddof = 1). Default true; ignored for discrete data. */
  standardize?: boolean;
  /** Where the data came from, for messages. */
  source?: string;
}

export function datasetFromColumns(input: ColumnsInput): Dataset {
  const source = input.source ?? 'in-memory data';
  const names = [...input.names];
  const hasContinuous = input.continuous !== undefined;
  const hasDiscrete = input.discrete !== undefined;
  if (hasContinuous === hasDiscrete) {
    throw new DagflowError('INTERNAL', 'datasetFromColumns needs exactly one of `continuous` or `discrete`');
  }
  const data = (input.continuous ?? input.discrete)!;
  if (data.length !== names.length) {
    throw new DagflowError('INTERNAL', `datasetFromColumns: ${names.length} names for ${data.length} columns`);
  }
  if (names.length === 0) throw new DagflowError('TOO_FEW_COLUMNS', 'the data set has no columns', { file: source });
  const rows = data[0]!.length;
  data.forEach((col, j) => {
    if (col.length !== rows) {
      throw new DagflowError('INTERNAL', `datasetFromColumns: column "${names[j]}" has ${col.length} values, expected ${rows}`);
    }
  });
  const interventions = input.interventions === undefined ? undefined : checkInterventions(input.interventions, rows, names, source);

  if (input.continuous) {
    const standardize = input.standardize ?? true;
    const columns = input.continuous.map((col, j) => {
      const values = Float64Array.from(col);
      for (let r = 0; r < rows; r++) {
        if (!Number.isFinite(values[r]!)) {
          throw new DagflowError('NON_NUMERIC', `value ${values[r]} is not a finite number`, {
            file: source,
            row: r + 2,
            column: names[j],
          });
        }
        if (Math.abs(values[r]!) > MAX_CONTINUOUS_MAGNITUDE) {
          throw new DagflowError(
            'TOO_LARGE',
            `the value ${values[r]} is too large to score: its square overflows the sums of squares (values up to ±1e100 are supported)`,
            { file: source, row: r + 2, column: names[j] },
            'rescale the column (e.g. to other units) or correct the value',
          );
        }
      }
      if (standardize) zScoreInPlace(values, names[j]!, source);
      return values;
    });
    return { source, columns: names, rows, kind: 'continuous', continuous: columns, interventions, standardized: standardize };
  }

  const codes: Int32Array[] = [];
  const levels: string[][] = [];
  input.discrete!.forEach((col, j) => {
    const given = input.levels?.[j];
    const levelList = given ? [...given] : sortLevels(new Set(col));
    const index = new Map(levelList.map((l, k) => [l, k]));
    const c = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const k = index.get(col[r]!);
      if (k === undefined)
        throw new DagflowError('INTERNAL', `datasetFromColumns: level "${col[r]}" of column "${names[j]}" is not in its level list`);
      c[r] = k;
    }
    codes.push(c);
    levels.push(levelList);
  });
  return { source, columns: names, rows, kind: 'discrete', discrete: { codes, levels }, interventions, standardized: false };
}

/** Levels in a stable display order: numeric order when every label is a number, else code-point order. */
export function sortLevels(seen: Iterable<string>): string[] {
  const list = [...seen];
  const allNumeric = list.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return allNumeric
    ? list.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The largest magnitude of a continuous value. The sufficient statistics (sums of squares and
 * cross products of centred values, over up to millions of rows) and the z-scoring need squares
 * far below Number.MAX_VALUE (about 1.8e308): a single 1e200 gave Infinity there, hence a wrong
 * score (+318 z-scored, −Infinity raw) without any error.
 */
export const MAX_CONTINUOUS_MAGNITUDE = 1e100;

/** z = (x − mean) / sd with the sample standard deviation (ddof = 1). */
export function zScoreInPlace(values: Float64Array, column: string, source: string): void {
  const n = values.length;
  if (n < 2) throw new DagflowError('TOO_FEW_COLUMNS', 'cannot standardize a column with fewer than 2 rows', { file: source, column });
  let mean = 0;
  for (let r = 0; r < n; r++) mean += values[r]!;
  mean /= n;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += (values[r]! - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 0)) {
    throw new DagflowError(
      'TOO_FEW_COLUMNS',
      'the column is constant and cannot be standardized',
      { file: source, column },
      'exclude the column',
    );
  }
  for (let r = 0; r < n; r++) values[r] = (values[r]! - mean) / sd;
}

function checkInterventions(raw: ArrayLike<number>, rows: number, names: readonly string[], source: string): Int32Array {
  if (raw.length !== rows) {
    throw new DagflowError(
      'BAD_INTERVENTIONS',
      `${raw.length} intervention targets for ${rows} data rows`,
      { file: source },
      'give exactly one INT value per data row',
    );
  }
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = raw[r]!;
    if (!Number.isInteger(v) || v < 0 || v > names.length) {
      throw new DagflowError(
        'BAD_INTERVENTIONS',
        `intervention target ${v} is not 0 (observational) or a column number 1..${names.length}`,
        { file: source, row: r + 2 },
        'INT must be 0 or the 1-based index of the intervened column',
      );
    }
    out[r] = v;
  }
  return out;
}
