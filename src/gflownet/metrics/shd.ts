/**
 * Structural Hamming distance between graphs given as d·d adjacency matrices (non-zero =
 * edge i → j). It is counted per unordered pair {i, j}: the pair adds 1 when its marks differ
 * (missing, extra, or reversed), so a reversed edge counts once, as in docs/architecture.md §4. The same
 * rule compares CPDAGs (an undirected edge is a pair marked both ways) and thresholded
 * consensus graphs.
 */
import { DagflowError } from '../core/errors.ts';

export function shd(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  if (a.length !== d * d || b.length !== d * d)
    throw new DagflowError('BAD_OPTION', `graphs must be ${d}×${d}, got ${a.length} and ${b.length} entries`);
  let distance = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const aij = a[i * d + j] ? 1 : 0;
      const aji = a[j * d + i] ? 1 : 0;
      const bij = b[i * d + j] ? 1 : 0;
      const bji = b[j * d + i] ? 1 : 0;
      if (aij !== bij || aji !== bji) distance++;
    }
  }
  return distance;
}

/** E-SHD: mean SHD of the samples to a reference graph (or the probability-weighted mean). */
export function expectedShd(
  samples: ReadonlyArray<ArrayLike<number>>,
  reference: ArrayLike<number>,
  d: number,
  weights?: ArrayLike<number>,
): number {
  if (samples.length === 0) throw new DagflowError('BAD_OPTION', 'expected SHD needs at least one sample');
  let sum = 0;
  let total = 0;
  for (let k = 0; k < samples.length; k++) {
    const w = weights ? weights[k]! : 1;
    if (w === 0) continue;
    sum += w * shd(samples[k]!, reference, d);
    total += w;
  }
  return sum / total;
}
