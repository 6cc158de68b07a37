/**
 * Flow matching (Bengio et al. 2021), the original GFlowNet objective, for DAGs where every
 * state can stop. With the edge flows written through the policy, F(s → s′) = F(s)·P(s′ | s)
 * and the terminal flow F(s → ⊥) = R(s) (so F(s) = R(s)/P(stop | s)), the out-flow of a state
 * plus its reward is F(s) by construction, and the objective asks, at every state s′ but the
 * start, that the flow coming in from its parents (the graphs with one removable edge fewer)
 * equals it:
 *
 *   δ(s′) = log Σ_{p → s′} exp(log P(s′ | p) − log P(stop | p) − Δ_p) + log P(stop | s′)
 *
 * with Δ_p = log R(s′) − log R(p) (everything relative to R(s′), so rewards of hundreds of nats
 * never meet in one exponential). Unlike detailed balance there is no backward policy: the
 * parents share the in-flow however the network likes. The loss is the mean Huber of δ over
 * the states of a batch; the network is run once over the states and all their parents
 * together (one forward pass, plain matmuls), and the gradient reaches both.
 *
 * With augmented flows (GAFlowNet, train/intrinsic/) each state also carries u(s) = log of its
 * intrinsic reward relative to R(s): the terminal flow becomes R(s)(1 + e^u(s)), and every edge
 * into s′ carries an extra flow of the intrinsic reward of s′ that leaves the network there, so
 * the in-flow equals F(s′) + n·R(s′)e^u(s′) for n parents. u = −∞ gives plain flow matching.
 */
import { closureOf, refreshMask, type EdgeReward } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import { accumulateOutputGradient, logProbsFromOutputs } from '../policy/logProbs.ts';
import type { StateBatch } from '../policy/features.ts';
import { huber, huberSlope, type NetworkOutputs, type OutputGradient } from './objectives.ts';
import { allocateStates, type MutableStateBatch } from './replay.ts';

/** The states whose flows are matched (rows 0..children−1) followed by all their parents. */
export interface FlowMatchingBatch {
  readonly states: MutableStateBatch;
  /** States whose in-flow is matched: the first rows of `states`. */
  readonly children: number;
  /** Per parent row (index − children): the child row it leads to, the edge added, and Δ log R of that edge. */
  readonly parentOf: Int32Array;
  readonly parentAction: Int32Array;
  readonly parentDelta: Float64Array;
}

/**
 * The parents of every state in `children`: each graph with one removable (non-required) edge
 * fewer. Removing an edge keeps a DAG and respects forbidden edges, tiers and the parent bound,
 * so every parent is a legal state and the removed edge is a legal addition in it.
 */
export function buildFlowMatchingBatch(children: StateBatch, constraints: EnvConstraints, reward: EdgeReward): FlowMatchingBatch {
  const d = constraints.d;
  const dd = d * d;
  const B = children.count;
  let parents = 0;
  for (let b = 0; b < B; b++) for (let a = 0; a < dd; a++) if (children.adjacency[b * dd + a] && !constraints.required[a]) parents++;
  const states = allocateStates(d, B + parents);
  states.count = B + parents;
  states.adjacency.set(children.adjacency.subarray(0, B * dd));
  states.closure.set(children.closure.subarray(0, B * dd));
  states.mask.set(children.mask.subarray(0, B * dd));
  const parentOf = new Int32Array(parents);
  const parentAction = new Int32Array(parents);
  const parentDelta = new Float64Array(parents);
  const counts = new Int32Array(d);
  let row = B;
  for (let b = 0; b < B; b++) {
    for (let a = 0; a < dd; a++) {
      if (!children.adjacency[b * dd + a] || constraints.required[a]) continue;
      const o = row * dd;
      const adj = states.adjacency.subarray(o, o + dd);
      adj.set(children.adjacency.subarray(b * dd, (b + 1) * dd));
      adj[a] = 0;
      const clo = states.closure.subarray(o, o + dd);
      closureOf(d, adj, clo, counts);
      refreshMask(constraints, adj, clo, states.mask.subarray(o, o + dd), counts);
      const i = Math.floor(a / d);
      parentOf[row - B] = b;
      parentAction[row - B] = a;
      parentDelta[row - B] = reward.deltaLogReward(adj, i, a - i * d);
      row++;
    }
  }
  return { states, children: B, parentOf, parentAction, parentDelta };
}

/** log(e^a + e^b), with −∞ allowed on either side. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log(1 + e^u): the log-ratio of the augmented terminal reward to R. */
export function augmentationOf(u: number): number {
  return u === -Infinity ? 0 : logAdd(0, u);
}

/**
 * Flow-matching loss (mean Huber of δ over the children) and its gradient with respect to the
 * outputs of one forward pass over `batch.states`. `logIntrinsic` (one per row, parents
 * included): u(s), the log intrinsic reward relative to R(s), or undefined for plain FM.
 */
export function fmLossGradient(
  online: NetworkOutputs,
  batch: FlowMatchingBatch,
  d: number,
  kappa: number,
  logIntrinsic?: Float64Array,
): OutputGradient {
  const S = batch.states.count;
  const B = batch.children;
  const dd = d * d;
  const { E, z, shift } = online;
  const lp = logProbsFromOutputs(E, z, batch.states.mask, d, 0, S, shift);
  const aug = (row: number): number => (logIntrinsic ? augmentationOf(logIntrinsic[row]!) : 0);
  // In-flow terms A_p, gathered per child (parents of one child are consecutive rows).
  const inFlow = new Float64Array(B).fill(-Infinity);
  const parentCount = new Int32Array(B);
  const terms = new Float64Array(S - B);
  for (let p = 0; p < S - B; p++) {
    const row = B + p;
    const c = batch.parentOf[p]!;
    terms[p] = lp.logEdges[row * dd + batch.parentAction[p]!]! - lp.logStop[row]! - batch.parentDelta[p]! + aug(row);
    inFlow[c] = logAdd(inFlow[c]!, terms[p]!);
    parentCount[c]!++;
  }
  const stopCoef = new Float64Array(S);
  const edgeCoef = new Float64Array(S);
  let loss = 0;
  const slope = new Float64Array(B);
  for (let c = 0; c < B; c++) {
    if (parentCount[c] === 0) continue; // the start state has no in-flow to match
    const own = aug(c) - lp.logStop[c]!;
    const extra = logIntrinsic ? Math.log(parentCount[c]!) + logIntrinsic[c]! : -Infinity;
    const outFlow = logAdd(own, extra);
    const delta = inFlow[c]! - outFlow;
    loss += huber(delta, kappa) / B;
    const g = huberSlope(delta, kappa) / B;
    slope[c] = g;
    stopCoef[c]! += g * Math.exp(own - outFlow);
  }
  for (let p = 0; p < S - B; p++) {
    const c = batch.parentOf[p]!;
    const w = slope[c]! * Math.exp(terms[p]! - inFlow[c]!);
    stopCoef[B + p]! -= w;
    edgeCoef[B + p] = w;
  }
  const dE = new Float32Array(S * d * 2 * d);
  const dz = new Float32Array(S);
  const scratch = new Float64Array(dd);
  for (let row = 0; row < S; row++) {
    if (stopCoef[row] === 0 && edgeCoef[row] === 0) continue;
    const action = row >= B ? batch.parentAction[row - B]! : -1;
    accumulateOutputGradient(E, z, batch.states.mask, row * dd, shift, d, row, stopCoef[row]!, action, edgeCoef[row]!, dE, dz, scratch);
  }
  return { loss, dE, dz, dLogZ: 0 };
}
