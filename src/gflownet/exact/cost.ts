/**
 * What the exact posterior would cost before it is started, so it can be computed on its own
 * when it is cheap (a trust check) and offered, with its price, when it is not. A model of
 * CPU seconds fitted to docs/exact.md's measurements on this kind of machine: the subset DP's
 * 3^d multiply-adds (≈ 5·10⁻⁸ s each: 6.0 s at d = 17, 19.4 s at d = 18, 55.6 s at d = 19) plus
 * one local score per parent set (≈ 3 µs for BGe: the unbounded runs cost 2–3 µs more per set
 * than the bounded ones). An estimate to decide with, not a promise: a loaded machine takes
 * two to four times as long in wall time.
 */
import { MAX_DP_NODES } from './dp.ts';
import { MAX_ENUMERATION_NODES } from './enumerate.ts';

const SECONDS_PER_DP_STEP = 5e-8;
const SECONDS_PER_SCORE = 3e-6;
/** BDeu counts every row per parent set: its scores grow with the data. */
const SECONDS_PER_SCORE_ROW = 2e-8;

/** Parent sets of at most `maxParents` of the other d − 1 variables, for all d nodes. */
export function parentSetCount(d: number, maxParents: number): number {
  const k = Math.max(0, Math.min(maxParents, d - 1));
  let sets = 0;
  let binomial = 1;
  for (let j = 0; j <= k; j++) {
    sets += binomial;
    binomial = (binomial * (d - 1 - j)) / (j + 1);
  }
  return d * sets;
}

export interface ExactCost {
  /** Whether the exact posterior can be computed at all for d variables. */
  feasible: boolean;
  /** Estimated CPU seconds (Infinity when not feasible). */
  seconds: number;
}

export function exactCost(d: number, options: { maxParents?: number; score?: 'bge' | 'bdeu'; rows?: number } = {}): ExactCost {
  if (d > MAX_DP_NODES) return { feasible: false, seconds: Infinity };
  const perScore = SECONDS_PER_SCORE + (options.score === 'bdeu' ? SECONDS_PER_SCORE_ROW * (options.rows ?? 1000) : 0);
  const scores = parentSetCount(d, options.maxParents ?? d - 1) * perScore;
  // Enumeration (d ≤ 5) is a fraction of a second; the DP's passes are 3^d steps.
  const passes = d <= MAX_ENUMERATION_NODES ? 0.1 : SECONDS_PER_DP_STEP * 3 ** d;
  return { feasible: true, seconds: scores + passes };
}
