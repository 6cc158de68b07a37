/**
 * Exact log Z and edge marginals over all DAGs for a modular score and structure prior,
 * by dynamic programming over node subsets (docs/architecture.md §3), for d well beyond enumeration.
 *
 * With B_j(Q) = exp(s_j(Q) + f(|Q|)) (0 for sets that knowledge or the parent bound forbid)
 * and A_j(U) = Σ_{Q ⊆ U} B_j(Q), the weighted count of DAGs on a node set S obeys the
 * sink-set recursion  Z(S) = Σ_{∅≠T⊆S} (−1)^{|T|+1} Z(S∖T) Π_{j∈T} A_j(S∖T),  Z(∅) = 1.
 * It is run "forwards" from each U = S∖T: for fixed U the products over T share prefixes, so
 * the whole pass costs one multiply-add per (U, T) pair, 3^d in all.
 *
 * Edge marginals come from one reverse (adjoint) pass over the same recursion, which shares
 * the work across all d(d−1) edges (the role of Tian & He's backward function): Z is linear
 * in each function A_j, so Z = Σ_U A_j(U)·H_j(U) with H_j(U) = ∂Z/∂A_j(U), and
 *   P(i → j) = Σ_U [A_j(U)H_j(U)/Z] · [1 − A_j(U∖i)/A_j(U)],
 * the second factor being the chance that i is among j's parents given they lie in U.
 *
 * Numerics: Z(S) spans thousands of nats across subsets, so nothing is kept on one linear
 * scale. Each Z(S) is accumulated relative to M(S), the log weight of the best DAG on S
 * (a cheap max-product DP), which bounds it: M(S) ≤ log Z(S) ≤ M(S) + log #DAGs(S). Every
 * pushed term is at most C(|S|,|T|)·Z(S), so with that reference nothing overflows and what
 * underflows is negligible; the price is one exp per (U, T). The alternating signs cost at
 * most ~2^d·ε relative accuracy (about 1e-10 at d = 20); the reverse pass re-derives Σ_U of
 * each node's weights (exactly 1 in exact arithmetic) and reports the largest deviation.
 */
import { DagflowError } from '../core/errors.ts';
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { compileConstraints } from './constraints.ts';
import { compressMask, familyLogRewardTables, yieldToEventLoop, type FamilyLogReward } from './familyTable.ts';

/** Beyond this a run takes tens of minutes (×3 per variable; see docs/exact.md for measured times). */
export const MAX_DP_NODES = 20;

export type DpPhase = 'local scores' | 'subset sums' | 'forward' | 'backward' | 'marginals';

export interface DpProgress {
  phase: DpPhase;
  done: number;
  total: number;
}

export interface DpPosterior {
  readonly method: 'dp';
  readonly d: number;
  readonly logZ: number;
  /** P(i → j), row-major d·d. */
  readonly edgeMarginals: Float64Array;
  readonly expectedEdges: number;
  /** log R of the best DAG (max-product version of the same recursion). */
  readonly maxLogJoint: number;
  /** Largest |Σ_U A_j(U)H_j(U)/Z − 1| over nodes: a measured bound on the rounding error. */
  readonly numericalCheck: number;
}

