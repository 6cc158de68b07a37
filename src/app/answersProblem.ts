/**
 * The data set, score, prior and knowledge of a run request, read again on the Node side for
 * the Answers screen's effects and hypotheses: the same problem spec the run was built from.
 */
import { loadProblem } from '../gflownet/problem/load.ts';
import type { StartRunRequest } from '../shared/workflow.ts';
import type { AnswersProblem } from './answersView.ts';
import type { DataStore } from './dataStore.ts';
import { dataSpecFor, problemSpecFor } from './problemSpec.ts';

export async function loadAnswersProblem(data: DataStore, samplesDir: string, request: StartRunRequest): Promise<AnswersProblem> {
  const p = await loadProblem(problemSpecFor(dataSpecFor(data, samplesDir, request.datasetId, request.data), request.model));
  return { dataset: p.dataset, scoreOptions: p.scoreOptions, reward: p.reward, knowledge: p.knowledge };
}
