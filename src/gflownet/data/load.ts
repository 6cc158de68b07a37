/**
 * loadDataset: a CSV file in, a Dataset ready for scoring out, with a report of every
 * decision (column kinds and their evidence, missing values, dropped rows, warnings).
 * Parsing streams (csv.ts); the rest works on typed columns.
 */
import type { FieldKey } from '../../shared/fields.ts';
import { DagflowError } from '../core/errors.ts';
import { jobCancelled } from '../core/job.ts';
import { MAX_VARIABLES } from '../core/limits.ts';
import type { Dataset, VariableKind } from '../core/types.ts';
import { ColumnAccumulator, DEFAULT_MAX_DISCRETE_LEVELS, type ColumnEvidence } from './columns.ts';
import { streamCsv, type Delimiter } from './csv.ts';
import { datasetFromColumns, sortLevels } from './dataset.ts';
import { quantileBins } from './discretize.ts';
import { parseTarget, readInterventionFile, remapTargets } from './interventions.ts';
import { completeRows, DEFAULT_MISSING_TOKENS, missingMatcher, type MissingPolicy } from './missing.ts';
import { planColumns, type ColumnPlan, type MixedPolicy, type ScoreChoice } from './plan.ts';
import { quoteUserText } from '../core/userText.ts';

export interface LoadOptions {
  /** 'auto' (default): kinds detected; 'bdeu' reads every column as discrete; 'bge' requires numbers. */
  score?: ScoreChoice;
  /** Per-column kind overrides. */
  columnTypes?: Readonly<Record<string, VariableKind>>;
  /** Columns to leave out. */
  exclude?: readonly string[];
  /** Cells that mean "missing" (trimmed, case-insensitive). Default: empty, NA, NaN, ?. */
  missingTokens?: readonly string[];
  /** Incomplete rows: 'refuse' (default) or 'drop'. */
  missing?: MissingPolicy;
  /** Data with continuous and discrete columns: 'refuse' (default) or an explicit way out. */
  mixed?: MixedPolicy;
  /** Quantile bins for --mixed discretize (default 3). */
  bins?: number;
  /** Type rule threshold: whole-number columns with at most this many values are discrete (default 10). */
  maxDiscreteLevels?: number;
  /** Z-score continuous columns, ddof = 1 (default true). */
  standardize?: boolean;
  /** Name of a data column holding the intervention targets. */
  interventionColumn?: string;
  /** Sidecar CSV with a column INT. */
  interventionFile?: string;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export interface ColumnReport extends ColumnEvidence {
  name: string;
  role: 'variable' | 'excluded' | 'interventions';
  /** For variables, the kind in the data set. */
  kind?: VariableKind;
  reason: string;
  /** Discrete variables: the levels, in code order. */
  levels?: string[];
  /** Discretized columns: the bin edges. */
  cuts?: number[];
}

export interface LoadReport {
  file: string;
  delimiter: Delimiter;
  bytes: number;
  /** Data rows in the file (blank lines not counted). */
  rowsRead: number;
  rowsUsed: number;
  /** Rows dropped for missing values. */
  droppedRows: number;
  missingPolicy: MissingPolicy;
  missingTokens: readonly string[];
  columns: ColumnReport[];
  warnings: string[];
  interventions?: { source: string; counts: Record<string, number> };
}

export interface LoadedDataset extends Dataset {
  readonly report: LoadReport;
}

export async function loadDataset(file: string, options: LoadOptions = {}): Promise<LoadedDataset> {
  checkOptions(options);
  const isMissing = missingMatcher(options.missingTokens ?? DEFAULT_MISSING_TOKENS);
  let accumulators: ColumnAccumulator[] = [];
  const rowNumbers: number[] = [];
  const summary = await streamCsv(
    file,
    (header) => {
      checkNamedColumns(header, options, file);
      accumulators = header.map((name) => new ColumnAccumulator(name));
    },
    (fields, row) => {
      rowNumbers.push(row);
      for (let c = 0; c < fields.length; c++) {
        const cell = fields[c]!.trim();
        accumulators[c]!.push(cell, isMissing(cell), row);
      }
    },
    { onProgress: options.onProgress, signal: options.signal },
  );
  if (options.signal?.aborted) throw jobCancelled();

  const names = summary.header;
  const maxLevels = options.maxDiscreteLevels ?? DEFAULT_MAX_DISCRETE_LEVELS;
  const { plans, warnings } = planColumns({
    file,
    names,
    evidence: accumulators.map((a) => a.evidence(maxLevels)),
    score: options.score ?? 'auto',
    columnTypes: options.columnTypes ?? {},
    exclude: new Set(options.exclude ?? []),
    interventionColumn: options.interventionColumn,
    mixed: options.mixed ?? 'refuse',
  });

  // Intervention targets over the file's data columns (every column but the INT column).
  const dataColumnIndex = names.filter((n) => n !== options.interventionColumn);
  let rawTargets: Int32Array | undefined;
  if (options.interventionColumn !== undefined) {
    const acc = accumulators[names.indexOf(options.interventionColumn)]!;
    const cells = acc.codes
      ? acc.codes.map((code) => (code < 0 ? '' : acc.labels[code]!))
      : acc.numbers.map((v) => (Number.isNaN(v) ? '' : String(v)));
    rawTargets = Int32Array.from(cells, (cell, r) => parseTarget(cell, dataColumnIndex.length, file, acc.name, rowNumbers[r]!));
  } else if (options.interventionFile !== undefined) {
    rawTargets = await readInterventionFile(options.interventionFile, summary.dataRows, dataColumnIndex.length, file, {
      signal: options.signal,
    });
  }

  // Missing values in the columns that will be used.
  let variables = plans.filter((p) => p.role === 'variable');
  const missingPolicy = options.missing ?? 'refuse';
  const withMissing = variables.filter((p) => p.evidence.missing > 0);
  let keep: Int32Array;
  let droppedRows: number;
  if (withMissing.length > 0 && missingPolicy === 'refuse') {
    const first = withMissing
      .map((p) => ({ p, row: rowNumbers[accumulators[names.indexOf(p.name)]!.missingRows[0]!]! }))
      .sort((a, b) => a.row - b.row)[0]!;
    throw new DagflowError(
      'MISSING_VALUES',
      `missing values in ${withMissing.length} column(s): ${withMissing.map((p) => `${p.name} ${p.evidence.missing}`).join(', ')}; the first is in column ${quoteUserText(first.p.name)} at row ${first.row}`,
      { file, row: first.row, column: first.p.name },
      'drop the incomplete rows ({{data.missing=drop}}), exclude the columns, or fill the values in',
    );
  } else {
    const result = completeRows(
      summary.dataRows,
      withMissing.map((p) => accumulators[names.indexOf(p.name)]!.missingRows),
    );
    keep = result.keep;
    droppedRows = result.dropped;
    if (droppedRows > 0)
      warnings.push(
        `dropped ${droppedRows} of ${summary.dataRows} rows with missing values (columns: ${withMissing.map((p) => `${p.name} ${p.evidence.missing}`).join(', ')})`,
      );
    if (keep.length === 0)
      throw new DagflowError(
        'MISSING_VALUES',
        'every row has a missing value in some column, so no complete row is left',
        { file },
        'exclude the columns with many missing values',
      );
  }

  // A column can become constant once incomplete rows are gone.
  if (droppedRows > 0) {
    for (const p of variables) {
      const acc = accumulators[names.indexOf(p.name)]!;
      if (isConstantOn(acc, keep)) {
        p.role = 'excluded';
        p.reason = 'constant on the complete rows';
        delete p.kind;
        warnings.push(`column ${quoteUserText(p.name)} is constant on the rows left after dropping incomplete ones and was excluded`);
      }
    }
    variables = variables.filter((p) => p.role === 'variable');
  }
  checkVariableCount(variables, plans, file);

  let interventions: Int32Array | undefined;
  let interventionCounts: Record<string, number> | undefined;
  if (rawTargets) {
    const kept = variables.map((p) => dataColumnIndex.indexOf(p.name));
    const { targets, unmodelled } = remapTargets(
      Int32Array.from(keep, (r) => rawTargets[r]!),
      kept,
    );
    if (unmodelled > 0)
      warnings.push(`${unmodelled} rows intervened on a column that is not a variable; they are used as observational rows`);
    interventions = targets;
    interventionCounts = { observational: 0 };
    for (const p of variables) interventionCounts[p.name] = 0;
    for (const t of targets) interventionCounts[t === 0 ? 'observational' : variables[t - 1]!.name]!++;
  }

  const { dataset, levels, cuts } = buildDataset(file, variables, accumulators, names, keep, interventions, options);
  const columns: ColumnReport[] = plans.map((p) => {
    const k = variables.indexOf(p);
    return {
      name: p.name,
      ...p.evidence,
      role: p.role,
      kind: k >= 0 ? dataset.kind : undefined,
      reason: p.reason,
      levels: k >= 0 ? levels[k] : undefined,
      cuts: k >= 0 ? cuts[k] : undefined,
    };
  });
  const report: LoadReport = {
    file,
    delimiter: summary.delimiter,
    bytes: summary.bytes,
    rowsRead: summary.dataRows,
    rowsUsed: keep.length,
    droppedRows,
    missingPolicy,
    missingTokens: options.missingTokens ?? DEFAULT_MISSING_TOKENS,
    columns,
    warnings,
    interventions: interventionCounts
      ? { source: options.interventionFile ?? `column ${options.interventionColumn}`, counts: interventionCounts }
      : undefined,
  };
  return { ...dataset, report };
}

function buildDataset(
  file: string,
  variables: readonly ColumnPlan[],
  accumulators: readonly ColumnAccumulator[],
  names: readonly string[],
  keep: Int32Array,
  interventions: Int32Array | undefined,
  options: LoadOptions,
): { dataset: Dataset; levels: (string[] | undefined)[]; cuts: (number[] | undefined)[] } {
  const accs = variables.map((p) => accumulators[names.indexOf(p.name)]!);
  const discrete = variables.some((p) => p.kind === 'discrete' || p.discretize);
  const cuts: (number[] | undefined)[] = variables.map(() => undefined);
  if (!discrete) {
    const dataset = datasetFromColumns({
      names: variables.map((p) => p.name),
      continuous: accs.map((a) => pick(a.numbers, keep)),
      interventions,
      standardize: options.standardize ?? true,
      source: file,
    });
    return { dataset, levels: variables.map(() => undefined), cuts };
  }
  const levelLists: string[][] = [];
  const columns = variables.map((p, k) => {
    const acc = accs[k]!;
    if (p.discretize) {
      const binned = quantileBins(pick(acc.numbers, keep), options.bins ?? 3);
      cuts[k] = binned.cuts;
      levelLists.push(binned.levels); // bin order, not alphabetical
      return binned.labels;
    }
    const codes = acc.codes!;
    const labels = Array.from(keep, (r) => acc.labels[codes[r]!]!);
    levelLists.push(sortLevels(new Set(labels))); // levels as seen in the rows used
    return labels;
  });
  const dataset = datasetFromColumns({
    names: variables.map((p) => p.name),
    discrete: columns,
    levels: levelLists,
    interventions,
    source: file,
  });
  return { dataset, levels: dataset.discrete!.levels.map((l) => [...l]), cuts };
}

function pick(values: ArrayLike<number>, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function isConstantOn(acc: ColumnAccumulator, keep: Int32Array): boolean {
  if (keep.length === 0) return true;
  if (acc.codes) {
    const first = acc.codes[keep[0]!];
    return keep.every((r) => acc.codes![r] === first);
  }
  const first = acc.numbers[keep[0]!];
  return keep.every((r) => acc.numbers[r] === first);
}

function checkVariableCount(variables: readonly ColumnPlan[], plans: readonly ColumnPlan[], file: string): void {
  if (variables.length < 2) {
    const excluded = plans.filter((p) => p.role === 'excluded').map((p) => `${p.name} (${p.reason})`);
    throw new DagflowError(
      'TOO_FEW_COLUMNS',
      `${variables.length === 0 ? 'no usable column is' : 'only 1 usable column is'} left${excluded.length > 0 ? `; excluded: ${excluded.slice(0, 6).join(', ')}` : ''}`,
      { file },
      'structure learning needs at least 2 variables (non-constant columns)',
    );
  }
  if (variables.length > MAX_VARIABLES) {
    throw new DagflowError(
      'TOO_MANY_COLUMNS',
      `${variables.length} usable columns; the engine supports at most ${MAX_VARIABLES} variables`,
      { file },
      `exclude columns to keep at most ${MAX_VARIABLES}`,
    );
  }
}

function checkOptions(options: LoadOptions): void {
  if (options.interventionColumn !== undefined && options.interventionFile !== undefined) {
    throw new DagflowError(
      'BAD_OPTION',
      'give the intervention targets either as a column ({{data.interventionColumn}}) or as a file ({{data.interventionFile}}), not both',
      { field: 'data.interventionFile' },
    );
  }
  const bins = options.bins;
  if (bins !== undefined && !(Number.isInteger(bins) && bins >= 2)) {
    throw new DagflowError('BAD_OPTION', `the number of bins must be a whole number ≥ 2, got ${bins}`, { field: 'data.bins' });
  }
  const maxLevels = options.maxDiscreteLevels;
  if (maxLevels !== undefined && !(Number.isInteger(maxLevels) && maxLevels >= 1)) {
    throw new DagflowError('BAD_OPTION', `the discrete-level threshold must be a whole number ≥ 1, got ${maxLevels}`, {
      field: 'data.maxDiscreteLevels',
    });
  }
}

/** Every column an option names must exist. */
function checkNamedColumns(header: readonly string[], options: LoadOptions, file: string): void {
  const known = new Set(header);
  const check = (name: string, field: FieldKey): void => {
    if (!known.has(name)) {
      throw new DagflowError(
        'BAD_OPTION',
        `there is no column ${quoteUserText(name)} in ${file}`,
        { field },
        `the columns are: ${header.slice(0, 20).join(', ')}${header.length > 20 ? ', …' : ''}`,
      );
    }
  };
  if (options.interventionColumn !== undefined) check(options.interventionColumn, 'data.interventionColumn');
  for (const name of options.exclude ?? []) check(name, 'data.exclude');
  for (const name of Object.keys(options.columnTypes ?? {})) check(name, 'data.columnTypes');
}
