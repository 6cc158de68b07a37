/**
 * The data and score flags every data-taking command shares (score, exact, train, mcmc), and
 * the loader that turns them into a data set and a cached score model. One place, so that
 * every command reads a file the same way and says the same thing about it.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import type { VariableKind } from '../gflownet/core/types.ts';
import { loadDataset, type LoadedDataset, type LoadOptions } from '../gflownet/data/load.ts';
import { DEFAULT_MISSING_TOKENS } from '../gflownet/data/missing.ts';
import { createScoreModel, type CachedScoreModel, type ScoreOptions } from '../gflownet/scores/scoreModel.ts';
import type { ParsedFlags } from './flags.ts';
import { quoteUserText } from '../gflownet/core/userText.ts';

export const dataFlags = {
  data: { type: 'string', required: true, valueName: 'FILE', help: 'CSV data file with a header row (comma, semicolon or tab separated)' },
  score: { type: 'enum', values: ['auto', 'bge', 'bdeu'], default: 'auto', help: 'local score; auto = BGe for continuous data, BDeu for discrete; bdeu reads every column as discrete' },
  int: { type: 'string', valueName: 'FILE', help: 'sidecar CSV with a column INT per data row: 0 = observational, k = the k-th column was intervened on' },
  'int-column': { type: 'string', valueName: 'NAME', help: 'data column holding the intervention targets (0 or the 1-based index among the other columns)' },
  standardize: { type: 'boolean', negatable: true, default: true, help: 'z-score continuous columns, ddof = 1 (default on)' },
  mean: { type: 'enum', values: ['zero', 'sample'], default: 'zero', help: 'BGe prior mean ν: zero, or the sample mean of the rows a node uses' },
  'alpha-mu': { type: 'number', min: 0, exclusiveMin: true, help: 'BGe α_μ > 0 (default 1)' },
  'alpha-w': { type: 'number', help: 'BGe α_w > d + 1 (default d + 2)' },
  ess: { type: 'number', min: 0, exclusiveMin: true, help: 'BDeu equivalent sample size > 0 (default 1)' },
  missing: { type: 'enum', values: ['refuse', 'drop'], default: 'refuse', help: 'rows with missing values: refuse to load, or drop them (the count is reported)' },
  'na-values': { type: 'string', valueName: 'LIST', help: `comma-separated cell values meaning missing (default: empty,${DEFAULT_MISSING_TOKENS.slice(1).join(',')})` },
  mixed: { type: 'enum', values: ['refuse', 'discretize', 'exclude-continuous', 'exclude-discrete'], default: 'refuse', help: 'data with continuous and discrete columns' },
  bins: { type: 'number', integer: true, min: 2, help: 'quantile bins per column for --mixed discretize (default 3)' },
  exclude: { type: 'string', valueName: 'NAMES', help: 'comma-separated columns to leave out' },
  type: { type: 'string', valueName: 'NAME=KIND,…', help: 'column kind overrides, KIND continuous or discrete (e.g. age=continuous,grade=discrete)' },
  'max-levels': { type: 'number', integer: true, min: 1, default: 10, help: 'type rule: whole-number columns with at most this many distinct values are discrete' },
} as const;

export type DataFlagValues = ParsedFlags<typeof dataFlags>;

export interface ScoringProblem {
  dataset: LoadedDataset;
  model: CachedScoreModel;
  scoreOptions: ScoreOptions;
}

export async function loadScoringProblem(
  opts: DataFlagValues,
  extra: { signal?: AbortSignal; onProgress?: LoadOptions['onProgress'] } = {},
): Promise<ScoringProblem> {
  const score = opts.score as 'auto' | 'bge' | 'bdeu';
  checkScoreSpecificFlags(opts, score);
  const dataset = await loadDataset(opts.data, {
    score,
    columnTypes: parseTypeOverrides(opts.type),
    exclude: splitList(opts.exclude),
    missingTokens: opts['na-values'] === undefined ? undefined : opts['na-values'].split(','),
    missing: opts.missing as 'refuse' | 'drop',
    mixed: opts.mixed as LoadOptions['mixed'],
    bins: opts.bins,
    maxDiscreteLevels: opts['max-levels'],
    standardize: opts.standardize,
    interventionColumn: opts['int-column'],
    interventionFile: opts.int,
    signal: extra.signal,
    onProgress: extra.onProgress,
  });
  const resolved = dataset.kind === 'continuous' ? 'bge' : 'bdeu';
  checkScoreSpecificFlags(opts, resolved);
  const scoreOptions: ScoreOptions =
    resolved === 'bge'
      ? { score: 'bge', alphaMu: opts['alpha-mu'], alphaW: opts['alpha-w'], mean: opts.mean as 'zero' | 'sample' }
      : { score: 'bdeu', ess: opts.ess };
  const model = createScoreModel(dataset, scoreOptions);
  return { dataset, model, scoreOptions };
}

/** A BGe flag with BDeu (or the reverse) is a mistake worth saying, not something to ignore. */
function checkScoreSpecificFlags(opts: DataFlagValues, score: 'auto' | 'bge' | 'bdeu'): void {
  if (score === 'bdeu') {
    for (const flag of ['alpha-mu', 'alpha-w'] as const) {
      if (opts[flag] !== undefined) throw new DagflowError('BAD_OPTION', 'applies to BGe only, but the score is BDeu', { flag: `--${flag}` }, 'drop the flag, or use --score bge for continuous data');
    }
    if (opts.mean !== 'zero') throw new DagflowError('BAD_OPTION', 'applies to BGe only, but the score is BDeu', { flag: '--mean' }, 'drop the flag');
  }
  if (score === 'bge' && opts.ess !== undefined) {
    throw new DagflowError('BAD_OPTION', 'applies to BDeu only, but the score is BGe', { flag: '--ess' }, 'drop the flag, or use --score bdeu for discrete data');
  }
}

function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseTypeOverrides(value: string | undefined): Record<string, VariableKind> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, VariableKind> = {};
  for (const item of splitList(value)!) {
    const eq = item.lastIndexOf('=');
    const name = item.slice(0, eq).trim();
    const kind = item.slice(eq + 1).trim();
    if (eq <= 0 || (kind !== 'continuous' && kind !== 'discrete')) {
      throw new DagflowError('BAD_OPTION', `expects NAME=continuous or NAME=discrete, got ${quoteUserText(item)}`, { flag: '--type' });
    }
    out[name] = kind;
  }
  return out;
}
