/** The CPDAG (Markov equivalence class) of one DAG for the Posterior screen, by the engine's Meek rules. */
import { DagflowError } from '../gflownet/core/errors.ts';
import { adjacencyFromEdges, isAcyclic } from '../gflownet/graph/dag.ts';
import { dagToCpdag } from '../gflownet/graph/cpdag.ts';
import type { CpdagView } from '../shared/workflow.ts';

export function hasCpdag(): boolean {
  return true;
}

export function cpdagOf(d: number, edges: Array<[number, number]>): CpdagView {
  for (const [i, j] of edges)
    if (i >= d || j >= d)
      throw new DagflowError('BAD_GRAPH', `the graph names variable ${Math.max(i, j) + 1} of ${d}`, {}, 'pick a DAG from this run');
  const adjacency = adjacencyFromEdges(d, edges);
  if (!isAcyclic(adjacency, d))
    throw new DagflowError('BAD_GRAPH', 'the graph has a cycle, so it has no CPDAG', {}, 'pick a DAG from this run');
  const c = dagToCpdag(adjacency, d);
  const directed: Array<[number, number]> = [];
  const undirected: Array<[number, number]> = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (!c[i * d + j]) continue;
      if (c[j * d + i]) {
        if (i < j) undirected.push([i, j]);
      } else directed.push([i, j]);
    }
  }
  return { directed, undirected };
}
