/**
 * Intrinsic rewards for augmented flows (GAFlowNet): the novelty r(s) of random network
 * distillation, at the scale of a reference reward R_ref and with a weight β that decays over
 * training, turned into u(s) = log(β·r(s)·R_ref / R(s)) for the augmented objectives.
 *
 * Why a reference reward: the posterior's rewards are only known up to a constant and span
 * hundreds of nats (raw data, n ≥ 500), so a novelty added to R in absolute terms would mean
 * nothing. R_ref is the largest reward among the DAGs the sampler has finished so far, so β·r is
 * a fraction of the best reward found: an unexplored state (r ≈ 1) is worth β times the best.
 *
 * Why a decay: the augmented flows draw DAGs in proportion to R + β·r·R_ref, not R. The weight
 * falls linearly to 0 over the first `intrinsicDecay` of the training budget (0: never), so the
 * sampler explores early and is trained on the plain reward for the rest of the run.
 */
import type { Rng } from '../../core/rng.ts';
import type { StateBatch } from '../../policy/features.ts';
import { RandomNetworkDistillation, type RndSnapshot } from './rnd.ts';

export type IntrinsicName = 'none' | 'rnd';

export interface IntrinsicConfig {
  intrinsic: IntrinsicName;
  /** β: weight of the intrinsic reward relative to the best reward found so far. */
  intrinsicWeight: number;
  /** Fraction of the training budget over which β falls linearly to 0 (0: β stays constant). */
  intrinsicDecay: number;
}

export interface IntrinsicSnapshot {
  rnd: RndSnapshot;
  logRewardMax: number;
}

/** β at training progress p ∈ [0, 1]. */
export function intrinsicWeightAt(c: IntrinsicConfig, progress: number): number {
  if (c.intrinsic === 'none') return 0;
  if (c.intrinsicDecay <= 0) return c.intrinsicWeight;
  return c.intrinsicWeight * Math.max(0, 1 - progress / c.intrinsicDecay);
}

export class IntrinsicRewards {
  readonly rnd: RandomNetworkDistillation;
  /** log R_ref: the largest log R among finished DAGs (−∞ before the first). */
  logRewardMax = -Infinity;

  constructor(d: number, rng: Rng) {
    this.rnd = new RandomNetworkDistillation(d, rng);
  }

  /** A DAG the sampler finished, with its log reward. */
  observe(logReward: number): void {
    if (logReward > this.logRewardMax) this.logRewardMax = logReward;
  }

  /** u(s) = log(β·r(s)) + log R_ref − log R(s) for the states of a batch; −∞ when β = 0. */
  logIntrinsic(states: StateBatch, logRewards: Float64Array, weight: number): Float64Array {
    const u = new Float64Array(states.count).fill(-Infinity);
    if (!(weight > 0) || this.logRewardMax === -Infinity) return u;
    const r = this.rnd.novelty(states);
    const logWeight = Math.log(weight) + this.logRewardMax;
    for (let s = 0; s < states.count; s++) u[s] = r[s]! > 0 ? logWeight + Math.log(r[s]!) - logRewards[s]! : -Infinity;
    return u;
  }

  snapshot(): IntrinsicSnapshot {
    return { rnd: this.rnd.snapshot(), logRewardMax: this.logRewardMax };
  }

  restore(s: IntrinsicSnapshot): void {
    this.rnd.restore(s.rnd);
    this.logRewardMax = s.logRewardMax;
  }
}
