/**
 * Sub-trajectory balance for DAGs where every state can stop (Madan et al. 2023, written with
 * terminating probabilities as in modified detailed balance). For a finished trajectory
 * s_0 → … → s_T and any segment a < b, the flows telescope:
 *
 *   δ_ab = Σ_{t=a}^{b−1} [Δ_t − log(|E(s_t)| + 1) − log P(s_{t+1} | s_t)] + log P(stop | s_a) − log P(stop | s_b)
 *
 * which is the modified-detailed-balance residual when b = a + 1 and compares states up to T
 * edges apart otherwise. Every segment of every trajectory in the batch contributes, weighted
 * λ^(b−a) (normalised per trajectory); the loss is the weighted mean Huber of δ. Long segments
 * carry a change of the reward at the end of a trajectory back to its start in one gradient
 * step, where detailed balance needs one target-network refresh per edge: that is what makes it
 * converge on posteriors whose mass sits on dense graphs many edges away from the empty one.
 */
import { accumulateOutputGradient, logProbsFromOutputs } from '../policy/logProbs.ts';
import { huber, huberSlope, type NetworkOutputs, type OutputGradient, type TbBatch } from './objectives.ts';

/** Whole trajectories flattened as for trajectory balance, with the reward changes along them. */
export interface SubTbBatch extends Pick<TbBatch, 'states' | 'chosen' | 'trajectory' | 'trajectories'> {
  /** Per state: Δ log R of the chosen edge (0 at the final state). */
  readonly deltas: Float64Array;
  /** Per state: removable edges of the state (|E(s)| minus the required edges). */
  readonly removable: Int32Array;
}

/** Σ_{a<b} λ^(b−a) over a trajectory of T + 1 states. */
function segmentWeightSum(T: number, lambda: number): number {
  let total = 0;
  for (let len = 1; len <= T; len++) total += (T + 1 - len) * Math.pow(lambda, len);
  return total;
}

export function subTbLossGradient(online: NetworkOutputs, batch: SubTbBatch, d: number, lambda: number, kappa: number): OutputGradient {
  const S = batch.states.count;
  const N = batch.trajectories;
  const dd = d * d;
  const { E, z, shift } = online;
  const lp = logProbsFromOutputs(E, z, batch.states.mask, d, 0, S, shift);
  const stopCoef = new Float64Array(S);
  const edgeCoef = new Float64Array(S);
  let loss = 0;
  // prefix[k] = Σ_{t<k} c_t within the trajectory, c_t = Δ_t − log(removable_t + 1) − log P_F(t).
  const prefix = new Float64Array(S + 1);
  let start = 0;
  while (start < S) {
    let end = start;
    while (end + 1 < S && batch.trajectory[end + 1] === batch.trajectory[start]) end++;
    const T = end - start; // edge additions; states start..end
    if (T > 0) {
      prefix[start] = 0;
      for (let t = start; t < end; t++) {
        const logForward = lp.logEdges[t * dd + batch.chosen[t]!]!;
        prefix[t + 1] = prefix[t]! + batch.deltas[t]! - Math.log(batch.removable[t]! + 1) - logForward;
      }
      const norm = 1 / (segmentWeightSum(T, lambda) * N);
      // g accumulated per state: dL/d(log P_F(t)) = −Σ_{a ≤ t < b} w·h′(δ_ab); dL/d(log stop(a)) = +Σ_b, dL/d(log stop(b)) = −Σ_a.
      const edgeRun = new Float64Array(T + 1);
      for (let a = start; a < end; a++) {
        for (let b = a + 1; b <= end; b++) {
          const w = Math.pow(lambda, b - a) * norm;
          const delta = prefix[b]! - prefix[a]! + lp.logStop[a]! - lp.logStop[b]!;
          loss += w * huber(delta, kappa);
          const g = w * huberSlope(delta, kappa);
          stopCoef[a]! += g;
          stopCoef[b]! -= g;
          // −g on every log P_F(t) for a ≤ t < b, as a difference array.
          edgeRun[a - start]! -= g;
          edgeRun[b - start]! += g;
        }
      }
      let run = 0;
      for (let t = start; t < end; t++) {
        run += edgeRun[t - start]!;
        edgeCoef[t] = run;
      }
    }
    start = end + 1;
  }
  const dE = new Float32Array(S * d * 2 * d);
  const dz = new Float32Array(S);
  const scratch = new Float64Array(dd);
  for (let t = 0; t < S; t++) {
    const a = batch.chosen[t]!;
    if (stopCoef[t] === 0 && edgeCoef[t] === 0) continue;
    accumulateOutputGradient(
      E,
      z,
      batch.states.mask,
      t * dd,
      shift,
      d,
      t,
      stopCoef[t]!,
      a === dd ? -1 : a,
      a === dd ? 0 : edgeCoef[t]!,
      dE,
      dz,
      scratch,
    );
  }
  return { loss, dE, dz, dLogZ: 0 };
}
