/**
 * Sums over the parent sets of one node that a node order or partition allows: the set must
 * lie inside an "allowed" bit row (the nodes before it) and, for partition MCMC, meet a
 * "needed" row (the previous part). Used for the order / partition scores, for drawing a
 * parent set given the state, and for the exact edge probabilities given the state
 * (Rao–Blackwellised edge marginals).
 */
import type { Chooser } from './chooser.ts';
import type { ParentTable } from './parentTables.ts';

/** Below this, a sum of precomputed weights has lost too much precision: redo it in log space. */
const UNDERFLOW = 1e-280;

function passes(
  table: ParentTable,
  k: number,
  words: number,
  allowed: Uint32Array,
  at: number,
  need: Uint32Array | null,
  needAt: number,
): boolean {
  const base = k * words;
  let meets = need === null;
  for (let w = 0; w < words; w++) {
    const s = table.sets[base + w]!;
    if ((s & ~allowed[at + w]!) !== 0) return false;
    if (!meets && (s & need![needAt + w]!) !== 0) meets = true;
  }
  return meets;
}

/** Σ of the precomputed weights of the compatible entries; −1 when there are none. */
function weightSum(table: ParentTable, words: number, allowed: Uint32Array, at: number, need: Uint32Array | null, needAt: number): number {
  const n = table.count;
  const sets = table.sets;
  const weights = table.weights;
  let sum = 0;
  let any = false;
  if (words === 1) {
    // Up to 32 variables (the common case): one word per set, no inner loop.
    const outside = ~allowed[at]!;
    if (need === null) {
      for (let k = 0; k < n; k++) {
        if ((sets[k]! & outside) !== 0) continue;
        any = true;
        sum += weights[k]!;
      }
    } else {
      const needed = need[needAt]!;
      for (let k = 0; k < n; k++) {
        const s = sets[k]!;
        if ((s & outside) !== 0 || (s & needed) === 0) continue;
        any = true;
        sum += weights[k]!;
      }
    }
  } else if (words === 2) {
    // 33–64 variables: two words per set.
    const out0 = ~allowed[at]!;
    const out1 = ~allowed[at + 1]!;
    const need0 = need === null ? -1 : need[needAt]!;
    const need1 = need === null ? -1 : need[needAt + 1]!;
    for (let k = 0; k < n; k++) {
      const s0 = sets[2 * k]!;
      const s1 = sets[2 * k + 1]!;
      if ((s0 & out0) !== 0 || (s1 & out1) !== 0) continue;
      if (need !== null && (s0 & need0) === 0 && (s1 & need1) === 0) continue;
      any = true;
      sum += weights[k]!;
    }
  } else {
    for (let k = 0; k < n; k++) {
      if (!passes(table, k, words, allowed, at, need, needAt)) continue;
      any = true;
      sum += weights[k]!;
    }
  }
  return any ? sum : -1;
}

/** log Σ exp(score) over the compatible entries (−∞ when there are none). */
export function logSumCompatible(
  table: ParentTable,
  words: number,
  allowed: Uint32Array,
  at: number,
  need: Uint32Array | null = null,
  needAt = 0,
): number {
  const n = table.count;
  const sum = weightSum(table, words, allowed, at, need, needAt);
  const any = sum >= 0;
  if (!any) return -Infinity;
  if (sum > UNDERFLOW) return table.maxLogScore + Math.log(sum);
  let max = -Infinity;
  for (let k = 0; k < n; k++)
    if (passes(table, k, words, allowed, at, need, needAt) && table.logScores[k]! > max) max = table.logScores[k]!;
  let s = 0;
  for (let k = 0; k < n; k++) if (passes(table, k, words, allowed, at, need, needAt)) s += Math.exp(table.logScores[k]! - max);
  return max + Math.log(s);
}

/** Scratch space for the collecting functions below (one per sampler; sized to the largest table). */
export class FamilyScratch {
  readonly index: Int32Array;
  readonly weight: Float64Array;
  constructor(maxEntries: number) {
    this.index = new Int32Array(Math.max(1, maxEntries));
    this.weight = new Float64Array(Math.max(1, maxEntries));
  }
}

/**
 * The compatible entries into the scratch space (table indices and weights relative to a
 * common maximum); returns their number. Draw from them or add their edge probabilities with
 * the functions below, without scanning the table again.
 */
