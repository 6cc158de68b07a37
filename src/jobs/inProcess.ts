/**
 * A job kind run in the calling thread: the same module, parameters, progress and result as in a
 * worker thread of the job host, without the thread. For callers that run one job and wait for
 * it (`dagflow train` and `dagflow exact`, `dagflow mcmc --no-workers`): errors arrive as the
 * engine threw them.
 */
import type { JobContext } from '../gflownet/core/job.ts';
import type { RunJobOptions } from './host.ts';
import { jobKinds, type JobKindName, type JobParams, type JobProgress, type JobResult } from './kinds/index.ts';

export async function runJobInProcess<K extends JobKindName>(
  kind: K,
  params: JobParams<K>,
  options: Omit<RunJobOptions<JobProgress<K>>, 'host'> = {},
): Promise<JobResult<K>> {
  const module = (await jobKinds[kind]()) as { run(params: JobParams<K>, ctx: JobContext<JobProgress<K>>): Promise<JobResult<K>> };
  const ctx: JobContext<JobProgress<K>> = {
    signal: options.signal ?? new AbortController().signal,
    progress: (update) => options.onProgress?.(update),
    log: (message) => options.onLog?.(message),
  };
  return module.run(params, ctx);
}
