/**
 * The exact optimal sampler of a small problem with augmented flows (GAFlowNet), for the
 * objective tests: with the uniform backward policy and an intrinsic reward I(s) = R(s)·e^u(s)
 * on every state (terminal) and on every edge into it,
 *   F(s) = R(s)(1 + e^u(s)) + Σ_{s′ = s + e} [F(s′)/|E(s′)| + R(s′)e^u(s′)],
 *   P(stop | s) = R(s)(1 + e^u(s))/F(s),  P(s′ | s) = (F(s′)/|E(s′)| + R(s′)e^u(s′))/F(s).
 * With u = −∞ everywhere it is the plain optimal policy, whose push-forward is the posterior.
 */
import { logAddExp } from '../../../src/gflownet/core/logmath.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import type { StateBatch } from '../../../src/gflownet/policy/features.ts';
import { allocateStates } from '../../../src/gflownet/train/replay.ts';
import { randomModularReward, reachableStates, type ExplicitState } from './helpers.ts';

export function augmentedOptimum(d: number, seed: number, u: (s: ExplicitState) => number = () => -Infinity) {
  const c = buildConstraints(d);
  const reward = randomModularReward(d, seed, 3);
  const levels = reachableStates(c);
  const byKey = new Map<string, ExplicitState>();
  for (const level of levels) for (const s of level) byKey.set(s.key, s);
  const logR = new Map<string, number>();
  const logU = new Map<string, number>();
  const logF = new Map<string, number>();
  const children = (s: ExplicitState): ExplicitState[] => {
    const out: ExplicitState[] = [];
    for (let a = 0; a < d * d; a++) {
      if (!s.mask[a]) continue;
      const adj = s.adj.slice();
      adj[a] = 1;
      out.push(byKey.get(adj.join(''))!);
    }
    return out;
  };
  /** log of the flow along s → t: F(t)/|E(t)| + R(t)e^u(t). */
  const logEdgeFlow = (t: ExplicitState): number => logAddExp(logF.get(t.key)! - Math.log(t.edges), logR.get(t.key)! + logU.get(t.key)!);
  for (let l = levels.length - 1; l >= 0; l--) {
    for (const s of levels[l]!) {
      logR.set(s.key, reward.logReward(s.adj));
      logU.set(s.key, u(s));
      let f = logR.get(s.key)! + logAddExp(0, logU.get(s.key)!);
      for (const t of children(s)) f = logAddExp(f, logEdgeFlow(t));
      logF.set(s.key, f);
    }
  }
  const logStop = (s: ExplicitState): number => logR.get(s.key)! + logAddExp(0, logU.get(s.key)!) - logF.get(s.key)!;
  const logMove = (s: ExplicitState, t: ExplicitState): number => logEdgeFlow(t) - logF.get(s.key)!;
  return { c, reward, levels, byKey, logR, logU, logF, logStop, logMove, children, start: levels[0]![0]! };
}

export type Optimum = ReturnType<typeof augmentedOptimum>;

/** Network outputs that represent the policy: E[b,i][j] = log P(i→j | s), z = log P(stop) (the softmax normaliser is then 0). */
export function encodePolicy(p: Optimum, states: ExplicitState[], d: number): { E: Float32Array; z: Float32Array } {
  const E = new Float32Array(states.length * d * 2 * d);
  const z = new Float32Array(states.length);
  states.forEach((s, b) => {
    let moves = 0;
    for (let a = 0; a < d * d; a++) {
      if (!s.mask[a]) continue;
      const adj = s.adj.slice();
      adj[a] = 1;
      E[(b * d + Math.floor(a / d)) * 2 * d + (a % d)] = p.logMove(s, p.byKey.get(adj.join(''))!);
      moves++;
    }
    z[b] = moves ? p.logStop(s) : 0;
  });
  return { E, z };
}

export function stateBatchOf(states: ExplicitState[], d: number) {
  const out = allocateStates(d, states.length);
  out.count = states.length;
  states.forEach((s, b) => {
    out.adjacency.set(s.adj, b * d * d);
    out.closure.set(s.clo, b * d * d);
    out.mask.set(s.mask, b * d * d);
  });
  return out;
}

/** The explicit states behind the rows of a batch. */
export function statesOfBatch(p: Optimum, batch: StateBatch, d: number): ExplicitState[] {
  const dd = d * d;
  return Array.from({ length: batch.count }, (_, b) => p.byKey.get(Array.from(batch.adjacency.subarray(b * dd, (b + 1) * dd)).join(''))!);
}

/** A pseudo-random log intrinsic reward: u(s) = log(β·r(s)) + log R_max − log R(s), r(s) ∈ (0, 1) from the state's key. */
export function hashedIntrinsic(beta: number, logRewardMax: number, reward: { logReward(adj: Uint8Array): number }) {
  return (s: ExplicitState): number => {
    let h = 2166136261;
    for (const ch of s.key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    const r = ((h % 997) + 1) / 998;
    return Math.log(beta * r) + logRewardMax - reward.logReward(s.adj);
  };
}
