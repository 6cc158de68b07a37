/**
 * The CPDAG (Markov equivalence class) of one DAG for the Posterior screen, from the engine's
 * graph module once it exists; until then the capability is reported as absent and the window
 * leaves the control out.
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { CpdagView } from '../../shared/workflow.ts';

export function hasCpdag(): boolean {
  return false;
}

export function cpdagOf(d: number, edges: Array<[number, number]>): CpdagView {
  void d;
  void edges;
  throw new DagflowError('BAD_OPTION', 'this build cannot compute CPDAGs yet', {}, 'update DAGFlow');
}
