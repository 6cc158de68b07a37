/**
 * A probability distribution over small DAGs (d ≤ 5): each DAG once, as its code
 * (graph/dagCode.ts) with a natural-log probability. The exact posterior, the exact
 * push-forward of a sampler and an empirical sample distribution all take this form, so
 * they can be compared with the same functions.
 */
import { DagflowError } from '../core/errors.ts';
import { logSumExp } from '../core/logmath.ts';
import { jensenShannon } from '../metrics/jsd.ts';
import { maxAbsDifference, rmse } from '../metrics/marginals.ts';

export interface DagDistribution {
  readonly d: number;
  /** DAG codes, each at most once (any order). */
  readonly codes: Int32Array;
  /** log P(codes[k]); −Infinity allowed. */
  readonly logProb: Float64Array;
}

/** P(i → j) under the distribution, row-major d·d. */
export function edgeMarginalsOfDistribution(dist: DagDistribution): Float64Array {
  const { d } = dist;
  const out = new Float64Array(d * d);
  for (let k = 0; k < dist.codes.length; k++) {
    const p = Math.exp(dist.logProb[k]!);
    if (p === 0) continue;
    let code = dist.codes[k]!;
    while (code !== 0) {
      const bit = 31 - Math.clz32(code & -code);
      out[bit]! += p;
      code &= code - 1;
    }
  }
  return out;
}

/** Total probability mass (1 for a proper distribution); a check for callers. */
export function totalLogMass(dist: DagDistribution): number {
  return logSumExp(dist.logProb);
}

/** Empirical distribution of sampled codes. */
export function empiricalDistribution(d: number, sampleCodes: ArrayLike<number>): DagDistribution {
  if (sampleCodes.length === 0) throw new DagflowError('BAD_OPTION', 'no samples to form a distribution from');
  const counts = new Map<number, number>();
  for (let k = 0; k < sampleCodes.length; k++) counts.set(sampleCodes[k]!, (counts.get(sampleCodes[k]!) ?? 0) + 1);
  const codes = new Int32Array(counts.size);
  const logProb = new Float64Array(counts.size);
  let k = 0;
  const logN = Math.log(sampleCodes.length);
  for (const [code, count] of [...counts].sort((a, b) => a[0] - b[0])) {
    codes[k] = code;
    logProb[k++] = Math.log(count) - logN;
  }
  return { d, codes, logProb };
}

export interface DistributionComparison {
  /** Jensen–Shannon divergence in nats (0 … log 2). */
  jsd: number;
  edgeMarginalRmse: number;
  edgeMarginalMaxError: number;
}

/** JSD between two distributions over the same d and the RMSE/max error of their edge marginals (off-diagonal entries). */
export function compareDistributions(p: DagDistribution, q: DagDistribution): DistributionComparison {
  if (p.d !== q.d) throw new DagflowError('BAD_OPTION', `cannot compare distributions over ${p.d} and ${q.d} variables`);
  const mp = edgeMarginalsOfDistribution(p);
  const mq = edgeMarginalsOfDistribution(q);
  return {
    jsd: jensenShannon(p, q),
    edgeMarginalRmse: rmse(mp, mq, p.d),
    edgeMarginalMaxError: maxAbsDifference(mp, mq, p.d),
  };
}
