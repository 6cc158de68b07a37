/**
 * Quantile binning of a continuous column, for data that mixes continuous and discrete
 * columns and must be scored with BDeu. Only done when the user asks for it.
 */
export interface Binned {
  /** Per value, the label of its bin. */
  labels: string[];
  /** Bin labels in increasing order (only bins that received values). */
  levels: string[];
  /** Upper edges of every bin but the last (data values, so the labels read like the data). */
  cuts: number[];
}

/**
 * Splits `values` (finite numbers) into at most `bins` bins of about equal counts: the cut
 * after bin k is the (k/bins) empirical quantile, an observed value, and a value equal to a
 * cut goes into the lower bin. Ties can merge bins, so fewer may come out.
 */
export function quantileBins(values: ArrayLike<number>, bins: number): Binned {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const cut = sorted[Math.max(0, Math.ceil((k * n) / bins) - 1)]!;
    if (n > 0 && cut < sorted[n - 1]! && (cuts.length === 0 || cut > cuts[cuts.length - 1]!)) cuts.push(cut);
  }
  const names = binNames(cuts);
  const used = new Uint8Array(names.length);
  const labels: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const b = binOf(values[i]!, cuts);
    used[b] = 1;
    labels[i] = names[b]!;
  }
  return { labels, levels: names.filter((_, b) => used[b]), cuts };
}

function binOf(value: number, cuts: readonly number[]): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function binNames(cuts: readonly number[]): string[] {
  if (cuts.length === 0) return ['all'];
  const names = [`<=${cuts[0]}`];
  for (let k = 1; k < cuts.length; k++) names.push(`(${cuts[k - 1]},${cuts[k]}]`);
  names.push(`>${cuts[cuts.length - 1]}`);
  return names;
}
