/**
 * log B_j(Q) = s_j(Q) + f(|Q|) for every node j and every allowed parent set Q, as dense
 * tables the exact methods index by bitmask. A node's table is indexed by the "compressed"
 * mask over the other d − 1 nodes (bit j removed), so it has 2^(d−1) entries; sets that prior
 * knowledge or the parent bound forbid hold −Infinity and are never scored.
 */
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import { type FamilyConstraints, familyAllowed, maskToList, popcount } from './constraints.ts';

/** What the exact methods need from a reward: the per-family term of log R(G). */
export interface FamilyLogReward {
  readonly d: number;
  /** s_j(P) + f(|P|), parents ascending (scores/reward.ts `createRewardModel` provides it). */
  familyLogReward(node: number, parents: readonly number[]): number;
}

/** Remove bit j from a full mask (bits above j shift down by one). */
export function compressMask(mask: number, j: number): number {
  return (mask & ((1 << j) - 1)) | ((mask >>> (j + 1)) << j);
}

/** Inverse of compressMask. */
export function expandMask(compressed: number, j: number): number {
  return (compressed & ((1 << j) - 1)) | ((compressed >>> j) << (j + 1));
}

/** Number of parent sets that will be scored: Σ_j #{Q allowed for j}. */
export function countAllowedFamilies(c: FamilyConstraints): number {
  let total = 0;
  for (let j = 0; j < c.d; j++) {
    const free = c.d - 1 - popcount(c.forbiddenParents[j]! & ~(1 << j)) - popcount(c.requiredParents[j]!);
    const room = c.maxParents - popcount(c.requiredParents[j]!);
    let binom = 1;
    for (let k = 0; k <= Math.min(room, free); k++) {
      total += binom;
      binom = (binom * (free - k)) / (k + 1);
    }
  }
  return total;
}

export interface FamilyTableProgress {
  phase: 'local scores';
  done: number;
  total: number;
}

/**
 * Per node, Float64Array(2^(d−1)) of log B_j over compressed parent masks. Enumerates only
 * allowed sets (by growing sets up to the parent bound), so the cost is the number of
 * allowed families, not 2^(d−1) score calls.
 */
export async function familyLogRewardTables(
  reward: FamilyLogReward,
  c: FamilyConstraints,
  ctx: JobContext<FamilyTableProgress> = quietJobContext(),
): Promise<Float64Array[]> {
  const d = c.d;
  const total = countAllowedFamilies(c);
  const tables: Float64Array[] = [];
  let done = 0;
  let lastYield = Date.now();
  for (let j = 0; j < d; j++) {
    const table = new Float64Array(1 << (d - 1)).fill(-Infinity);
    const others: number[] = [];
    for (let i = 0; i < d; i++)
      if (i !== j && !((c.forbiddenParents[j]! >>> i) & 1) && !((c.requiredParents[j]! >>> i) & 1)) others.push(i);
    const required = c.requiredParents[j]!;
    const room = c.maxParents - popcount(required);
    // Depth-first over subsets of `others` of size ≤ room, in increasing index order.
    const stack: Array<{ mask: number; next: number; size: number }> = [{ mask: required, next: 0, size: 0 }];
    while (stack.length > 0) {
      const { mask, next, size } = stack.pop()!;
      if (familyAllowed(c, j, mask)) {
        table[compressMask(mask, j)] = reward.familyLogReward(j, maskToList(mask));
        done++;
      }
      if (size < room)
        for (let m = others.length - 1; m >= next; m--) stack.push({ mask: mask | (1 << others[m]!), next: m + 1, size: size + 1 });
      if ((done & 1023) === 0 && Date.now() - lastYield > 250) {
        await yieldToEventLoop();
        if (ctx.signal.aborted) throw jobCancelled();
        ctx.progress({ phase: 'local scores', done, total });
        lastYield = Date.now();
      }
    }
    tables.push(table);
  }
  return tables;
}

/** Lets a worker thread see an abort message while a long loop runs. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
