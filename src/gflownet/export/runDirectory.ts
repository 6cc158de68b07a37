/**
 * A run directory as `dagflow train` / `dagflow mcmc` write it: samples.jsonl,
 * edge_marginals.csv, summary.json (and maybe checkpoint/). Loaded once into the shape every
 * exporter takes, with the file readers of samples/format.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';
import { edgeMarginalsFromSamples, parseEdgeMarginalsCsv, parsePosteriorSamples } from '../samples/format.ts';

export const RUN_FILES = { samples: 'samples.jsonl', marginals: 'edge_marginals.csv', summary: 'summary.json' } as const;

/** The results of one run, whichever sampler produced them. */
export interface RunResults {
  /** Where it came from, for messages and report titles. */
  source: string;
  columns: string[];
  /** summary.json as written (settings, seed, timings, …); {} when absent. */
  summary: Record<string, unknown>;
  /** The posterior samples, or null when the run has none (an exact run may only have marginals). */
  samples: PosteriorSampleRecord[] | null;
  /** P(i → j), row-major over `columns`. */
  marginals: Float64Array;
  /** Where the marginals came from: the run's CSV, counted from the samples, or stored in a session. */
  marginalsFrom: 'edge_marginals.csv' | 'samples.jsonl' | 'session';
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DagflowError('IO', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file });
  }
}

function parseSummary(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DagflowError(
      'BAD_OPTION',
      'summary.json is not valid JSON (the run may have been interrupted)',
      { file },
      'run again or remove the file',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DagflowError('BAD_OPTION', 'summary.json must hold a JSON object', { file });
  return value as Record<string, unknown>;
}

export async function loadRunDirectory(dir: string): Promise<RunResults> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new DagflowError(
      'IO',
      'the run folder does not exist',
      { file: dir, flag: '--run' },
      'give the folder that dagflow train or dagflow mcmc wrote (--out)',
    );
  }
  if (!info.isDirectory())
    throw new DagflowError(
      'IO',
      'not a folder',
      { file: dir, flag: '--run' },
      'give the folder that dagflow train or dagflow mcmc wrote (--out)',
    );
  const files = {
    samples: path.join(dir, RUN_FILES.samples),
    marginals: path.join(dir, RUN_FILES.marginals),
    summary: path.join(dir, RUN_FILES.summary),
  };
  const [samplesText, marginalsText, summaryText] = await Promise.all([
    readIfPresent(files.samples),
    readIfPresent(files.marginals),
    readIfPresent(files.summary),
  ]);
  const summary = summaryText === null ? {} : parseSummary(summaryText, files.summary);
  const table = marginalsText === null ? null : parseEdgeMarginalsCsv(marginalsText, files.marginals);
  const summaryColumns =
    Array.isArray(summary.columns) && summary.columns.every((c) => typeof c === 'string') ? (summary.columns as string[]) : null;
  const columns = summaryColumns ?? table?.columns ?? null;
  if (columns === null) {
    throw new DagflowError(
      'IO',
      `the folder has neither ${RUN_FILES.summary} with "columns" nor ${RUN_FILES.marginals}`,
      { file: dir, flag: '--run' },
      'give the folder that dagflow train or dagflow mcmc wrote (--out)',
    );
  }
  if (table && table.columns.join('\u0000') !== columns.join('\u0000')) {
    throw new DagflowError(
      'BAD_HEADER',
      `the columns of ${RUN_FILES.marginals} (${table.columns.join(', ')}) differ from summary.json (${columns.join(', ')})`,
      { file: files.marginals },
    );
  }
  const samples = samplesText === null ? null : parsePosteriorSamples(samplesText, files.samples);
  if (table) return { source: dir, columns, summary, samples, marginals: table.marginals, marginalsFrom: 'edge_marginals.csv' };
  if (samples === null)
    throw new DagflowError('IO', `the folder has neither ${RUN_FILES.samples} nor ${RUN_FILES.marginals}`, { file: dir, flag: '--run' });
  return {
    source: dir,
    columns,
    summary,
    samples,
    marginals: edgeMarginalsFromSamples(samples, columns, files.samples),
    marginalsFrom: 'samples.jsonl',
  };
}

/** The samples, or an error saying this export needs them. */
export function requireSamples(run: RunResults, what: string): PosteriorSampleRecord[] {
  if (run.samples === null) {
    throw new DagflowError(
      'BAD_OPTION',
      `${what} needs the posterior samples, but ${run.source} has no ${RUN_FILES.samples}`,
      { flag: '--format' },
      'export the edge marginals, a graph or the report instead',
    );
  }
  return run.samples;
}
