/**
 * The getDesign operation: which experiment next, for a finished run (docs/design.md). The
 * run's DAGs (the exact distribution, or its samples) and its data and score (read again as for
 * effects, answersHandlers.ts) go to a `design` job in a worker; the result comes back ranked,
 * with one sentence per target.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { describeGain, queryText } from '../gflownet/design/describe.ts';
import type { DesignQuery } from '../gflownet/design/query.ts';
import { errorOfJob } from '../jobs/failure.ts';
import type { JobHost } from '../jobs/host.ts';
import type { JobErrorInfo } from '../jobs/protocol.ts';
import type { DesignRequest, DesignView, PoolExperimentRequest, PoolExperimentView } from '../shared/design.ts';
import type { StartRunRequest } from '../shared/workflow.ts';
import { describeNewRows } from '../gflownet/design/describe.ts';
import { poolData, POOLED_INT_COLUMN } from '../gflownet/design/pool.ts';
import type { DataStore } from './dataStore.ts';
import { dataSpecFor } from './problemSpec.ts';
import type { AnswersInput } from './answersView.ts';
import { weightedPosterior } from './answersView.ts';
import { requireResult } from './posteriorView.ts';
import type { RunStore } from './runStore.ts';

export interface DesignDeps {
  host: JobHost;
  runs: RunStore;
  /** The run's data, score and prior (answersHandlers.ts), or why they are unavailable. */
  problemOf: (runId: string) => Promise<AnswersInput['problem']>;
  data: DataStore;
  samplesDir: string;
}

export interface DesignHandlers {
  handlers: {
    getDesign(request: DesignRequest): Promise<DesignView>;
    poolExperiment(request: PoolExperimentRequest): Promise<PoolExperimentView>;
  };
  /** Remember what a run was started with, so that an experiment's rows can be pooled with its data. */
  recordRun(runId: string, request: StartRunRequest): void;
}

export function createDesignHandlers(deps: DesignDeps): DesignHandlers {
  const settings = new Map<string, StartRunRequest>();
  const handlers: DesignHandlers['handlers'] = {
    async getDesign(request) {
      const run = deps.runs.get(request.runId);
      if (!run) throw new DagflowError('BAD_OPTION', `there is no run ${request.runId}`, {}, 'pick a run from the list');
      const result = requireResult(run.result, request.runId, run.summary.status);
      const variables = result.variables;
      const d = variables.length;
      const query: DesignQuery = request.query;
      const named = query.kind === 'edges' ? [] : query.kind === 'edge' ? [query.from, query.to] : [query.cause, query.effect];
      for (const k of [...named, ...(request.targets ?? [])])
        if (k >= d) throw new DagflowError('BAD_OPTION', `variable ${k} is not one of the run's ${d} variables`);
      const problem = await deps.problemOf(request.runId);
      if ('unavailable' in problem)
        throw new DagflowError('BAD_OPTION', `the next experiment needs the run's data: ${problem.unavailable}`);
      const method = run.summary.method;
      const posterior = weightedPosterior({
        runId: request.runId,
        result,
        sampledBy: method === 'exact' ? 'exact' : method === 'gflownet' ? 'gflownet' : 'mcmc',
        problem,
      });
      const options = {
        query,
        rows: request.rows,
        ...(request.targets ? { targets: request.targets } : {}),
        ...(request.outerSamples !== undefined ? { outerSamples: request.outerSamples } : {}),
        seed: request.seed ?? 1,
      };
      const id = deps.host.submit(
        'design',
        { posterior, dataset: problem.dataset, scoreOptions: problem.scoreOptions, options },
        `next experiment for ${request.runId}`,
      );
      const design = await deps.host.wait<'design'>(id).catch((failure: { info?: JobErrorInfo }) => {
        throw errorOfJob(failure.info, 'could not rank the experiments');
      });
      return {
        runId: request.runId,
        variables: [...variables],
        queryText: queryText(design.query, variables),
        rows: design.rows,
        outerSamples: design.outerSamples,
        seed: design.seed,
        posterior: posterior.kind,
        uncertaintyBefore: design.priorUncertainty,
        ranking: design.ranking.map((g) => ({
          target: g.target,
          expectedGain: g.expectedGain,
          standardError: g.standardError,
          expectedUncertaintyAfter: g.expectedUncertaintyAfter,
          sentence: describeGain(design, g, variables),
          ...(g.meanEffectiveSamples !== undefined ? { meanEffectiveSamples: g.meanEffectiveSamples } : {}),
        })),
      };
    },

    async poolExperiment(request) {
      const started = settings.get(request.runId);
      if (!started)
        throw new DagflowError(
          'BAD_OPTION',
          `run ${request.runId} was not started in this window, so its data cannot be pooled with new rows`,
          {},
          'start the run again on its data, then import the experiment',
        );
      const fresh = deps.data.get(request.datasetId);
      if (!fresh) throw new DagflowError('BAD_OPTION', 'the file of new rows is no longer open', {}, 'choose it again');
      const old = dataSpecFor(deps.data, deps.samplesDir, started.datasetId, started.data);
      const score = started.model.score === 'bge' || started.model.score === 'bdeu' ? started.model.score : 'auto';
      const pooled = await poolData(
        old,
        { path: fresh.path, name: fresh.name, options: { ...old.options, interventionColumn: request.interventionColumn } },
        score,
      );
      const base = (old.name ?? 'data').replace(/\.csv$/i, '');
      const opened = deps.data.saveUpload(`${base}+${fresh.name.replace(/\.csv$/i, '')}.csv`, new TextEncoder().encode(pooled.csv));
      const { interventionFile: _file, interventionSample: _sample, exclude: _exclude, ...options } = started.data;
      return {
        datasetId: opened.id,
        name: opened.name,
        oldRows: pooled.oldRows,
        newRows: pooled.newRows,
        newRowsText: describeNewRows(pooled),
        startRun: { ...started, datasetId: opened.id, data: { ...options, interventionColumn: POOLED_INT_COLUMN } },
      };
    },
  };
  return { handlers, recordRun: (runId, request) => void settings.set(runId, request) };
}
