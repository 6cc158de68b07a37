/**
 * The getAnswers operation: causal answers from a finished run (answersView.ts). Features need
 * only the run's DAGs; effects and hypotheses also need its data, score and prior, rebuilt from
 * the request the run was started with (recorded here at startRun) and loaded once per run.
 */
import { isDagflowError, userMessage } from '../gflownet/core/errors.ts';
import type { AnswersRequest, AnswersView } from '../shared/answers.ts';
import type { StartRunRequest } from '../shared/workflow.ts';
import { answersView, type AnswersInput, type AnswersProblem } from './answersView.ts';
import { requireResult } from './posteriorView.ts';
import type { RunStore } from './runStore.ts';
import { DagflowError } from '../gflownet/core/errors.ts';

export interface AnswersDeps {
  runs: RunStore;
  /** The data set, score, prior and knowledge of a run request (read on the Node side). */
  loadProblem: (request: StartRunRequest) => Promise<AnswersProblem>;
}

export interface AnswersHandlers {
  handlers: { getAnswers(request: AnswersRequest): Promise<AnswersView> };
  /** Remember what a run was started with, so that its data can be read again for effects. */
  recordRun(runId: string, request: StartRunRequest): void;
  /** The run's data, score and prior (loaded once), or why they are unavailable; exports of effects and tables use it too. */
  problemOf(runId: string): Promise<AnswersInput['problem']>;
}

export function createAnswersHandlers(deps: AnswersDeps): AnswersHandlers {
  const settings = new Map<string, StartRunRequest>();
  const problems = new Map<string, Promise<AnswersProblem>>();

  async function problemOf(runId: string): Promise<AnswersInput['problem']> {
    const request = settings.get(runId);
    if (!request)
      return {
        unavailable: 'this run was not started in this window (it came from a session file), so its data are not loaded; effects need them',
      };
    let loading = problems.get(runId);
    if (!loading) {
      loading = deps.loadProblem(request);
      problems.set(runId, loading);
      // A failed load is not cached: the file may be back next time.
      loading.catch(() => problems.delete(runId));
    }
    try {
      return await loading;
    } catch (e) {
      if (!isDagflowError(e)) throw e;
      return { unavailable: `the run's data cannot be read again: ${userMessage(e)}` };
    }
  }

  return {
    handlers: {
      async getAnswers(request) {
        const run = deps.runs.get(request.runId);
        if (!run) throw new DagflowError('BAD_OPTION', `there is no run ${request.runId}`, {}, 'pick a run from the list');
        const result = requireResult(run.result, request.runId, run.summary.status);
        const needsData = request.cause !== undefined || request.hypothesis !== undefined;
        const method = run.summary.method;
        return answersView(
          {
            runId: request.runId,
            result,
            sampledBy: method === 'exact' ? 'exact' : method === 'gflownet' ? 'gflownet' : 'mcmc',
            problem: needsData ? await problemOf(request.runId) : { unavailable: 'not needed' },
          },
          request,
        );
      },
    },
    recordRun(runId, request) {
      settings.set(runId, request);
    },
    problemOf,
  };
}
