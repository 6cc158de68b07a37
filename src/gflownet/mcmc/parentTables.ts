/**
 * Parent-set tables for order and partition MCMC and for the new-edge-reversal move: for each
 * node every parent set that prior knowledge allows (all required parents, no forbidden or
 * tier-violating one) with at most K parents, and its family log reward s_j(P) + f(|P|).
 *
 * Alongside the log scores each entry keeps a weight exp(score − max score of the node), so
 * that a sum over the sets compatible with an order is an addition of precomputed numbers
 * rather than a log-sum-exp; sums too small for that are redone in log space.
 */
import { fieldRef, type FieldKey } from '../../shared/fields.ts';
import { DagflowError } from '../core/errors.ts';
import { jobCancelled, type JobContext } from '../core/job.ts';
import { setBit } from './bitset.ts';
import type { ParentMasks } from './rules.ts';
import type { FamilyScorer } from './types.ts';

export interface ParentTable {
  readonly node: number;
  readonly count: number;
  /** Entry k's parent set as a bit row at offset k*words. */
  readonly sets: Uint32Array;
  /** Entry k's parents at k*maxSize .. k*maxSize + sizes[k] − 1 (ascending). */
  readonly members: Int32Array;
  readonly sizes: Uint8Array;
  readonly logScores: Float64Array;
  /** exp(logScores[k] − maxLogScore). */
  readonly weights: Float64Array;
  readonly maxLogScore: number;
}

export interface ParentTables {
  readonly d: number;
  readonly words: number;
  /** The parent bound the tables were built with. */
  readonly maxParents: number;
  /** Stride of `members` rows (= maxParents, at least 1). */
  readonly maxSize: number;
  readonly tables: readonly ParentTable[];
  readonly totalEntries: number;
}

/** Default budget: about 300 k sets in all (a few MB; d = 20 with K = 4, d = 37 with K = 3). */
export const DEFAULT_MAX_TABLE_ENTRIES = 300_000;

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function freeCandidates(masks: ParentMasks, j: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < masks.d; i++) {
    const w = j * masks.words + (i >>> 5);
    const bit = 1 << (i & 31);
    if ((masks.allowed[w]! & bit) !== 0 && (masks.required[w]! & bit) === 0) out.push(i);
  }
  return out;
}

/** Number of table entries for parent bound K, without building anything. */
export function countTableEntries(masks: ParentMasks, K: number): number {
  let total = 0;
  for (let j = 0; j < masks.d; j++) {
    const free = freeCandidates(masks, j).length;
    const room = Math.min(K, masks.maxParents) - masks.requiredCount[j]!;
    for (let s = 0; s <= room; s++) total += binomial(free, s);
  }
  return total;
}

/**
 * The largest parent bound ≤ the knowledge bound whose tables fit the budget (at least the
 * number of required parents of any node, so that every node has a table entry).
 */
export function chooseTableMaxParents(masks: ParentMasks, budget = DEFAULT_MAX_TABLE_ENTRIES): number {
  let minimum = 0;
  for (let j = 0; j < masks.d; j++) minimum = Math.max(minimum, masks.requiredCount[j]!);
  let K = minimum;
  while (K < masks.maxParents && countTableEntries(masks, K + 1) <= budget) K++;
  return K;
}

export interface TableOptions {
  /** Parent bound; default chooseTableMaxParents(masks, maxEntries). */
  maxParents?: number;
  maxEntries?: number;
  /** The setting that set maxParents, for messages (default knowledge.maxParents). */
  field?: FieldKey;
}

export function buildParentTables(
  scorer: FamilyScorer,
  masks: ParentMasks,
  options: TableOptions = {},
  ctx?: JobContext<unknown>,
): ParentTables {
  const { d, words } = masks;
  const budget = options.maxEntries ?? DEFAULT_MAX_TABLE_ENTRIES;
  const K = Math.min(options.maxParents ?? chooseTableMaxParents(masks, budget), masks.maxParents);
  const total = countTableEntries(masks, K);
  if (total > budget && options.maxParents !== undefined) {
    throw new DagflowError(
      'TOO_LARGE',
      `parent-set tables with at most ${K} parents per node would hold ${total.toLocaleString('en-US')} sets (budget ${budget.toLocaleString('en-US')})`,
      { field: options.field ?? 'knowledge.maxParents' },
      `lower ${fieldRef(options.field ?? 'knowledge.maxParents')}, or use {{sampler.method=mc3}}, which needs no tables`,
    );
  }
  const maxSize = Math.max(1, K);
  const tables: ParentTable[] = [];
  let done = 0;
  const parents: number[] = [];
  for (let j = 0; j < d; j++) {
    const required: number[] = [];
    for (let i = 0; i < d; i++) if ((masks.required[j * words + (i >>> 5)]! >>> (i & 31)) & 1) required.push(i);
    const free = freeCandidates(masks, j);
    const room = K - required.length;
    if (room < 0)
      throw new DagflowError('BAD_OPTION', `variable ${j} has ${required.length} required parents, more than the bound of ${K}`, {
        field: 'knowledge.maxParents',
      });
    let count = 0;
    for (let s = 0; s <= room; s++) count += binomial(free.length, s);
    const sets = new Uint32Array(count * words);
    const members = new Int32Array(count * maxSize);
    const sizes = new Uint8Array(count);
    const logScores = new Float64Array(count);
    let k = 0;
    const chosen: number[] = [];
    const emit = (): void => {
      parents.length = 0;
      let a = 0;
      let b = 0;
      // Merge the two ascending lists (required, chosen free) into the ascending parent list.
      while (a < required.length || b < chosen.length) {
        if (b >= chosen.length || (a < required.length && required[a]! < free[chosen[b]!]!)) parents.push(required[a++]!);
        else parents.push(free[chosen[b++]!]!);
      }
      for (let m = 0; m < parents.length; m++) {
        setBit(sets, k * words, parents[m]!);
        members[k * maxSize + m] = parents[m]!;
      }
      sizes[k] = parents.length;
      logScores[k] = scorer.familyLogReward(j, parents);
      k++;
      if (++done % 2048 === 0 && ctx?.signal.aborted) throw jobCancelled();
    };
    // Sets by size, then lexicographically: chosen holds indices into `free`.
    for (let size = 0; size <= room; size++) {
      const visit = (start: number): void => {
        if (chosen.length === size) {
          emit();
          return;
        }
        for (let c = start; c <= free.length - (size - chosen.length); c++) {
          chosen.push(c);
          visit(c + 1);
          chosen.pop();
        }
      };
      visit(0);
    }
    let maxLogScore = -Infinity;
    for (let e = 0; e < count; e++) if (logScores[e]! > maxLogScore) maxLogScore = logScores[e]!;
    const weights = new Float64Array(count);
    for (let e = 0; e < count; e++) weights[e] = Math.exp(logScores[e]! - maxLogScore);
    tables.push({ node: j, count, sets, members, sizes, logScores, weights, maxLogScore });
  }
  return { d, words, maxParents: K, maxSize, tables, totalEntries: done };
}

/** Whether entry k of the table lies inside the bit row `allowed` (at offset `at`). */
export function entryWithin(table: ParentTable, k: number, words: number, allowed: Uint32Array, at: number): boolean {
  const base = k * words;
  for (let w = 0; w < words; w++) if ((table.sets[base + w]! & ~allowed[at + w]!) !== 0) return false;
  return true;
}
