/**
 * Sufficient statistics of continuous data for BGe: row count, column means and the centred
 * scatter matrix S = Σ (x − x̄)(x − x̄)ᵀ, computed once per data set. With interventional
 * data each node uses the rows where it was not intervened on; those row sets differ only by
 * one intervention group, so the moments are computed once per group (two-pass, centred) and
 * merged with the pairwise formula (Chan et al.), which stays accurate on raw data with large
 * means where Σxxᵀ − N x̄x̄ᵀ would not.
 */

export interface Moments {
  count: number;
  /** Column means, length d. */
  mean: Float64Array;
  /** Centred scatter matrix, d×d row-major. */
  scatter: Float64Array;
}

/** Moments of the rows r with keep(r) true (all rows when keep is undefined). */
export function momentsOfRows(columns: readonly Float64Array[], rows: number, keep?: (row: number) => boolean): Moments {
  const d = columns.length;
  const mean = new Float64Array(d);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    if (keep && !keep(r)) continue;
    count++;
    for (let a = 0; a < d; a++) mean[a]! += columns[a]![r]!;
  }
  if (count > 0) for (let a = 0; a < d; a++) mean[a]! /= count;
  const scatter = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    if (keep && !keep(r)) continue;
    for (let a = 0; a < d; a++) centred[a] = columns[a]![r]! - mean[a]!;
    for (let a = 0; a < d; a++) {
      const ca = centred[a]!;
      const row = a * d;
      for (let b = a; b < d; b++) scatter[row + b]! += ca * centred[b]!;
    }
  }
  symmetrizeUpper(scatter, d);
  return { count, mean, scatter };
}

/** Moments of the union of disjoint row sets, from the moments of each. */
export function mergeMoments(parts: readonly Moments[], d: number): Moments {
  let count = 0;
  const mean = new Float64Array(d);
  for (const p of parts) {
    count += p.count;
    for (let a = 0; a < d; a++) mean[a]! += p.count * p.mean[a]!;
  }
  if (count > 0) for (let a = 0; a < d; a++) mean[a]! /= count;
  const scatter = new Float64Array(d * d);
  const shift = new Float64Array(d);
  for (const p of parts) {
    if (p.count === 0) continue;
    for (let a = 0; a < d; a++) shift[a] = p.mean[a]! - mean[a]!;
    for (let a = 0; a < d; a++) {
      const row = a * d;
      const sa = p.count * shift[a]!;
      for (let b = a; b < d; b++) scatter[row + b]! += p.scatter[row + b]! + sa * shift[b]!;
    }
  }
  symmetrizeUpper(scatter, d);
  return { count, mean, scatter };
}

/**
 * Moments per intervention group: index g = 0 for observational rows, g = k for rows where
 * column k (1-based) was intervened on.
 */
export function momentsByGroup(columns: readonly Float64Array[], rows: number, targets: Int32Array): Moments[] {
  const d = columns.length;
  const present = new Set<number>();
  for (let r = 0; r < rows; r++) present.add(targets[r]!);
  const groups: Moments[] = [];
  for (let g = 0; g <= d; g++) {
    groups.push(
      present.has(g)
        ? momentsOfRows(columns, rows, (r) => targets[r] === g)
        : { count: 0, mean: new Float64Array(d), scatter: new Float64Array(d * d) },
    );
  }
  return groups;
}

function symmetrizeUpper(m: Float64Array, d: number): void {
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) m[b * d + a] = m[a * d + b]!;
}