export async function dpPosterior(
  reward: FamilyLogReward,
  knowledge?: Partial<PriorKnowledge>,
  ctx: JobContext<DpProgress> = quietJobContext(),
): Promise<DpPosterior> {
  const d = reward.d;
  if (d > MAX_DP_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `the exact dynamic programme is limited to ${MAX_DP_NODES} variables, got ${d}`,
      {},
      'use the GFlowNet or MCMC samplers for larger graphs',
    );
  }
  const c = compileConstraints(d, knowledge);
  if (ctx.signal.aborted) throw jobCancelled();
  const ticker = makeTicker(ctx);
  const logB = await familyLogRewardTables(reward, c, { signal: ctx.signal, log: ctx.log, progress: (p) => ctx.progress(p) });

  // λ_j = log A_j (log-sum zeta transform) and μ_j = max-zeta, both over compressed masks.
  const half = 1 << (d - 1);
  const lambda: Float64Array[] = [];
  const mu: Float64Array[] = [];
  for (let j = 0; j < d; j++) {
    const l = Float64Array.from(logB[j]!);
    const m = Float64Array.from(logB[j]!);
    for (let step = 1; step < half; step <<= 1) {
      for (let base = 0; base < half; base += step << 1) {
        for (let u = base; u < base + step; u++) {
          const lo = l[u]!;
          if (lo !== -Infinity) {
            const hi = l[u + step]!;
            if (hi === -Infinity) l[u + step] = lo;
            else l[u + step] = hi > lo ? hi + Math.log1p(Math.exp(lo - hi)) : lo + Math.log1p(Math.exp(hi - lo));
          }
          if (m[u]! > m[u + step]!) m[u + step] = m[u]!;
        }
      }
    }
    lambda.push(l);
    mu.push(m);
    await ticker('subset sums', j + 1, d);
  }
  logB.length = 0;

  const full = 1 << d;
  const V = full - 1;
  // M(S): log weight of the best DAG on S (best sink k, best DAG on S∖k, best parents of k in S∖k).
  const M = new Float64Array(full);
  for (let S = 1; S < full; S++) {
    let best = -Infinity;
    for (let rest = S; rest !== 0; rest &= rest - 1) {
      const k = 31 - Math.clz32(rest & -rest);
      const without = S ^ (1 << k);
      const v = M[without]! + mu[k]![compressMask(without, k)]!;
      if (v > best) best = v;
    }
    M[S] = best;
  }
  mu.length = 0;
  if (M[V] === -Infinity)
    throw new DagflowError(
      'BAD_GRAPH',
      'no DAG satisfies the prior knowledge (required edges, forbidden edges and the parent bound together)',
    );

  // Scratch for one U: per subset t of the complement (compact index), log Π A, the mask, the sign.
  const logProd = new Float64Array(full);
  const maskOf = new Int32Array(full);
  const signOf = new Float64Array(full);
  const value = new Float64Array(full);
  const elems = new Int32Array(d);
  const logA = new Float64Array(d);

  /** Fills logProd/maskOf for the complement of U; returns its size. */
  const prepare = (U: number): number => {
    let count = 0;
    for (let k = 0; k < d; k++) {
      if ((U >>> k) & 1) continue;
      elems[count] = k;
      logA[count] = lambda[k]![compressMask(U, k)]!;
      count++;
    }
    const size = 1 << count;
    logProd[0] = 0;
    maskOf[0] = 0;
    signOf[0] = -1;
    for (let t = 1; t < size; t++) {
      const low = t & -t;
      const b = 31 - Math.clz32(low);
      logProd[t] = logProd[t ^ low]! + logA[b]!;
      maskOf[t] = maskOf[t ^ low]! | (1 << elems[b]!);
      // (−1)^{|T|+1}: odd-sized T add. A multiply, not a branch the CPU would mispredict.
      signOf[t] = -signOf[t ^ low]!;
    }
    return count;
  };

  // Forward: z[S] = Z(S)/exp(M(S)), accumulated by pushes from every U ⊊ S (increasing U).
  const z = new Float64Array(full);
  const logZ = new Float64Array(full);
  let work = 0;
  z[0] = 1;
  for (let U = 0; U < full; U++) {
    if (U > 0) logZ[U] = finalize(z[U]!, M[U]!, U);
    const base = logZ[U]!;
    if (base === -Infinity || U === V) continue;
    const count = prepare(U);
    pushFrom(U, base, count, logProd, maskOf, signOf, M, z);
    // Check the clock by work done, not by U: the first U's carry most of the 3^d terms.
    work += 1 << count;
    if (work > WORK_PER_TICK) {
      work = 0;
      await ticker('forward', U, full);
    }
  }
  const logZV = logZ[V]!;

  // Reverse pass: zbar[S] = (∂Z/∂Z(S))·exp(M(S))/Z ; h_j[U] = A_j(U)·H_j(U)/Z.
  const zbar = new Float64Array(full);
  zbar[V] = 1 / z[V]!;
  const h: Float64Array[] = Array.from({ length: d }, () => new Float64Array(half));
  for (let U = V - 1; U >= 0; U--) {
    const base = logZ[U]!;
    if (base === -Infinity) continue;
    const count = prepare(U);
    zbar[U] = pullTo(U, base, count, logProd, maskOf, signOf, M, zbar, value) / z[U]!;
    // h_{elems[b]}(U) = Σ over t with bit b of value[t]: fold the highest bit away each round.
    for (let b = count - 1; b >= 0; b--) {
      const j = elems[b]!;
      h[j]![compressMask(U, j)] = foldTopBit(value, b);
    }
    work += 1 << count;
    if (work > WORK_PER_TICK) {
      work = 0;
      await ticker('backward', V - U, full);
    }
  }

  // Marginals: P(i → j) = Σ_{U ∋ i} h_j(U)·(1 − A_j(U∖i)/A_j(U)).
  const edgeMarginals = new Float64Array(d * d);
  let numericalCheck = 0;
  for (let j = 0; j < d; j++) {
    const hj = h[j]!;
    const lj = lambda[j]!;
    let mass = 0;
    for (let u = 0; u < half; u++) {
      const w = hj[u]!;
      if (w === 0 || lj[u] === -Infinity) continue;
      mass += w;
      for (let rest = u; rest !== 0; rest &= rest - 1) {
        const low = rest & -rest;
        const b = 31 - Math.clz32(low);
        const i = b < j ? b : b + 1;
        edgeMarginals[i * d + j]! += -w * Math.expm1(lj[u ^ low]! - lj[u]!);
      }
    }
    numericalCheck = Math.max(numericalCheck, Math.abs(mass - 1));
    await ticker('marginals', j + 1, d);
  }
  let expectedEdges = 0;
  for (let k = 0; k < d * d; k++) {
    // Rounding can leave values a hair outside [0, 1].
    edgeMarginals[k] = Math.min(1, Math.max(0, edgeMarginals[k]!));
    expectedEdges += edgeMarginals[k]!;
  }
  if (!(numericalCheck < 1e-6) || !Number.isFinite(logZV)) {
    throw new DagflowError('INTERNAL', `the dynamic programme lost precision (node weights sum to 1 ± ${numericalCheck.toExponential(2)})`);
  }
  return { method: 'dp', d, logZ: logZV, edgeMarginals, expectedEdges, maxLogJoint: M[V]!, numericalCheck };
}

