/**
 * From a run request to jobs in the job host: which job kind carries each sampler, its
 * parameters, and how the jobs' results become one posterior in the run store.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import type { JobHost } from '../jobs/host.ts';
import type { JobKindName } from '../jobs/kinds/index.ts';
import { chainOptionsFromSpec, combineMcmcJobs, type McmcJobResult } from '../jobs/kinds/mcmc.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { DataSource } from '../jobs/kinds/problem.ts';
import type { ModelSpec, RunSummaryView, SamplerMethod, SamplerSpec } from '../shared/workflow.ts';
import type { RunStore } from './runStore.ts';

const METHOD_TITLES: Record<SamplerMethod, string> = {
  exact: 'Exact',
  gflownet: 'GFlowNet',
  mc3: 'MC3',
  order: 'Order MCMC',
  partition: 'Partition MCMC',
};

/** Samplers beyond the exact posterior whose job kinds exist in this build. */
export function availableSamplers(): SamplerMethod[] {
  return Object.keys(SAMPLER_KINDS) as SamplerMethod[];
}

/** The job kind behind each sampler (type-checked against the registered kinds). */
const SAMPLER_KINDS: Partial<Record<SamplerMethod, JobKindName>> = { gflownet: 'train', mc3: 'mcmc', order: 'mcmc', partition: 'mcmc' };

export function submitRun(host: JobHost, runs: RunStore, data: DataSource, model: ModelSpec, sampler: SamplerSpec): RunSummaryView {
  const number = runs.list().length + 1;
  const label = `${METHOD_TITLES[sampler.method]} #${number} · ${model.score.toUpperCase()}`;
  switch (sampler.method) {
    case 'exact': {
      const jobId = host.submit('exact', { data, model }, label);
      return runs.add({ method: 'exact', label, datasetName: data.name, variables: [], jobIds: [jobId], combine: (results) => results[0] as PosteriorRunResult });
    }
    case 'gflownet': {
      const jobId = host.submit('train', { data, model, sampler }, label);
      return runs.add({ method: 'gflownet', label, datasetName: data.name, variables: [], jobIds: [jobId], combine: (results) => results[0] as PosteriorRunResult });
    }
    case 'mc3':
    case 'order':
    case 'partition': {
      // One job per chain: the job host runs the chains in parallel worker threads.
      const chains = sampler.chains ?? 2;
      const jobIds = Array.from({ length: chains }, (_, c) => host.submit('mcmc', { problem: { from: 'window', data, model }, chain: chainOptionsFromSpec(sampler, c) }, `${label} · chain ${c + 1}`));
      return runs.add({ method: sampler.method, label, datasetName: data.name, variables: [], jobIds, combine: (results) => combineMcmcJobs(results as McmcJobResult[]) });
    }
    default:
      throw new DagflowError('BAD_OPTION', `${METHOD_TITLES[sampler.method]} is not available in this build yet`, {}, 'choose the exact posterior');
  }
}
