/**
 * Edge-marginal summaries and comparisons. Marginals are row-major d·d arrays,
 * m[i·d + j] = P(i → j). Comparisons use the d(d−1) off-diagonal entries by default (the
 * diagonal is 0 for every DAG and would only dilute an RMSE).
 */
import { DagflowError } from '../core/errors.ts';

export interface MarginalComparisonOptions {
  includeDiagonal?: boolean;
}

function check(a: ArrayLike<number>, b: ArrayLike<number>, d: number): void {
  if (a.length !== d * d || b.length !== d * d) {
    throw new DagflowError('BAD_OPTION', `edge-marginal matrices must be ${d}×${d}, got ${a.length} and ${b.length} entries`);
  }
}

export function rmse(a: ArrayLike<number>, b: ArrayLike<number>, d: number, options: MarginalComparisonOptions = {}): number {
  check(a, b, d);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j && !options.includeDiagonal) continue;
      const diff = a[i * d + j]! - b[i * d + j]!;
      sum += diff * diff;
      n++;
    }
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>, d: number, options: MarginalComparisonOptions = {}): number {
  check(a, b, d);
  let max = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j && !options.includeDiagonal) continue;
      max = Math.max(max, Math.abs(a[i * d + j]! - b[i * d + j]!));
    }
  }
  return max;
}

/** Expected number of edges = Σ P(i → j). */
export function expectedEdgesFromMarginals(marginals: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < marginals.length; k++) s += marginals[k]!;
  return s;
}

/** Fraction of adjacency matrices (d·d, non-zero = edge) that contain each edge. */
export function edgeFrequencies(adjacencies: ReadonlyArray<ArrayLike<number>>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  if (adjacencies.length === 0) return out;
  for (const a of adjacencies) for (let k = 0; k < d * d; k++) if (a[k]) out[k]! += 1;
  for (let k = 0; k < d * d; k++) out[k]! /= adjacencies.length;
  return out;
}

/** Mean number of edges over adjacency matrices. */
export function meanEdgeCount(adjacencies: ReadonlyArray<ArrayLike<number>>): number {
  if (adjacencies.length === 0) return 0;
  let s = 0;
  for (const a of adjacencies) for (let k = 0; k < a.length; k++) if (a[k]) s++;
  return s / adjacencies.length;
}