/** log of a term, relative to the best DAG on its set, below which it is left out (e^−50 ≈ 2e−22). */
const NEGLIGIBLE = -50;

/** Terms between looks at the clock (≈ 10–30 ms of work). */
const WORK_PER_TICK = 1 << 20;

/** Forward pushes from U: z[U ∪ T] += (−1)^{|T|+1}·exp(log Z(U) + log Π_{k∈T} A_k(U) − M(U ∪ T)). */
function pushFrom(
  U: number,
  logZU: number,
  count: number,
  logProd: Float64Array,
  maskOf: Int32Array,
  signOf: Float64Array,
  M: Float64Array,
  z: Float64Array,
): void {
  const size = 1 << count;
  for (let t = 1; t < size; t++) {
    const S = U | maskOf[t]!;
    const x = logZU + logProd[t]! - M[S]!;
    // Terms below e^−50 of the best DAG on S cannot move z(S) ≥ 1 (even 2^20 of them); skipping
    // their exp is most of the saving on real data, where few sink sets are competitive.
    // (M[S] = −∞ gives x = +∞ or NaN only when Z(S) = 0, which no term can reach: skip those too.)
    if (x > NEGLIGIBLE && x !== Infinity) z[S]! += signOf[t]! * Math.exp(x);
  }
}

/** Adjoint of pushFrom: value[t] = signed contribution of U ∪ T back to U; returns their sum. */
function pullTo(
  U: number,
  logZU: number,
  count: number,
  logProd: Float64Array,
  maskOf: Int32Array,
  signOf: Float64Array,
  M: Float64Array,
  zbar: Float64Array,
  value: Float64Array,
): number {
  const size = 1 << count;
  let total = 0;
  value[0] = 0;
  for (let t = 1; t < size; t++) {
    const S = U | maskOf[t]!;
    const w = zbar[S]!;
    if (w === 0) {
      value[t] = 0;
      continue;
    }
    const x = logZU + logProd[t]! - M[S]!;
    const signed = x > NEGLIGIBLE ? signOf[t]! * w * Math.exp(x) : 0;
    value[t] = signed;
    total += signed;
  }
  return total;
}

/** Σ of the upper half of value[0 .. 2^(b+1)), then the upper half is added onto the lower half. */
function foldTopBit(value: Float64Array, b: number): number {
  const upper = 1 << b;
  let sum = 0;
  for (let t = 0; t < upper; t++) {
    const v = value[t + upper]!;
    sum += v;
    value[t]! += v;
  }
  return sum;
}

function finalize(zS: number, mS: number, S: number): number {
  if (mS === -Infinity) return -Infinity;
  // z(S) ≥ 1 in exact arithmetic (Z(S) is at least its best DAG); far below means cancellation won.
  if (!(zS > 0.5))
    throw new DagflowError('INTERNAL', `the dynamic programme lost precision at node set ${S.toString(2)} (scaled sum ${zS})`);
  return mS + Math.log(zS);
}

/** Reports progress about every 0.5 s and yields to the event loop so that an abort can arrive. */
function makeTicker(ctx: JobContext<DpProgress>): (phase: DpPhase, done: number, total: number) => Promise<void> {
  let last = Date.now();
  return async (phase, done, total) => {
    if (ctx.signal.aborted) throw jobCancelled();
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    await yieldToEventLoop();
    if (ctx.signal.aborted) throw jobCancelled();
    ctx.progress({ phase, done, total });
  };
}
