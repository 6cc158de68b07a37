/**
 * The data and score flags every data-taking command shares (score, exact, train, mcmc), and
 * how they become the data and score parts of a ProblemSpec (gflownet/problem/), which every
 * caller — window, command line, server — loads the same way.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import type { VariableKind } from '../gflownet/core/types.ts';
import { DEFAULT_MISSING_TOKENS } from '../gflownet/data/missing.ts';
import { loadScoring, type LoadExtras, type ScoringProblem } from '../gflownet/problem/load.ts';
import type { DataSpec, ProblemSpec, ReadOptions, ScoreSpec } from '../gflownet/problem/spec.ts';
import type { ParsedFlags } from './flags.ts';
import { knowledgeSpecFromFlags, priorFromFlags, type KnowledgeFlagValues } from './knowledgeFlags.ts';
import { quoteUserText } from '../gflownet/core/userText.ts';

export const dataFlags = {
  data: { type: 'string', required: true, valueName: 'FILE', help: 'CSV data file with a header row (comma, semicolon or tab separated)' },
  score: {
    type: 'enum',
    values: ['auto', 'bge', 'bdeu'],
    default: 'auto',
    help: 'local score; auto = BGe for continuous data, BDeu for discrete; bdeu reads every column as discrete',
  },
  int: {
    type: 'string',
    valueName: 'FILE',
    help: 'sidecar CSV with a column INT per data row: 0 = observational, k = the k-th column was intervened on',
  },
  'int-column': {
    type: 'string',
    valueName: 'NAME',
    help: 'data column holding the intervention targets (0 or the 1-based index among the other columns)',
  },
  standardize: { type: 'boolean', negatable: true, default: true, help: 'z-score continuous columns, ddof = 1 (default on)' },
  mean: {
    type: 'enum',
    values: ['zero', 'sample'],
    default: 'zero',
    help: 'BGe prior mean ν: zero, or the sample mean of the rows a node uses',
  },
  'alpha-mu': { type: 'number', min: 0, exclusiveMin: true, help: 'BGe α_μ > 0 (default 1)' },
  'alpha-w': { type: 'number', help: 'BGe α_w > d + 1 (default d + 2)' },
  ess: { type: 'number', min: 0, exclusiveMin: true, help: 'BDeu equivalent sample size > 0 (default 1)' },
  missing: {
    type: 'enum',
    values: ['refuse', 'drop'],
    default: 'refuse',
    help: 'rows with missing values: refuse to load, or drop them (the count is reported)',
  },
  'na-values': {
    type: 'string',
    valueName: 'LIST',
    help: `comma-separated cell values meaning missing (default: empty,${DEFAULT_MISSING_TOKENS.slice(1).join(',')})`,
  },
  mixed: {
    type: 'enum',
    values: ['refuse', 'discretize', 'exclude-continuous', 'exclude-discrete'],
    default: 'refuse',
    help: 'data with continuous and discrete columns',
  },
  bins: { type: 'number', integer: true, min: 2, help: 'quantile bins per column for --mixed discretize (default 3)' },
  exclude: { type: 'string', valueName: 'NAMES', help: 'comma-separated columns to leave out' },
  type: {
    type: 'string',
    valueName: 'NAME=KIND,…',
    help: 'column kind overrides, KIND continuous or discrete (e.g. age=continuous,grade=discrete)',
  },
  'max-levels': {
    type: 'number',
    integer: true,
    min: 1,
    default: 10,
    help: 'type rule: whole-number columns with at most this many distinct values are discrete',
  },
} as const;

export type DataFlagValues = ParsedFlags<typeof dataFlags>;

export type { ScoringProblem } from '../gflownet/problem/load.ts';

/** The data file and how to read it, from the data flags. */
export function dataSpecFromFlags(opts: DataFlagValues): DataSpec {
  return {
    path: opts.data,
    options: {
      columnTypes: parseTypeOverrides(opts.type),
      exclude: splitList(opts.exclude),
      missingTokens: opts['na-values'] === undefined ? undefined : opts['na-values'].split(','),
      missing: opts.missing as 'refuse' | 'drop',
      mixed: opts.mixed as ReadOptions['mixed'],
      bins: opts.bins,
      maxDiscreteLevels: opts['max-levels'],
      standardize: opts.standardize,
      interventionColumn: opts['int-column'],
    },
    ...(opts.int === undefined ? {} : { interventionFile: { path: opts.int } }),
  };
}

/** The local score and its hyper-parameters, from the score flags. */
export function scoreSpecFromFlags(opts: DataFlagValues): ScoreSpec {
  return {
    score: opts.score as ScoreSpec['score'],
    alphaMu: opts['alpha-mu'],
    alphaW: opts['alpha-w'],
    mean: opts.mean as 'zero' | 'sample',
    ess: opts.ess,
  };
}

/** The data set and its score model, as every data-taking command reads them. */
export function loadScoringProblem(opts: DataFlagValues, extra: LoadExtras = {}): Promise<ScoringProblem> {
  return loadScoring(dataSpecFromFlags(opts), scoreSpecFromFlags(opts), extra);
}

function splitList(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
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

/** The whole problem of a data-taking command (data, score, prior, knowledge flags) as one spec. */
export function problemSpecFromFlags(opts: DataFlagValues & KnowledgeFlagValues): ProblemSpec {
  return {
    data: dataSpecFromFlags(opts),
    score: scoreSpecFromFlags(opts),
    prior: priorFromFlags(opts),
    knowledge: knowledgeSpecFromFlags(opts),
  };
}
