/**
 * The training objectives (docs/architecture.md §2): modified detailed balance (default) and trajectory
 * balance. The residuals are written once, on float64 numbers; the batch losses below use
 * exactly these functions and return the gradient with respect to the network's outputs
 * (edge-head matrix E and stop logits z), which `policyBackward` carries on to the weights.
 */
import { accumulateOutputGradient, logProbsFromOutputs } from '../policy/logProbs.ts';
import type { StateBatch } from '../policy/features.ts';

export type ObjectiveName = 'mdb' | 'tb' | 'subtb' | 'fm';

/** log P_B(s | s′) for the uniform backward policy: s′ has `removableBefore + 1` removable edges. */
export function logBackward(removableBefore: number): number {
  return -Math.log(removableBefore + 1);
}

export interface MdbTerms {
  /** Δ = log R(s′) − log R(s). */
  delta: number;
  /** Removable (non-required) edges of s. */
  removable: number;
  logStop: number;
  /** log P(s′ | s). */
  logEdge: number;
  /** log P(stop | s′) (from the target network when training). */
  logStopNext: number;
}

/** δ = Δ − log(|E(s)| + 1) + log P(stop | s) − log P(s′ | s) − log P(stop | s′). */
export function mdbResidual(t: MdbTerms): number {
  return t.delta + logBackward(t.removable) + t.logStop - t.logEdge - t.logStopNext;
}

export interface TbTerms {
  logZ: number;
  /** Σ log P_F over the trajectory, the final stop included. */
  sumLogForward: number;
  logReward: number;
  /** Σ log P_B over the trajectory (uniform backward policy). */
  sumLogBackward: number;
}

/** log Z + Σ log P_F − log R(G) − Σ log P_B. */
export function tbResidual(t: TbTerms): number {
  return t.logZ + t.sumLogForward - t.logReward - t.sumLogBackward;
}

/** Σ log P_B of any trajectory that ends with m removable edges: −log m!. */
export function trajectoryLogBackward(m: number): number {
  let s = 0;
  for (let k = 2; k <= m; k++) s -= Math.log(k);
  return s;
}

/** Huber with threshold κ: ½δ² for |δ| ≤ κ, κ(|δ| − ½κ) beyond. */
export function huber(x: number, kappa: number): number {
  const a = Math.abs(x);
  return a <= kappa ? 0.5 * a * a : kappa * (a - 0.5 * kappa);
}

/** dHuber/dδ: δ clipped to [−κ, κ]. */
export function huberSlope(x: number, kappa: number): number {
  return Math.max(-kappa, Math.min(kappa, x));
}

export interface OutputGradient {
  loss: number;
  /** (B·d × 2d) and (B) for the trained states (the first B of the forward pass). */
  dE: Float32Array;
  dz: Float32Array;
  dLogZ: number;
}

/** Raw network outputs for a batch whose first states are the ones a loss is about. */
export interface NetworkOutputs {
  /** (B·d × 2d) edge-head matrix. */
  E: Float32Array;
  /** (B) stop logits. */
  z: Float32Array;
  /** Reward-shaping offsets of the edge logits (states × d²), or undefined. */
  shift?: Float64Array;
}

export interface MdbBatch {
  readonly states: StateBatch;
  readonly next: StateBatch;
  readonly actions: Int32Array;
  readonly deltas: Float64Array;
  readonly removable: Int32Array;
}

/**
 * Modified-detailed-balance loss (mean Huber of δ) on B transitions and its gradient.
 * E, z: online outputs whose first B states are `batch.states`; zNext: the target network's
 * stop logits on `batch.next`.
 */
export function mdbLossGradient(online: NetworkOutputs, target: NetworkOutputs, batch: MdbBatch, d: number, kappa: number): OutputGradient {
  const B = batch.states.count;
  const dd = d * d;
  const { E, z, shift } = online;
  const current = logProbsFromOutputs(E, z, batch.states.mask, d, 0, B, shift);
  const next = logProbsFromOutputs(target.E, target.z, batch.next.mask, d, 0, B, target.shift);
  const dE = new Float32Array(B * d * 2 * d);
  const dz = new Float32Array(B);
  const scratch = new Float64Array(dd);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const a = batch.actions[b]!;
    const residual = mdbResidual({
      delta: batch.deltas[b]!,
      removable: batch.removable[b]!,
      logStop: current.logStop[b]!,
      logEdge: current.logEdges[b * dd + a]!,
      logStopNext: next.logStop[b]!,
    });
    loss += huber(residual, kappa) / B;
    const g = huberSlope(residual, kappa) / B;
    accumulateOutputGradient(E, z, batch.states.mask, b * dd, shift, d, b, g, a, -g, dE, dz, scratch);
  }
  return { loss, dE, dz, dLogZ: 0 };
}

export interface TbBatch {
  readonly states: StateBatch;
  /** Per state: the action taken (d² = stop) and the trajectory it belongs to. */
  readonly chosen: Int32Array;
  readonly trajectory: Int32Array;
  readonly trajectories: number;
  /** Per trajectory: −log R(G) − Σ log P_B. */
  readonly constant: Float64Array;
}

/** Trajectory-balance loss (mean squared residual) and its gradient, log Z included. */
export function tbLossGradient(online: NetworkOutputs, logZ: number, batch: TbBatch, d: number): OutputGradient {
  const T = batch.states.count;
  const N = batch.trajectories;
  const dd = d * d;
  const { E, z, shift } = online;
  const lp = logProbsFromOutputs(E, z, batch.states.mask, d, 0, T, shift);
  const residual = Float64Array.from(batch.constant, (c) => c + logZ);
  for (let t = 0; t < T; t++) {
    const a = batch.chosen[t]!;
    residual[batch.trajectory[t]!]! += a === dd ? lp.logStop[t]! : lp.logEdges[t * dd + a]!;
  }
  let loss = 0;
  let dLogZ = 0;
  const g = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    loss += (residual[n]! * residual[n]!) / N;
    g[n] = (2 * residual[n]!) / N;
    dLogZ += g[n]!;
  }
  const dE = new Float32Array(T * d * 2 * d);
  const dz = new Float32Array(T);
  const scratch = new Float64Array(dd);
  for (let t = 0; t < T; t++) {
    const a = batch.chosen[t]!;
    const gn = g[batch.trajectory[t]!]!;
    if (a === dd) accumulateOutputGradient(E, z, batch.states.mask, t * dd, shift, d, t, gn, -1, 0, dE, dz, scratch);
    else accumulateOutputGradient(E, z, batch.states.mask, t * dd, shift, d, t, 0, a, gn, dE, dz, scratch);
  }
  return { loss, dE, dz, dLogZ };
}
