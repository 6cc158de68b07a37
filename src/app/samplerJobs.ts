/**
 * From a run request to jobs in the job host: which job kind carries each sampler, its
 * parameters, and how the jobs' results become one posterior in the run store.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import type { JobHost } from '../jobs/host.ts';
import type { JobKindName } from '../jobs/kinds/index.ts';
import type { ProblemSpec } from '../gflownet/problem/spec.ts';
import type { ChainOptions } from '../gflownet/mcmc/chains.ts';
import type { ExactJobResult } from '../jobs/kinds/exact.ts';
import { combineMcmcJobs, type McmcJobResult } from '../jobs/kinds/mcmc.ts';
import type { TrainJobResult } from '../jobs/kinds/train.ts';
import type { RunSummaryView, SamplerMethod, SamplerSpec } from '../shared/workflow.ts';
import type { RunStore } from './runStore.ts';
import { DEFAULT_MCMC_CHAINS, DEFAULT_SEED } from '../shared/samplerDefaults.ts';

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

/** Chain options for chain `chain` of an MCMC run the window asked for. */
export function chainOptionsFromSpec(sampler: SamplerSpec, chain: number): ChainOptions {
  if (sampler.method !== 'mc3' && sampler.method !== 'order' && sampler.method !== 'partition')
    throw new Error(`not an MCMC method: ${sampler.method}`);
  return {
    method: sampler.method,
    // As `dagflow mcmc`: a time limit alone is the budget; without either, a fixed 100,000.
    iterations: sampler.iterations ?? (sampler.timeLimitSeconds !== undefined ? Number.MAX_SAFE_INTEGER : 100_000),
    burnIn: sampler.burnIn,
    thin: sampler.thin,
    seed: sampler.seed ?? DEFAULT_SEED,
    chain,
    timeLimitSeconds: sampler.timeLimitSeconds,
  };
}

export function submitRun(host: JobHost, runs: RunStore, problem: ProblemSpec, sampler: SamplerSpec): RunSummaryView {
  const number = runs.list().length + 1;
  const label = `${METHOD_TITLES[sampler.method]} #${number} · ${problem.score.score.toUpperCase()}`;
  const datasetName = problem.data.name ?? problem.data.path;
  switch (sampler.method) {
    case 'exact': {
      const jobId = host.submit('exact', { problem }, label);
      return runs.add({
        method: 'exact',
        label,
        datasetName,
        variables: [],
        jobIds: [jobId],
        combine: (results) => (results[0] as ExactJobResult).posterior,
      });
    }
    case 'gflownet': {
      const jobId = host.submit('train', { problem, sampler }, label);
      return runs.add({
        method: 'gflownet',
        label,
        datasetName,
        variables: [],
        jobIds: [jobId],
        combine: (results) => (results[0] as TrainJobResult).posterior,
      });
    }
    case 'mc3':
    case 'order':
    case 'partition': {
      // One job per chain: the job host runs the chains in parallel worker threads.
      const chains = sampler.chains ?? DEFAULT_MCMC_CHAINS;
      // With a time limit the chains run at once, sharing the cores (as `dagflow mcmc
      // --time-limit`): four chains queued two at a time on two cores would take twice the limit.
      const now = sampler.timeLimitSeconds !== undefined;
      const jobIds = Array.from({ length: chains }, (_, c) =>
        host.submit('mcmc', { problem, chain: chainOptionsFromSpec(sampler, c) }, `${label} · chain ${c + 1}`, { now }),
      );
      return runs.add({
        method: sampler.method,
        label,
        datasetName,
        variables: [],
        jobIds,
        combine: (results) => combineMcmcJobs(results as McmcJobResult[]),
      });
    }
    default:
      throw new DagflowError(
        'BAD_OPTION',
        `${METHOD_TITLES[sampler.method]} is not available in this build yet`,
        {},
        'choose the exact posterior',
      );
  }
}
