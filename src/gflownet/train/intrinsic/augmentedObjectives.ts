/**
 * The balance objectives with augmented flows (Pan et al., "Generative Augmented Flow
 * Networks", ICLR 2023). Each state s carries u(s): the log of its intrinsic reward relative to
 * its own reward R(s) (intrinsic/intrinsicRewards.ts: u = log(β·r(s)) with r the novelty).
 * The network's flows then satisfy
 *
 *   terminal:  F(s)·P(stop | s) = R(s)·(1 + e^u(s))                     (so F(s) = R̃(s)/P(stop | s))
 *   edge:      F(s)·P(s′ | s)   = F(s′)·P_B(s | s′) + R(s′)·e^u(s′)     (the intrinsic reward of s′ rides on every edge into it)
 *
 * Writing a(s) = log(1 + e^u(s)) and dividing the edge equation by F(s′):
 *
 *   mdb:   δ = Δ − a(s) + log P(stop | s) − log P(s′ | s) + log(P_B·e^{a(s′)}/P̄(stop | s′) + e^u(s′))
 *   tb:    log Z + Σ log P_F − log R(x) − a(x) − Σ_t log(P_B(t) + e^{u(s_{t+1}) − a(s_{t+1})}·P(stop | s_{t+1}))
 *   subtb: the segment s_a … s_b telescopes the same per-edge factors.
 *
 * Every identity holds exactly at the optimal policy of the augmented flows, and with u = −∞
 * (intrinsic weight 0) each residual is, term for term, the plain one of objectives.ts and
 * subTrajectoryBalance.ts.
 */
import { accumulateOutputGradient, logProbsFromOutputs } from '../../policy/logProbs.ts';
import { augmentationOf } from '../flowMatching.ts';
import { huber, huberSlope, logBackward, type MdbBatch, type NetworkOutputs, type OutputGradient, type TbBatch } from '../objectives.ts';
import type { SubTbBatch } from '../subTrajectoryBalance.ts';

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * log of the edge factor P_B(s | s′) + e^{u(s′) − a(s′)}·P(stop | s′) and its derivative with
 * respect to log P(stop | s′) (the share of the intrinsic part).
 */
function edgeFactor(logPB: number, u: number, logStopNext: number): { value: number; stopShare: number } {
  if (u === -Infinity) return { value: logPB, stopShare: 0 };
  const intrinsic = u - augmentationOf(u) + logStopNext;
  const value = logAdd(logPB, intrinsic);
  return { value, stopShare: Math.exp(intrinsic - value) };
}

/**
 * Augmented modified detailed balance on B transitions; `uStates` and `uNext`: u of s and s′.
 * The target network gives P̄(stop | s′), as in the plain objective.
 */
export function augmentedMdbLossGradient(
  online: NetworkOutputs,
  target: NetworkOutputs,
  batch: MdbBatch,
  d: number,
  kappa: number,
  uStates: Float64Array,
  uNext: Float64Array,
): OutputGradient {
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
    const uNextB = uNext[b]!;
    const arrive = augmentationOf(uNextB) - next.logStop[b]! + logBackward(batch.removable[b]!);
    const residual =
      batch.deltas[b]! - augmentationOf(uStates[b]!) + current.logStop[b]! - current.logEdges[b * dd + a]! + logAdd(arrive, uNextB);
    loss += huber(residual, kappa) / B;
    const g = huberSlope(residual, kappa) / B;
    accumulateOutputGradient(E, z, batch.states.mask, b * dd, shift, d, b, g, a, -g, dE, dz, scratch);
  }
  return { loss, dE, dz, dLogZ: 0 };
}

