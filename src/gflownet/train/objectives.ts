/**
 * The training objectives (DESIGN §2): modified detailed balance (default) and trajectory
 * balance. Each comes twice: as a residual on plain float64 numbers (the definition, checked
 * against the exact optimal policy in the tests) and as a tfjs loss built from exactly the same
 * terms for training.
 */
import * as tf from '@tensorflow/tfjs';

export type ObjectiveName = 'mdb' | 'tb';

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

/** Huber with threshold κ: ½δ² for |δ| ≤ κ, κ(|δ| − ½κ) beyond; gradients bounded by κ. */
export function huber(x: tf.Tensor, kappa: number): tf.Tensor {
  const a = tf.abs(x);
  const q = tf.minimum(a, kappa);
  return q.square().mul(0.5).add(a.sub(q).mul(kappa));
}

/**
 * Modified-detailed-balance loss. `constant` = Δ + log P_B(s | s′) per transition (float64 on
 * the CPU, then float32); `actionOneHot` selects log P(s′ | s) from the online log-probs.
 */
export function mdbLoss(logStop: tf.Tensor1D, logEdges: tf.Tensor2D, actionOneHot: tf.Tensor2D, constant: tf.Tensor1D, targetLogStopNext: tf.Tensor1D, kappa: number): { loss: tf.Scalar; residual: tf.Tensor1D } {
  const logEdge = logEdges.mul(actionOneHot).sum(1);
  const residual = constant.add(logStop).sub(logEdge).sub(targetLogStopNext) as tf.Tensor1D;
  return { loss: huber(residual, kappa).mean() as tf.Scalar, residual };
}

/**
 * Trajectory-balance loss over a batch of trajectories flattened into states.
 * `chosenOneHot` (T × (d²+1)) marks the action taken in each state (last column = stop);
 * `segments` (N × T) sums the states of each trajectory; `constant` = −log R − Σ log P_B (N).
 */
export function tbLoss(logStop: tf.Tensor1D, logEdges: tf.Tensor2D, chosenOneHot: tf.Tensor2D, segments: tf.Tensor2D, constant: tf.Tensor1D, logZ: tf.Tensor): { loss: tf.Scalar; residual: tf.Tensor1D } {
  const T = logStop.shape[0];
  const all = tf.concat([logEdges, logStop.reshape([T, 1])], 1);
  const chosen = all.mul(chosenOneHot).sum(1).reshape([T, 1]) as tf.Tensor2D;
  const sumLogForward = tf.matMul(segments, chosen).reshape([segments.shape[0]]);
  const residual = sumLogForward.add(constant).add(logZ.reshape([])) as tf.Tensor1D;
  return { loss: residual.square().mean() as tf.Scalar, residual };
}
