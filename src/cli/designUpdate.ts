/**
 * `dagflow design --add-rows NEW.csv --pooled-out FILE`: close the loop after an experiment.
 * The new rows are pooled with the posterior's data into one file with an INT column
 * (gflownet/design/pool.ts); then
 *
 * - the exact posterior (--exact) is recomputed on the pooled file, and the before/after edge
 *   probabilities and query uncertainty are printed, followed by the next experiment's ranking;
 * - a sampled run (--run) is not updated in place: an MCMC folder keeps thinned samples, not the
 *   chains' states (and `dagflow mcmc` takes no start state), and a GFlowNet checkpoint resumes
 *   only on the same data (its reward changes with the new rows), so the command says to rerun the
 *   sampler on the pooled file and prints how.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { poolData, POOLED_INT_COLUMN, type PooledData } from '../gflownet/design/pool.ts';
export { describeNewRows } from '../gflownet/design/describe.ts';
import { writeFileAtomic } from '../gflownet/io/atomicWrite.ts';
import { loadRunDirectory } from '../gflownet/export/runDirectory.ts';
import { dataSpecFromFlags, type DataFlagValues } from './dataFlags.ts';
import { readRunProblem } from './runProblem.ts';
import type { SourceFlagValues } from './posteriorSource.ts';

export const updateFlags = {
  'add-rows': {
    type: 'string',
    valueName: 'NEW.csv',
    help: 'close the loop: rows of a new experiment (same columns, with --add-int-column or --add-int), pooled with the data and the posterior updated',
  },
  'add-int-column': {
    type: 'string',
    valueName: 'NAME',
    help: 'column of NEW.csv holding its intervention targets (default: the data’s --int-column)',
  },
  'add-int': { type: 'string', valueName: 'FILE', help: 'sidecar CSV with a column INT for NEW.csv' },
  'pooled-out': { type: 'string', valueName: 'FILE.csv', help: 'where to write the pooled data (required with --add-rows)' },
} as const;

export interface UpdateFlagValues {
  'add-rows'?: string;
  'add-int-column'?: string;
  'add-int'?: string;
  'pooled-out'?: string;
}

export interface PooledFile extends PooledData {
  path: string;
  /** The data flags that read the pooled file as the posterior's data was read. */
  dataFlags: DataFlagValues;
}

/** The data flags the posterior was computed with: the command line's (--exact), or the run folder's record. */
async function oldDataFlags(opts: SourceFlagValues): Promise<DataFlagValues> {
  if (opts.run === undefined) return opts as DataFlagValues;
  const run = await loadRunDirectory(opts.run);
  const recorded = await readRunProblem(opts.run, run.summary);
  if (!recorded)
    throw new DagflowError('BAD_OPTION', `${opts.run} does not record the data it was run on, so the new rows cannot be pooled with it`, {
      flag: '--add-rows',
    });
  return recorded.data;
}

export async function writePooledData(opts: SourceFlagValues & UpdateFlagValues): Promise<PooledFile> {
  const out = opts['pooled-out'];
  if (out === undefined)
    throw new DagflowError('BAD_OPTION', 'is required with --add-rows', { flag: '--pooled-out' }, 'name the pooled data file to write');
  if (opts['add-int'] !== undefined && opts['add-int-column'] !== undefined)
    throw new DagflowError('BAD_OPTION', 'cannot be combined with --add-int-column', { flag: '--add-int' }, 'give the targets one way');
  const old = await oldDataFlags(opts);
  const oldSpec = dataSpecFromFlags(old);
  const freshSpec = {
    path: opts['add-rows']!,
    options: {
      ...oldSpec.options,
      interventionColumn: opts['add-int'] !== undefined ? undefined : (opts['add-int-column'] ?? old['int-column']),
    },
    ...(opts['add-int'] !== undefined ? { interventionFile: { path: opts['add-int'] } } : {}),
  };
  const pooled = await poolData(oldSpec, freshSpec, old.score as 'auto' | 'bge' | 'bdeu');
  await writeFileAtomic(out, pooled.csv);
  return {
    ...pooled,
    path: out,
    dataFlags: { ...old, data: out, 'int-column': POOLED_INT_COLUMN, int: undefined, exclude: undefined },
  };
}

/** What to run to update a sampled posterior on the pooled file. */
export function rerunAdvice(p: PooledFile, sampler: 'mcmc' | 'gflownet'): string {
  const flags = [`--data ${p.path}`, `--int-column ${POOLED_INT_COLUMN}`];
  const f = p.dataFlags;
  if (f.score !== 'auto') flags.push(`--score ${f.score}`);
  if (f.standardize === false) flags.push('--no-standardize');
  const why =
    sampler === 'mcmc'
      ? 'an MCMC run folder keeps thinned samples, not the chains’ states, and dagflow mcmc takes no start state, so the chains cannot be restarted from where they stopped'
      : 'a GFlowNet checkpoint resumes only on the data it was trained on (the new rows change its reward), so it cannot be resumed';
  return `the sampled posterior is not updated in place: ${why}. Rerun the sampler on the pooled data with the run's score, prior and knowledge flags, e.g. dagflow ${sampler === 'mcmc' ? 'mcmc' : 'train'} ${flags.join(' ')} … --out NEW_DIR, then dagflow design --run NEW_DIR for the next experiment.`;
}
