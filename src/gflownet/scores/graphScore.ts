/**
 * Whole-graph and single-edge scores from a local-score model. Adjacency is a d×d Uint8Array,
 * adjacency[i*d + j] = 1 meaning edge i → j (docs/architecture.md §2). These functions do not check
 * acyclicity (the callers' state machines keep graphs acyclic; graph/dag.ts can check).
 */
import { DagflowError } from '../core/errors.ts';
import type { LocalScoreModel } from '../core/types.ts';

/** Ascending parents of node j. */
export function parentList(adjacency: Uint8Array, d: number, j: number): number[] {
  const parents: number[] = [];
  for (let i = 0; i < d; i++) if (adjacency[i * d + j]) parents.push(i);
  return parents;
}

/** s_j(Pa_j) for every node j. */
export function graphLocalScores(model: LocalScoreModel, adjacency: Uint8Array): Float64Array {
  const d = model.d;
  checkShape(adjacency, d);
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = model.localScore(j, parentList(adjacency, d, j));
  return out;
}

/** log p(D | G) = Σ_j s_j(Pa_j). */
export function graphScore(model: LocalScoreModel, adjacency: Uint8Array): number {
  const local = graphLocalScores(model, adjacency);
  let total = 0;
  for (let j = 0; j < local.length; j++) total += local[j]!;
  return total;
}

/** s_j(Pa_j ∪ {i}) − s_j(Pa_j): the change of log p(D | G) when edge i → j is added. */
export function deltaScoreAdd(model: LocalScoreModel, adjacency: Uint8Array, i: number, j: number): number {
  const d = model.d;
  checkShape(adjacency, d);
  if (i === j || i < 0 || j < 0 || i >= d || j >= d) throw new DagflowError('INTERNAL', `cannot add edge ${i} → ${j} among ${d} nodes`);
  if (adjacency[i * d + j]) throw new DagflowError('INTERNAL', `edge ${i} → ${j} is already in the graph`);
  const before = parentList(adjacency, d, j);
  const after = insertSorted(before, i);
  return model.localScore(j, after) - model.localScore(j, before);
}

/** A copy of an ascending list with x inserted in place. */
export function insertSorted(list: readonly number[], x: number): number[] {
  const out: number[] = [];
  let placed = false;
  for (const v of list) {
    if (!placed && x < v) {
      out.push(x);
      placed = true;
    }
    out.push(v);
  }
  if (!placed) out.push(x);
  return out;
}

function checkShape(adjacency: Uint8Array, d: number): void {
  if (adjacency.length !== d * d) throw new DagflowError('INTERNAL', `adjacency has ${adjacency.length} entries, expected ${d}×${d}`);
}
