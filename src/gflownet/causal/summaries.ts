/**
 * Summaries of a weighted set of values: weighted quantiles, and a histogram with equal-width
 * bins. Used for effect distributions (effect draws, or one value per DAG).
 */

export interface Histogram {
  /** bins + 1 ascending edges; bin b is [binEdges[b], binEdges[b + 1]) (the last one closed). */
  binEdges: number[];
  /** Weight (probability) in each bin; sums to 1. */
  probability: number[];
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of values with non-negative weights: the smallest value whose
 * cumulative weight reaches q·total (the inverse of the weighted empirical CDF).
 */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, q: number): number {
  const order = Array.from({ length: values.length }, (_, k) => k).filter((k) => weights[k]! > 0);
  if (order.length === 0) return NaN;
  order.sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (const k of order) total += weights[k]!;
  const target = q * total;
  let cumulative = 0;
  for (const k of order) {
    cumulative += weights[k]!;
    // Relative slack: a sum of weights that should equal the target may miss it by rounding.
    if (cumulative >= target * (1 - 1e-12)) return values[k]!;
  }
  return values[order[order.length - 1]!]!;
}

export function histogram(values: ArrayLike<number>, weights: ArrayLike<number>, bins: number, range?: [number, number]): Histogram {
  let lo = range?.[0] ?? Infinity;
  let hi = range?.[1] ?? -Infinity;
  if (!range) {
    for (let k = 0; k < values.length; k++) {
      if (!(weights[k]! > 0)) continue;
      lo = Math.min(lo, values[k]!);
      hi = Math.max(hi, values[k]!);
    }
  }
  if (!Number.isFinite(lo)) return { binEdges: [], probability: [] };
  if (hi === lo) {
    // One value: a single bin around it, so a chart still has a bar to draw.
    const half = Math.max(1e-12, Math.abs(lo) * 1e-6);
    lo -= half;
    hi += half;
    bins = 1;
  }
  const width = (hi - lo) / bins;
  const probability = new Array<number>(bins).fill(0);
  let total = 0;
  for (let k = 0; k < values.length; k++) {
    const w = weights[k]!;
    if (!(w > 0)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((values[k]! - lo) / width)));
    probability[b]! += w;
    total += w;
  }
  return { binEdges: Array.from({ length: bins + 1 }, (_, b) => lo + b * width), probability: probability.map((p) => p / total) };
}
