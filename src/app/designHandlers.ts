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
import type { DesignRequest, DesignView } from '../shared/design.ts';
import type { AnswersInput } from './answersView.ts';
import { weightedPosterior } from './answersView.ts';
import { requireResult } from './posteriorView.ts';
import type { RunStore } from './runStore.ts';

export interface DesignDeps {
  host: JobHost;
  runs: RunStore;
  /** The run's data, score and prior (answersHandlers.ts), or why they are unavailable. */
  problemOf: (runId: string) => Promise<AnswersInput['problem']>;
}

export function createDesignHandlers(deps: DesignDeps): { getDesign(request: DesignRequest): Promise<DesignView> } {
  return {
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
  };
}
