/**
 * The workflow operations (inspect a data set, start and cancel runs, posterior views, CPDAG,
 * compare) on the Node side. Engine work runs in the job host; results stay in the run store.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { MAX_DP_NODES } from '../gflownet/exact/dp.ts';
import { errorOfJob } from '../jobs/failure.ts';
import type { JobHost } from '../jobs/host.ts';
import type { JobErrorInfo } from '../jobs/protocol.ts';
import type { DataSpec } from '../gflownet/problem/spec.ts';
import type { ApiHandlers } from '../shared/api.ts';
import type { Capabilities, DataOptions, DataReport, SamplerMethod } from '../shared/workflow.ts';
import { compareView } from './compareView.ts';
import { classFields } from './classView.ts';
import { cpdagOf, hasCpdag } from './cpdagView.ts';
import type { DataStore } from './dataStore.ts';
import { posteriorView, requireResult } from './posteriorView.ts';
import type { RunStore } from './runStore.ts';
import { dataSpecFor, problemSpecFor, SIDECAR_SAMPLES } from './problemSpec.ts';
import { availableSamplers, submitRun } from './samplerJobs.ts';
import { readTruthGraph } from './truthGraph.ts';

export interface WorkflowDeps {
  host: JobHost;
  data: DataStore;
  runs: RunStore;
  samplesDir: string;
}

/** Sample data sets that come with their known graph. */
export const TRUTH_SAMPLES: Record<string, string> = {
  'sachs_obs_853.csv': 'sachs_truth.csv',
  'sachs_interventional_discrete_5400.csv': 'sachs_truth.csv',
  'asia_n1000.csv': 'asia_truth.csv',
};

type WorkflowOps = 'getCapabilities' | 'inspectData' | 'startRun' | 'cancelRun' | 'listRuns' | 'getPosterior' | 'getCpdag' | 'compareRuns';

export function createWorkflowHandlers(deps: WorkflowDeps): Pick<ApiHandlers, WorkflowOps> {
  const source = (datasetId: string, options: DataOptions): DataSpec => dataSpecFor(deps.data, deps.samplesDir, datasetId, options);

  function finishedRun(runId: string) {
    const run = deps.runs.get(runId);
    if (!run) throw new DagflowError('BAD_OPTION', `there is no run ${runId}`, {}, 'pick a run from the list');
    return { run, result: requireResult(run.result, runId, run.summary.status) };
  }

  return {
    async getCapabilities(): Promise<Capabilities> {
      const methods: SamplerMethod[] = ['exact', ...availableSamplers()];
      return { methods, exactMaxVariables: MAX_DP_NODES, cpdag: hasCpdag(), truthSamples: TRUTH_SAMPLES, sidecarSamples: SIDECAR_SAMPLES };
    },

    async inspectData(request): Promise<DataReport> {
      const data = source(request.datasetId, request.options);
      const id = deps.host.submit('inspect', { datasetId: request.datasetId, data }, `read ${data.name ?? 'the data'}`);
      return deps.host.wait<'inspect'>(id).catch((failure: { info?: JobErrorInfo }) => {
        throw errorOfJob(failure.info, 'could not read the file');
      });
    },

    async startRun(request) {
      const problem = problemSpecFor(source(request.datasetId, request.data), request.model);
      return submitRun(deps.host, deps.runs, problem, request.sampler);
    },

    async cancelRun(request) {
      const run = deps.runs.get(request.runId);
      if (!run) return { cancelled: false };
      let cancelled = false;
      for (const id of run.summary.jobIds) cancelled = deps.host.cancel(id) || cancelled;
      return { cancelled };
    },

    async listRuns() {
      return deps.runs.list();
    },

    async getPosterior(request) {
      const { result } = finishedRun(request.runId);
      return { ...posteriorView(request.runId, result, request.topDags), ...classFields(result, request.topDags) };
    },

    async getCpdag(request) {
      const { result } = finishedRun(request.runId);
      return cpdagOf(result.variables.length, request.edges);
    },

    async compareRuns(request) {
      const a = finishedRun(request.a);
      const b = finishedRun(request.b);
      const truth = request.truth
        ? await readTruthGraph(request.truth, a.result.variables, deps.samplesDir, [...new Set(Object.values(TRUTH_SAMPLES))], deps.data)
        : undefined;
      return compareView(
        { runId: request.a, label: a.run.summary.label, result: a.result },
        { runId: request.b, label: b.run.summary.label, result: b.result },
        truth,
      );
    },
  };
}
