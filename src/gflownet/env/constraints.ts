/**
 * The static part of the DAG environment: which edges prior knowledge allows at all, the
 * required edges of the start state, and the parent bound (docs/architecture.md §2). Computed once per
 * problem and shared by every environment, the sampler and the replay buffer.
 */
import { DagflowError } from '../core/errors.ts';
import type { PriorKnowledge } from '../core/types.ts';

export interface EnvConstraints {
  readonly d: number;
  /** allowed[i*d + j] = 1 when i → j may ever be added (i ≠ j, not forbidden, tiers respected). */
  readonly allowed: Uint8Array;
  /** required[i*d + j] = 1 when i → j is in the start state and can never be removed. */
  readonly required: Uint8Array;
  readonly requiredCount: number;
  /** Maximum number of parents of any node (d − 1 when unbounded). */
  readonly maxParents: number;
}

/** Constraints for d variables from optional prior knowledge; conflicts are user errors. */
export function buildConstraints(d: number, knowledge?: Partial<PriorKnowledge>): EnvConstraints {
  const allowed = new Uint8Array(d * d);
  const required = new Uint8Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) allowed[i * d + j] = 1;
  const tiers = knowledge?.tiers;
  if (tiers) {
    if (tiers.length !== d)
      throw new DagflowError('BAD_OPTION', `tiers list ${tiers.length} variables but the data has ${d}`, { field: 'knowledge.tiers' });
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (tiers[i]! > tiers[j]!) allowed[i * d + j] = 0;
  }
  const checkEdge = (e: [number, number], what: string): void => {
    const [i, j] = e;
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < d && j < d) || i === j) {
      throw new DagflowError('BAD_OPTION', `${what} edge ${i} → ${j} is not an edge between two of the ${d} variables`, {
        flag: `--${what}`,
      });
    }
  };
  for (const e of knowledge?.forbidden ?? []) {
    checkEdge(e, 'forbidden');
    allowed[e[0] * d + e[1]] = 0;
  }
  const maxParents = knowledge?.maxParents ?? d - 1;
  if (!(Number.isInteger(maxParents) && maxParents >= 0)) {
    throw new DagflowError('BAD_OPTION', `maximum parents must be a whole number ≥ 0, got ${maxParents}`, {
      field: 'knowledge.maxParents',
    });
  }
  let requiredCount = 0;
  for (const e of knowledge?.required ?? []) {
    checkEdge(e, 'required');
    const k = e[0] * d + e[1];
    if (!allowed[k]) {
      throw new DagflowError(
        'BAD_OPTION',
        `required edge ${e[0]} → ${e[1]} is also forbidden (by the forbidden edges or the tiers)`,
        { field: 'knowledge.required' },
        'remove it from one of the two lists',
      );
    }
    if (!required[k]) requiredCount++;
    required[k] = 1;
  }
  // The required edges must themselves form a DAG within the parent bound.
  const indegree = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (required[i * d + j]) indegree[j]!++;
  for (let j = 0; j < d; j++) {
    if (indegree[j]! > maxParents) {
      throw new DagflowError('BAD_OPTION', `variable ${j} has ${indegree[j]} required parents but at most ${maxParents} are allowed`, {
        field: 'knowledge.maxParents',
      });
    }
  }
  const remaining = Int32Array.from(indegree);
  const queue: number[] = [];
  for (let j = 0; j < d; j++) if (remaining[j] === 0) queue.push(j);
  let seen = 0;
  while (queue.length > 0) {
    const u = queue.pop()!;
    seen++;
    for (let v = 0; v < d; v++) if (required[u * d + v] && --remaining[v]! === 0) queue.push(v);
  }
  if (seen < d)
    throw new DagflowError(
      'BAD_GRAPH',
      'the required edges contain a cycle',
      { field: 'knowledge.required' },
      'required edges must form a DAG',
    );
  return { d, allowed, required, requiredCount, maxParents };
}