export function collectCompatible(
  table: ParentTable,
  words: number,
  allowed: Uint32Array,
  at: number,
  need: Uint32Array | null,
  needAt: number,
  scratch: FamilyScratch,
): number {
  let n = 0;
  let sum = 0;
  const index = scratch.index;
  const weight = scratch.weight;
  if (words === 1) {
    const sets = table.sets;
    const outside = ~allowed[at]!;
    const needed = need === null ? -1 : need[needAt]!;
    for (let k = 0; k < table.count; k++) {
      const s = sets[k]!;
      if ((s & outside) !== 0 || (need !== null && (s & needed) === 0)) continue;
      index[n] = k;
      sum += weight[n++] = table.weights[k]!;
    }
  } else if (words === 2) {
    const sets = table.sets;
    const out0 = ~allowed[at]!;
    const out1 = ~allowed[at + 1]!;
    const need0 = need === null ? -1 : need[needAt]!;
    const need1 = need === null ? -1 : need[needAt + 1]!;
    for (let k = 0; k < table.count; k++) {
      const s0 = sets[2 * k]!;
      const s1 = sets[2 * k + 1]!;
      if ((s0 & out0) !== 0 || (s1 & out1) !== 0) continue;
      if (need !== null && (s0 & need0) === 0 && (s1 & need1) === 0) continue;
      index[n] = k;
      sum += weight[n++] = table.weights[k]!;
    }
  } else {
    for (let k = 0; k < table.count; k++) {
      if (!passes(table, k, words, allowed, at, need, needAt)) continue;
      index[n] = k;
      sum += weight[n++] = table.weights[k]!;
    }
  }
  if (n === 0 || sum > UNDERFLOW) return n;
  // Every compatible set is far below the node's best: weights relative to their own maximum instead.
  let max = -Infinity;
  for (let m = 0; m < n; m++) max = Math.max(max, table.logScores[scratch.index[m]!]!);
  for (let m = 0; m < n; m++) scratch.weight[m] = Math.exp(table.logScores[scratch.index[m]!]! - max);
  return n;
}

/** Draws one of the `n` collected entries ∝ its weight; returns its table index. */
export function drawCollected(chooser: Chooser, scratch: FamilyScratch, n: number): number {
  let total = 0;
  for (let m = 0; m < n; m++) total += scratch.weight[m]!;
  return scratch.index[chooser.weighted(scratch.weight, n, total)]!;
}

/**
 * Adds P(i → node | state) for every i to column `node` of `out` (out[i*d + node]) from the
 * `n` collected entries: the exact probability that i is a parent given the state.
 */
export function addCollectedProbabilities(
  out: Float64Array,
  d: number,
  maxSize: number,
  table: ParentTable,
  scratch: FamilyScratch,
  n: number,
): void {
  let total = 0;
  for (let m = 0; m < n; m++) total += scratch.weight[m]!;
  const node = table.node;
  for (let m = 0; m < n; m++) {
    const k = scratch.index[m]!;
    const p = scratch.weight[m]! / total;
    const base = k * maxSize;
    for (let s = 0; s < table.sizes[k]!; s++) out[table.members[base + s]! * d + node]! += p;
  }
}

/** Draws a compatible entry with probability ∝ exp(score); returns its index in the table, or −1 if none. */
export function drawCompatible(
  chooser: Chooser,
  table: ParentTable,
  words: number,
  allowed: Uint32Array,
  at: number,
  need: Uint32Array | null,
  needAt: number,
  scratch: FamilyScratch,
): number {
  const n = collectCompatible(table, words, allowed, at, need, needAt, scratch);
  return n === 0 ? -1 : drawCollected(chooser, scratch, n);
}

/** collectCompatible + addCollectedProbabilities. */
export function addParentProbabilities(
  out: Float64Array,
  d: number,
  maxSize: number,
  table: ParentTable,
  words: number,
  allowed: Uint32Array,
  at: number,
  need: Uint32Array | null,
  needAt: number,
  scratch: FamilyScratch,
): void {
  const n = collectCompatible(table, words, allowed, at, need, needAt, scratch);
  if (n > 0) addCollectedProbabilities(out, d, maxSize, table, scratch, n);
}
