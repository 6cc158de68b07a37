/**
 * Total causal effect of do(X) on Y for linear-Gaussian data (BGe), averaged over the
 * posterior over DAGs (Bayesian model averaging).
 *
 * Given a DAG G, X_j = Σ_{i ∈ Pa(j)} β_ij X_i + ε_j. The total effect of do(X = x) on E[Y] per
 * unit of x is t_Y, where t_X = 1 and t_j = Σ_{i ∈ Pa(j)} t_i β_ij in topological order (the
 * (X, Y) entry of (I − B)⁻¹ once X's incoming edges are cut). With no directed path X ⇝ Y
 * the effect is exactly 0. Because families are independent a posteriori and t_i depends only
 * on families of ancestors of i, the posterior moments follow by the same recursion:
 *
 *   E[t_j]       = Σ_i E[t_i] β̄_ij                          (the mean effect given G),
 *   E[t_j t_l]   = Σ_i E[t_i t_l] β̄_ij            (l before j),
 *   E[t_j²]      = Σ_{i,i'} E[t_i t_i'] E[β_ij β_i'j],
 *
 * so Var(t_Y | G, D) is exact too. Over the posterior over DAGs:
 *   mean = Σ_G P(G|D) E[t_Y|G],  structural variance = Var_G(E[t_Y|G]),
 *   parameter variance = E_G[Var(t_Y|G)],  total variance = their sum (law of total variance).
 * The 95 % interval and the histogram come from seeded draws of (G, β) from the posterior.
 */
