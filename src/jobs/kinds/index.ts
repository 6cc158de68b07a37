/**
 * Every kind of job a worker thread can run, loaded lazily inside the worker. One line per
 * kind; each module exports `run(params, ctx)`. The host imports this file for types only.
 */
import type { JobContext } from '../../gflownet/core/job.ts';

export interface JobKindModule {
  run(params: never, ctx: JobContext<never>): Promise<unknown>;
}

export const jobKinds = {
  selftest: () => import('./selftest.ts'),
  preview: () => import('./preview.ts'),
  inspect: () => import('./inspect.ts'),
  exact: () => import('./exact.ts'),
  train: () => import('./train.ts'),
  mcmc: () => import('./mcmc.ts'),
  design: () => import('./design.ts'),
  candidates: () => import('./candidates.ts'),
} satisfies Record<string, () => Promise<JobKindModule>>;

export type JobKindName = keyof typeof jobKinds;
type KindModule<K extends JobKindName> = Awaited<ReturnType<(typeof jobKinds)[K]>>;
export type JobParams<K extends JobKindName> = Parameters<KindModule<K>['run']>[0];
export type JobResult<K extends JobKindName> = Awaited<ReturnType<KindModule<K>['run']>>;
export type JobProgress<K extends JobKindName> = Parameters<KindModule<K>['run']>[1] extends JobContext<infer P> ? P : never;
