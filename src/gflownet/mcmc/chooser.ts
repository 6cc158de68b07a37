/**
 * The discrete random choices a proposal makes, behind one small interface. In a run the
 * choices come from the seeded Rng; in the detailed-balance tests an enumerating chooser
 * walks every possible sequence of choices with its probability, so the tests check the
 * very proposal code the chains run, not a re-implementation of it.
 */
import type { Rng } from '../core/rng.ts';

export interface Chooser {
  /** Uniform integer in [0, n), n ≥ 1. */
  int(n: number): number;
  /** Index k in [0, count) with probability weights[k] / total (weights ≥ 0, total their sum > 0). */
  weighted(weights: Float64Array, count: number, total: number): number;
}

export function rngChooser(rng: Rng): Chooser {
  return {
    int: (n) => rng.int(n),
    weighted(weights, count, total) {
      let u = rng.next() * total;
      let last = -1;
      for (let k = 0; k < count; k++) {
        const w = weights[k]!;
        if (w <= 0) continue;
        last = k;
        if (u < w) return k;
        u -= w;
      }
      // Rounding left a sliver of u: the last index with positive weight takes it.
      return last;
    },
  };
}

interface Branch {
  choice: number;
  kind: 'int' | 'weighted';
  n: number;
  weights?: Float64Array;
  total?: number;
  probability: number;
}

export interface EnumeratedOutcome<T> {
  value: T;
  probability: number;
}

/**
 * Every outcome of `run` over all sequences of choices, with the probability of the sequence.
 * Outcomes reached by different sequences are listed separately (callers sum them).
 */
export function enumerateChoices<T>(run: (chooser: Chooser) => T): EnumeratedOutcome<T>[] {
  const path: Branch[] = [];
  const outcomes: EnumeratedOutcome<T>[] = [];
  for (;;) {
    let depth = 0;
    const chooser: Chooser = {
      int(n) {
        if (depth < path.length) return path[depth++]!.choice;
        path.push({ choice: 0, kind: 'int', n, probability: 1 / n });
        depth++;
        return 0;
      },
      weighted(weights, count, total) {
        if (depth < path.length) return path[depth++]!.choice;
        const copy = Float64Array.from(weights.subarray(0, count));
        let first = 0;
        while (first < count && copy[first]! <= 0) first++;
        path.push({ choice: first, kind: 'weighted', n: count, weights: copy, total, probability: copy[first]! / total });
        depth++;
        return first;
      },
    };
    const value = run(chooser);
    if (depth !== path.length)
      throw new Error('enumerateChoices: the run made fewer choices than recorded; it must be deterministic given its choices');
    let probability = 1;
    for (const b of path) probability *= b.probability;
    outcomes.push({ value, probability });
    // Advance the odometer: the deepest branch with another option moves on, deeper ones are dropped.
    while (path.length > 0) {
      const b = path[path.length - 1]!;
      if (b.kind === 'int') {
        if (b.choice + 1 < b.n) {
          b.choice++;
          break;
        }
      } else {
        let next = b.choice + 1;
        while (next < b.n && b.weights![next]! <= 0) next++;
        if (next < b.n) {
          b.choice = next;
          b.probability = b.weights![next]! / b.total!;
          break;
        }
      }
      path.pop();
    }
    if (path.length === 0) return outcomes;
  }
}

/** A uniform non-empty proper subset of n ≥ 2 items, as membership flags. */
export function chooseProperSubset(chooser: Chooser, n: number): Uint8Array {
  const flags = new Uint8Array(n);
  if (n <= 30) {
    const code = 1 + chooser.int(2 ** n - 2);
    for (let b = 0; b < n; b++) flags[b] = (code >>> b) & 1;
    return flags;
  }
  // Too many subsets for one integer draw: fair coin per item, redrawn in the (rare) all-or-nothing case.
  for (;;) {
    let count = 0;
    for (let b = 0; b < n; b++) count += flags[b] = chooser.int(2);
    if (count > 0 && count < n) return flags;
  }
}
