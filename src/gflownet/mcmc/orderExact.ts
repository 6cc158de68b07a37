/**
 * The exact answer order MCMC converges to, for small d (every order enumerated): the
 * order-modular posterior P(≺) ∝ S(≺), P(G | ≺) ∝ Π_j R_j(Pa_j) over DAGs consistent with ≺.
 * Its edge marginals differ from the DAG posterior's because a DAG is counted once per
 * order it is consistent with; this function lets tests, the benchmark and the docs show
 * that difference exactly rather than as sampling noise.
 */
import { DagflowError } from '../core/errors.ts';
import { addParentProbabilities, FamilyScratch, logSumCompatible } from './familySums.ts';
import type { ParentTables } from './parentTables.ts';

export const MAX_ORDER_ENUMERATION_NODES = 9;

export interface OrderModularPosterior {
  /** log Σ_≺ S(≺). */
  logZ: number;
  /** P(i → j) under the order-modular posterior, d·d. */
  edgeMarginals: Float64Array;
  orders: number;
}

export function orderModularPosterior(tables: ParentTables): OrderModularPosterior {
  const { d, words } = tables;
  if (d > MAX_ORDER_ENUMERATION_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `enumerating all ${d}! orders is too slow`,
      {},
      `use at most ${MAX_ORDER_ENUMERATION_NODES} variables`,
    );
  }
  const order = Array.from({ length: d }, (_, k) => k);
  const preds = new Uint32Array(d * words);
  let largest = 1;
  for (const t of tables.tables) largest = Math.max(largest, t.count);
  const scratch = new FamilyScratch(largest);
  // Running weighted sums with a running maximum, so no per-order storage is needed.
  let maxScore = -Infinity;
  let total = 0;
  let orders = 0;
  const acc = new Float64Array(d * d);
  const probs = new Float64Array(d * d);
  const prefix = new Uint32Array(words);
  const visit = (k: number): void => {
    if (k === d) {
      prefix.fill(0);
      probs.fill(0);
      let score = 0;
      for (const u of order) {
        preds.set(prefix, u * words);
        score += logSumCompatible(tables.tables[u]!, words, preds, u * words);
        addParentProbabilities(probs, d, tables.maxSize, tables.tables[u]!, words, preds, u * words, null, 0, scratch);
        prefix[u >>> 5]! |= 1 << (u & 31);
      }
      orders++;
      if (score === -Infinity) return;
      if (score > maxScore) {
        const shrink = Math.exp(maxScore - score);
        total *= shrink;
        for (let e = 0; e < d * d; e++) acc[e]! *= shrink;
        maxScore = score;
      }
      const w = Math.exp(score - maxScore);
      total += w;
      for (let e = 0; e < d * d; e++) acc[e]! += w * probs[e]!;
      return;
    }
    // Every permutation, by swapping each remaining node into place k.
    for (let i = k; i < d; i++) {
      [order[k], order[i]] = [order[i]!, order[k]!];
      visit(k + 1);
      [order[k], order[i]] = [order[i]!, order[k]!];
    }
  };
  visit(0);
  const edgeMarginals = new Float64Array(d * d);
  for (let e = 0; e < d * d; e++) edgeMarginals[e] = acc[e]! / total;
  return { logZ: maxScore + Math.log(total), edgeMarginals, orders };
}
