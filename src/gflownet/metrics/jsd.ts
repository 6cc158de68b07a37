/**
 * Jensen–Shannon divergence between two distributions over DAGs given as (code, log
 * probability) lists: JSD = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2, natural logs, so
 * 0 ≤ JSD ≤ log 2. Computed in log space so that probabilities far below 1e-300 (a trained
 * sampler can assign e^-800) neither underflow into NaN nor matter.
 */
import { DagflowError } from '../core/errors.ts';
import { logAddExp, logSumExp } from '../core/logmath.ts';

export interface LogDistribution {
  readonly codes: ArrayLike<number>;
  readonly logProb: ArrayLike<number>;
}

/**
 * Both inputs are renormalised first (a float32 policy's push-forward sums to 1 only to
 * about 1e-6); a distribution with no mass at all is an error.
 */
export function jensenShannon(p: LogDistribution, q: LogDistribution): number {
  const lp = toMap(p, 'first');
  const lq = toMap(q, 'second');
  const LOG2 = Math.log(2);
  let sum = 0;
  const term = (a: number, b: number): number => {
    if (a === -Infinity) return 0;
    const logM = logAddExp(a, b) - LOG2;
    return Math.exp(a) * (a - logM);
  };
  for (const [code, a] of lp) sum += term(a, lq.get(code) ?? -Infinity);
  for (const [code, b] of lq) sum += term(b, lp.get(code) ?? -Infinity);
  // Rounding can leave a tiny negative value for identical inputs.
  return Math.min(Math.max(0.5 * sum, 0), LOG2);
}

function toMap(dist: LogDistribution, which: string): Map<number, number> {
  if (dist.codes.length !== dist.logProb.length)
    throw new DagflowError('INTERNAL', `the ${which} distribution has ${dist.codes.length} codes but ${dist.logProb.length} probabilities`);
  const total = logSumExp(dist.logProb);
  if (!Number.isFinite(total)) throw new DagflowError('BAD_OPTION', `the ${which} distribution has no finite probability mass`);
  const map = new Map<number, number>();
  for (let k = 0; k < dist.codes.length; k++) {
    const code = dist.codes[k]!;
    const lp = dist.logProb[k]! - total;
    map.set(code, map.has(code) ? logAddExp(map.get(code)!, lp) : lp);
  }
  return map;
}
