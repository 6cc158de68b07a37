/**
 * Every DAG on d ≤ 5 nodes that prior knowledge allows, as compact codes (graph/dagCode.ts),
 * ordered by number of edges and then by code. The set is built breadth-first from the start
 * state (the graph of required edges) by legal single-edge additions — exactly the states a
 * sequential sampler can visit (docs/architecture.md §2), and also exactly the DAGs that contain the required
 * edges, avoid the forbidden ones and respect the parent bound, since each such DAG can be
 * built by adding its other edges in any order. 29,281 states at d = 5 without knowledge.
 */
import type { PriorKnowledge } from '../core/types.ts';
import { MAX_CODE_NODES, parentMasksFromCode } from '../graph/dagCode.ts';
import { compileConstraints, popcount, type FamilyConstraints } from './constraints.ts';
import { DagflowError } from '../core/errors.ts';

export interface DagStateSpace {
  readonly d: number;
  readonly constraints: FamilyConstraints;
  /** All allowed DAGs, by edge count then code. */
  readonly codes: Int32Array;
  /** Number of edges of codes[k]. */
  readonly edgeCounts: Int32Array;
  /** code → position in `codes`. */
  readonly indexOf: ReadonlyMap<number, number>;
}

export const MAX_ENUMERATION_NODES = MAX_CODE_NODES;

/**
 * Bitmask (in code layout, bit i·d+j) of the edges that may be added to the DAG `code`:
 * i ≠ j, edge absent, no path j ⇝ i, j below the parent bound, not forbidden.
 */
export function legalAdditions(code: number, c: FamilyConstraints, scratch: Int32Array = new Int32Array(2 * c.d)): number {
  const d = c.d;
  const parents = parentMasksFromCode(code, d, scratch.subarray(0, d));
  const ancestors = scratch.subarray(d, 2 * d);
  ancestors.set(parents);
  // d passes of "ancestors of my parents" reach the fixed point for any DAG on d nodes.
  for (let pass = 1; pass < d; pass++) {
    let changed = false;
    for (let j = 0; j < d; j++) {
      let a = ancestors[j]!;
      for (let p = 0, m = parents[j]!; m !== 0; p++, m >>>= 1) if (m & 1) a |= ancestors[p]!;
      if (a !== ancestors[j]) {
        ancestors[j] = a;
        changed = true;
      }
    }
    if (!changed) break;
  }
  let legal = 0;
  for (let j = 0; j < d; j++) {
    if (popcount(parents[j]!) >= c.maxParents) continue;
    // Candidate parents of j: not already parents, not forbidden, not descendants of j
    // (i is a descendant of j iff j is an ancestor of i).
    let candidates = ~parents[j]! & ~c.forbiddenParents[j]! & ((1 << d) - 1);
    for (let i = 0; i < d; i++) if ((candidates >>> i) & 1 && (ancestors[i]! >>> j) & 1) candidates &= ~(1 << i);
    for (let i = 0; i < d; i++) if ((candidates >>> i) & 1) legal |= 1 << (i * d + j);
  }
  return legal;
}

export function enumerateStatesByEdgeCount(d: number, knowledge?: Partial<PriorKnowledge>): DagStateSpace {
  if (d > MAX_ENUMERATION_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `enumerating all DAGs is limited to ${MAX_ENUMERATION_NODES} variables, got ${d}`,
      {},
      'use the dynamic programme (dagflow exact picks it) for more variables',
    );
  }
  const c = compileConstraints(d, knowledge);
  let start = 0;
  for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) if ((c.requiredParents[j]! >>> i) & 1) start |= 1 << (i * d + j);
  const all: number[] = [];
  const counts: number[] = [];
  const scratch = new Int32Array(2 * d);
  let layer = [start];
  let edges = popcount(start);
  while (layer.length > 0) {
    const next = new Set<number>();
    for (const code of layer) {
      all.push(code);
      counts.push(edges);
      let legal = legalAdditions(code, c, scratch);
      while (legal !== 0) {
        const bit = legal & -legal;
        next.add(code | bit);
        legal ^= bit;
      }
    }
    layer = [...next].sort((a, b) => a - b);
    edges++;
  }
  const codes = Int32Array.from(all);
  const indexOf = new Map<number, number>();
  codes.forEach((code, k) => indexOf.set(code, k));
  return { d, constraints: c, codes, edgeCounts: Int32Array.from(counts), indexOf };
}
