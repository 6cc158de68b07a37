/**
 * A compact integer code for a small DAG: bit i·d + j is set iff edge i → j (row = parent),
 * i.e. code = Σ A[i][j]·2^(i·d+j), the ordering the reference files use for "adjacency code".
 * With d ≤ 5 the code has at most 25 bits and fits an Int32Array, so every DAG of the exact
 * methods is one number.
 */
import { DagflowError } from '../core/errors.ts';

export const MAX_CODE_NODES = 5;

function checkD(d: number): void {
  if (!Number.isInteger(d) || d < 1 || d > MAX_CODE_NODES) {
    throw new DagflowError('TOO_LARGE', `DAG codes exist for 1 to ${MAX_CODE_NODES} variables, got ${d}`);
  }
}

/** adjacency: d·d entries, row-major, non-zero = edge. */
export function codeFromAdjacency(adjacency: ArrayLike<number>, d: number): number {
  checkD(d);
  let code = 0;
  for (let k = 0; k < d * d; k++) if (adjacency[k]) code |= 1 << k;
  return code;
}

export function adjacencyFromCode(code: number, d: number, out: Uint8Array = new Uint8Array(d * d)): Uint8Array {
  checkD(d);
  for (let k = 0; k < d * d; k++) out[k] = (code >>> k) & 1;
  return out;
}

export function codeFromEdges(edges: ReadonlyArray<readonly [number, number]>, d: number): number {
  checkD(d);
  let code = 0;
  for (const [i, j] of edges) code |= 1 << (i * d + j);
  return code;
}

export function edgesFromCode(code: number, d: number): Array<[number, number]> {
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if ((code >>> (i * d + j)) & 1) edges.push([i, j]);
  return edges;
}

/** Per child j, the bitmask of its parents. */
export function parentMasksFromCode(code: number, d: number, out: Int32Array = new Int32Array(d)): Int32Array {
  out.fill(0);
  for (let i = 0; i < d; i++) {
    const row = (code >>> (i * d)) & ((1 << d) - 1);
    if (row === 0) continue;
    for (let j = 0; j < d; j++) if ((row >>> j) & 1) out[j]! |= 1 << i;
  }
  return out;
}
