/**
 * The BGe posterior of one family (node j, parents P) as a Bayesian linear regression
 * (scores/bge.ts derives the local score from the same posterior):
 *
 *   σ_j² | D ~ InvGamma(a, b),  a = (N + α_w − d + |P| + 1)/2,  b = R_{j·P}/2,
 *   β_j | σ_j², D ~ N(R[P,P]⁻¹ R[P,j], σ_j² R[P,P]⁻¹),
 *
 * with R_{j·P} = R[j,j] − R[j,P] R[P,P]⁻¹ R[P,j]. Families are independent a posteriori
 * (parameter independence), which is what makes the mean total effect a closed form.
 */
import { DagflowError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { BgePosterior } from '../scores/bge.ts';

export interface BgeFamily {
  node: number;
  parents: number[];
  /** Posterior mean of the coefficients, one per parent. */
  mean: Float64Array;
  /** E[β βᵀ] = Cov + mean meanᵀ, k×k row-major. */
  secondMoment: Float64Array;
  /** Lower Cholesky factor of R[P,P], k×k row-major. */
  cholesky: Float64Array;
  shape: number;
  rate: number;
}

export function bgeFamily(post: BgePosterior, node: number, parents: readonly number[]): BgeFamily {
  const { d } = post;
  const stats = post.perNode[node]!;
  const r = stats.r;
  const k = parents.length;
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = r[parents[i]! * d + parents[j]!]!;
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      if (i === j) {
        if (!(s > 0))
          throw new DagflowError('INTERNAL', `the BGe posterior matrix is not positive definite on the parents of node ${node}`);
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j]!;
    }
  }
  const rhs = Float64Array.from(parents, (p) => r[p * d + node]!);
  const mean = choleskySolve(L, k, rhs);
  let residual = r[node * d + node]!;
  for (let i = 0; i < k; i++) residual -= rhs[i]! * mean[i]!;
  const shape = (stats.n + post.alphaW - d + k + 1) / 2;
  const rate = residual / 2;
  // E[σ²] = b/(a − 1) (a > 1 whenever N ≥ 1); Cov(β) = E[σ²] R[P,P]⁻¹.
  const expectedVariance = rate / (shape - 1);
  const inverse = choleskyInverse(L, k);
  const secondMoment = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) secondMoment[i * k + j] = expectedVariance * inverse[i * k + j]! + mean[i]! * mean[j]!;
  return { node, parents: [...parents], mean, secondMoment, cholesky: L, shape, rate };
}

/** One draw of the coefficients from their posterior: σ² = b/G with G ~ Gamma(a, 1), β = mean + σ L⁻ᵀ z. */
export function drawCoefficients(f: BgeFamily, rng: Rng, out: Float64Array = new Float64Array(f.parents.length)): Float64Array {
  const k = f.parents.length;
  if (k === 0) return out;
  const sigma = Math.sqrt(f.rate / rng.gamma(f.shape));
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) z[i] = rng.normal();
  // Back substitution Lᵀ y = z gives y ~ N(0, (L Lᵀ)⁻¹) = N(0, R[P,P]⁻¹).
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= f.cholesky[m * k + i]! * z[m]!;
    z[i] = s / f.cholesky[i * k + i]!;
  }
  for (let i = 0; i < k; i++) out[i] = f.mean[i]! + sigma * z[i]!;
  return out;
}

function choleskySolve(L: Float64Array, k: number, b: Float64Array): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < k; i++) {
    let s = y[i]!;
    for (let m = 0; m < i; m++) s -= L[i * k + m]! * y[m]!;
    y[i] = s / L[i * k + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let m = i + 1; m < k; m++) s -= L[m * k + i]! * y[m]!;
    y[i] = s / L[i * k + i]!;
  }
  return y;
}

function choleskyInverse(L: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  const e = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(L, k, e);
    for (let i = 0; i < k; i++) out[i * k + c] = col[i]!;
  }
  return out;
}