import { DagflowError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import type { BgePosterior } from '../scores/bge.ts';
import { bgeFamily, drawCoefficients, type BgeFamily } from './bgeFamily.ts';
import { estimateFeatures, probabilityError } from './estimator.ts';
import { ancestorMasks, topologicalFromMasks } from './features.ts';
import { histogram, weightedQuantile, type Histogram } from './summaries.ts';
import { parentsOfDag, perDistinctDag, type WeightedDags } from './weightedDags.ts';

export interface EffectOptions {
  /** Draws of (G, β) for the interval and the histogram (default 20000). */
  draws?: number;
  seed?: number;
  bins?: number;
  /** Interval mass (default 0.95). */
  level?: number;
}

export interface ContinuousEffect {
  cause: number;
  effect: number;
  mean: number;
  /** Total posterior sd = √(structural² + parameter²). */
  sd: number;
  structuralSd: number;
  parameterSd: number;
  /** Central interval of the effect (structure and parameters), from the draws. */
  interval: [number, number];
  /** Central interval of E[effect | G] over the DAGs alone (exact for an exact posterior). */
  structuralInterval: [number, number];
  probabilityNoPath: number;
  /** Monte Carlo standard errors of the mean and of P(no path); null for an exact posterior. */
  standardErrors: { mean: number; probabilityNoPath: number } | null;
  /**
   * Of the draws (structure and parameters) that have a directed path X ⇝ Y; as shares of all
   * draws, so they sum to the share of draws with a path (the rest sit exactly at 0).
   */
  histogram: Histogram;
  draws: number;
  seed: number;
}

/** Per-DAG closed forms: E[t_Y | G], Var(t_Y | G), and whether X ⇝ Y. */
export interface DagEffect {
  mean: number;
  variance: number;
  hasPath: boolean;
}

/** Memoised family posteriors, keyed by node and parent mask. */
export class BgeFamilies {
  private readonly cache = new Map<number, BgeFamily>();
  constructor(readonly posterior: BgePosterior) {}
  get(node: number, parentMask: number): BgeFamily {
    const key = parentMask * 32 + node;
    let f = this.cache.get(key);
    if (!f) {
      const parents: number[] = [];
      for (let i = 0, m = parentMask; m !== 0; i++, m >>>= 1) if (m & 1) parents.push(i);
      f = bgeFamily(this.posterior, node, parents);
      this.cache.set(key, f);
    }
    return f;
  }
}

export function dagEffect(pa: ArrayLike<number>, d: number, cause: number, effect: number, families: BgeFamilies): DagEffect {
  const anc = ancestorMasks(pa, d);
  if (cause === effect) return { mean: 1, variance: 0, hasPath: true };
  if (!((anc[effect]! >>> cause) & 1)) return { mean: 0, variance: 0, hasPath: false };
  // Only nodes on some path X ⇝ j ⇝ Y (or Y) carry non-zero t_j that reaches Y.
  const relevant = (j: number): boolean => j === effect || (((anc[j]! >>> cause) & 1) === 1 && ((anc[effect]! >>> j) & 1) === 1);
  const order = topologicalFromMasks(pa, d).filter((j) => j === cause || relevant(j));
  const m = order.length;
  const pos = new Int32Array(d).fill(-1);
  order.forEach((j, k) => (pos[j] = k));
  const t = new Float64Array(m);
  const M = new Float64Array(m * m);
  t[pos[cause]!] = 1;
  M[pos[cause]! * m + pos[cause]!] = 1;
  for (const j of order) {
    if (j === cause) continue;
    const f = families.get(j, pa[j]!);
    const pj = pos[j]!;
    const k = f.parents.length;
    // Parents outside the relevant set have t = 0 and drop out.
    for (let a = 0; a < k; a++) {
      const ia = pos[f.parents[a]!]!;
      if (ia < 0) continue;
      t[pj]! += t[ia]! * f.mean[a]!;
      for (let l = 0; l < pj; l++) M[pj * m + l]! += M[ia * m + l]! * f.mean[a]!;
      for (let b = 0; b < k; b++) {
        const ib = pos[f.parents[b]!]!;
        if (ib < 0) continue;
        M[pj * m + pj]! += M[ia * m + ib]! * f.secondMoment[a * k + b]!;
      }
    }
    for (let l = 0; l < pj; l++) M[l * m + pj] = M[pj * m + l]!;
  }
  const py = pos[effect]!;
  const mean = t[py]!;
  return { mean, variance: Math.max(0, M[py * m + py]! - mean * mean), hasPath: true };
}

/** One draw of t_Y for a DAG, with coefficients drawn from their posterior. */
export function drawDagEffect(pa: ArrayLike<number>, d: number, cause: number, effect: number, families: BgeFamilies, rng: Rng): number {
  const anc = ancestorMasks(pa, d);
  if (cause === effect) return 1;
  if (!((anc[effect]! >>> cause) & 1)) return 0;
  const t = new Float64Array(d);
  t[cause] = 1;
  for (const j of topologicalFromMasks(pa, d)) {
    if (j === cause || !((anc[j]! >>> cause) & 1) || !(j === effect || (anc[effect]! >>> j) & 1)) continue;
    const f = families.get(j, pa[j]!);
    const beta = drawCoefficients(f, rng);
    let s = 0;
    for (let a = 0; a < f.parents.length; a++) s += t[f.parents[a]!]! * beta[a]!;
    t[j] = s;
  }
  return t[effect]!;
}

export function checkPair(d: number, cause: number, effect: number): void {
  for (const [what, v] of [
    ['cause', cause],
    ['effect', effect],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= d)
      throw new DagflowError('BAD_OPTION', `the ${what} must be a variable index in 0..${d - 1}, got ${v}`, { flag: `--${what}` });
  }
  if (cause === effect)
    throw new DagflowError(
      'BAD_OPTION',
      'the cause and the effect are the same variable',
      { flag: '--effect' },
      'pick two different variables',
    );
}

export function bgeTotalEffect(
  post: WeightedDags,
  bge: BgePosterior,
  cause: number,
  effect: number,
  options: EffectOptions = {},
): ContinuousEffect {
  const { d } = post;
  if (bge.d !== d) throw new DagflowError('INTERNAL', `the BGe posterior is over ${bge.d} variables, the DAGs over ${d}`);
  checkPair(d, cause, effect);
  const draws = options.draws ?? 20000;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  const families = new BgeFamilies(bge);
  const perDag = perDistinctDag(post, (pa) => dagEffect(pa, d, cause, effect, families));
  const est = estimateFeatures(post, 4, (k, out) => {
    const e = perDag[k]!;
    out[0] = e.mean;
    out[1] = e.mean * e.mean;
    out[2] = e.hasPath ? 0 : 1;
    out[3] = e.variance;
  });
  const mean = est.mean[0]!;
  const structuralVar = Math.max(0, est.mean[1]! - mean * mean);
  const parameterVar = est.mean[3]!;

  const means = Float64Array.from({ length: post.count }, (_, k) => perDag[k]?.mean ?? 0);
  const tail = (1 - level) / 2;
  const structuralInterval: [number, number] = [
    weightedQuantile(means, post.weights, tail),
    weightedQuantile(means, post.weights, 1 - tail),
  ];

  const values = new Float64Array(draws);
  const rng = new Rng(seed);
  const picks = systematicResample(post.weights, draws, rng);
  for (let s = 0; s < draws; s++) values[s] = drawDagEffect(parentsOfDag(post, picks[s]!), d, cause, effect, families, rng);
  const equal = new Float64Array(draws).fill(1 / draws);
  // The histogram shows the continuous part: draws at exactly 0 (no directed path) are the
  // point mass probabilityNoPath, which would otherwise flatten every other bar.
  const withPath = equal.map((w, s) => (values[s] === 0 ? 0 : w));
  const shareWithPath = withPath.reduce((a, w) => a + w, 0);
  const continuous = histogram(values, withPath, options.bins ?? 40);
  return {
    cause,
    effect,
    mean,
    sd: Math.sqrt(structuralVar + parameterVar),
    structuralSd: Math.sqrt(structuralVar),
    parameterSd: Math.sqrt(parameterVar),
    interval: [weightedQuantile(values, equal, tail), weightedQuantile(values, equal, 1 - tail)],
    structuralInterval,
    probabilityNoPath: est.mean[2]!,
    standardErrors: est.standardError
      ? { mean: est.standardError[0]!, probabilityNoPath: probabilityError(est.mean[2]!, est.standardError[2]!, est.effectiveSamples) }
      : null,
    histogram: { binEdges: continuous.binEdges, probability: continuous.probability.map((p) => p * shareWithPath) },
    draws,
    seed,
  };
}

/**
 * `count` indices drawn with probabilities `weights` by systematic resampling: one uniform,
 * evenly spaced positions, so DAG k gets ⌊count·w_k⌋ or ⌈count·w_k⌉ draws (less noise than
 * independent picks, same expectation).
 */
export function systematicResample(weights: ArrayLike<number>, count: number, rng: Rng): Int32Array {
  const out = new Int32Array(count);
  const u = rng.next();
  let cumulative = 0;
  let k = -1;
  for (let s = 0; s < count; s++) {
    const position = (s + u) / count;
    while (cumulative <= position && k < weights.length - 1) cumulative += weights[++k]!;
    out[s] = k;
  }
  return out;
}