/** Augmented trajectory balance; `u` per flattened state (the batch of trajectories.ts). */
export function augmentedTbLossGradient(
  online: NetworkOutputs,
  logZ: number,
  batch: TbBatch & Pick<SubTbBatch, 'removable'>,
  d: number,
  u: Float64Array,
): OutputGradient {
  const T = batch.states.count;
  const N = batch.trajectories;
  const dd = d * d;
  const { E, z, shift } = online;
  const lp = logProbsFromOutputs(E, z, batch.states.mask, d, 0, T, shift);
  // `constant` is −log R(x) − Σ log P_B; the edge factors replace the Σ log P_B part.
  const residual = Float64Array.from(batch.constant, (c) => c + logZ);
  const share = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const n = batch.trajectory[t]!;
    const a = batch.chosen[t]!;
    residual[n]! += a === dd ? lp.logStop[t]! : lp.logEdges[t * dd + a]!;
    if (a === dd) residual[n]! -= augmentationOf(u[t]!);
    else {
      // Transition t → t + 1; P_B(s_t | s_{t+1}) = 1/removable(s_{t+1}).
      const logPB = logBackward(batch.removable[t]!);
      const f = edgeFactor(logPB, u[t + 1]!, lp.logStop[t + 1]!);
      residual[n]! -= f.value - logPB;
      share[t + 1] = f.stopShare;
    }
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
    const fromFactor = -gn * share[t]!;
    if (a === dd) accumulateOutputGradient(E, z, batch.states.mask, t * dd, shift, d, t, gn + fromFactor, -1, 0, dE, dz, scratch);
    else accumulateOutputGradient(E, z, batch.states.mask, t * dd, shift, d, t, fromFactor, a, gn, dE, dz, scratch);
  }
  return { loss, dE, dz, dLogZ };
}

/** Σ_{a<b} λ^(b−a) over a trajectory of T + 1 states. */
function segmentWeightSum(T: number, lambda: number): number {
  let total = 0;
  for (let len = 1; len <= T; len++) total += (T + 1 - len) * Math.pow(lambda, len);
  return total;
}

/**
 * Augmented sub-trajectory balance: for a segment s_a … s_b,
 *   δ_ab = Σ_{t=a}^{b−1} [Δ_t + log(edge factor_t) − log P(s_{t+1} | s_t)] + a(s_b) − a(s_a) + log P(stop | s_a) − log P(stop | s_b)
 */
export function augmentedSubTbLossGradient(
  online: NetworkOutputs,
  batch: SubTbBatch,
  d: number,
  lambda: number,
  kappa: number,
  u: Float64Array,
): OutputGradient {
  const S = batch.states.count;
  const N = batch.trajectories;
  const dd = d * d;
  const { E, z, shift } = online;
  const lp = logProbsFromOutputs(E, z, batch.states.mask, d, 0, S, shift);
  const stopCoef = new Float64Array(S);
  const edgeCoef = new Float64Array(S);
  const share = new Float64Array(S);
  const prefix = new Float64Array(S + 1);
  let loss = 0;
  let start = 0;
  while (start < S) {
    let end = start;
    while (end + 1 < S && batch.trajectory[end + 1] === batch.trajectory[start]) end++;
    const T = end - start;
    if (T > 0) {
      prefix[start] = 0;
      for (let t = start; t < end; t++) {
        const f = edgeFactor(logBackward(batch.removable[t]!), u[t + 1]!, lp.logStop[t + 1]!);
        share[t + 1] = f.stopShare;
        prefix[t + 1] = prefix[t]! + batch.deltas[t]! + f.value - lp.logEdges[t * dd + batch.chosen[t]!]!;
      }
      const norm = 1 / (segmentWeightSum(T, lambda) * N);
      // run[t]: Σ of the slopes of the segments that contain edge t (a difference array).
      const run = new Float64Array(T + 1);
      for (let a = start; a < end; a++) {
        for (let b = a + 1; b <= end; b++) {
          const w = Math.pow(lambda, b - a) * norm;
          const delta = prefix[b]! - prefix[a]! + augmentationOf(u[b]!) - augmentationOf(u[a]!) + lp.logStop[a]! - lp.logStop[b]!;
          loss += w * huber(delta, kappa);
          const g = w * huberSlope(delta, kappa);
          stopCoef[a]! += g;
          stopCoef[b]! -= g;
          run[a - start]! += g;
          run[b - start]! -= g;
        }
      }
      let acc = 0;
      for (let t = start; t < end; t++) {
        acc += run[t - start]!;
        edgeCoef[t] = -acc;
        // The edge factor of t depends on log P(stop | s_{t+1}) with slope `share`.
        stopCoef[t + 1]! += acc * share[t + 1]!;
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
