/**
 * Intrinsic rewards for augmented flows (GAFlowNet): the novelty r(s) of random network
 * distillation, with a weight β that decays over training, turned into u(s) = log(β·r(s)) for
 * the augmented objectives, which add R(s)·e^u(s) = β·r(s)·R(s) to the terminal reward of s and
 * to the flow of every edge into s.
 *
 * Why the bonus is relative to the state's own reward: the posterior's rewards are only known
 * up to a constant and span hundreds of nats (raw data, n ≥ 500). GAFlowNet adds r at the scale
 * of the task's rewards; here the only scale is a reference such as the best reward found, and
 * β·r·R_best added to each of the 29,281 DAGs of d = 5 outweighs the few DAGs that hold the
 * posterior's mass: measured on raw n = 1000 data after 30 s, the sampler had moved all its
 * mass off the posterior (JSD ln 2). Relative to R(s), a novel DAG's weight grows by at most a
 * factor 1 + β·r: the augmented target stays within that factor of the posterior.
 *
 * Why a decay: the augmented flows draw DAGs in proportion to R·(1 + β·r), not R. The weight
 * falls linearly to 0 over the first `intrinsicDecay` of the training budget (0: never), so the
 * sampler explores early and is trained on the plain reward for the rest of the run.
 */
import type { Rng } from '../../core/rng.ts';
import type { StateBatch } from '../../policy/features.ts';
import { RandomNetworkDistillation, type RndSnapshot } from './rnd.ts';

export type IntrinsicName = 'none' | 'rnd';

export interface IntrinsicConfig {
  intrinsic: IntrinsicName;
  /** β: the novelty bonus of a DAG is β·r(s)·R(s), r ∈ [0, ~1]. */
  intrinsicWeight: number;
  /** Fraction of the training budget over which β falls linearly to 0 (0: β stays constant). */
  intrinsicDecay: number;
}

export interface IntrinsicSnapshot {
  rnd: RndSnapshot;
}

/** β at training progress p ∈ [0, 1]. */
export function intrinsicWeightAt(c: IntrinsicConfig, progress: number): number {
  if (c.intrinsic === 'none') return 0;
  if (c.intrinsicDecay <= 0) return c.intrinsicWeight;
  return c.intrinsicWeight * Math.max(0, 1 - progress / c.intrinsicDecay);
}

export class IntrinsicRewards {
  readonly rnd: RandomNetworkDistillation;

  constructor(d: number, rng: Rng) {
    this.rnd = new RandomNetworkDistillation(d, rng);
  }

  /** u(s) = log(β·r(s)) for the states of a batch; −∞ when β = 0. */
  logIntrinsic(states: StateBatch, weight: number): Float64Array {
    const u = new Float64Array(states.count).fill(-Infinity);
    if (!(weight > 0)) return u;
    const r = this.rnd.novelty(states);
    const logWeight = Math.log(weight);
    for (let s = 0; s < states.count; s++) u[s] = r[s]! > 0 ? logWeight + Math.log(r[s]!) : -Infinity;
    return u;
  }

  snapshot(): IntrinsicSnapshot {
    return { rnd: this.rnd.snapshot() };
  }

  restore(s: IntrinsicSnapshot): void {
    this.rnd.restore(s.rnd);
  }
}
