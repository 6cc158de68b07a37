/**
 * The layered GFlowNet's training objective: the negative log-likelihood −mean log π(a_t | s_t)
 * of the paths of layerings drawn from the target (a partition-MCMC chain, which samples
 * Λ ∝ S(Λ)). Each layering has one path, so the state graph is a tree: there the balance
 * conditions (trajectory balance: Z · P_F(τ) = S(Λ)) have the same unique solution as this
 * objective's minimiser, P_F(τ(Λ)) = S(Λ)/Z. Unlike the balance losses, its gradient
 * (π − 1[a = a_t] per state) stays bounded however far the policy is from the target, which is
 * what made it learn where sub-trajectory balance did not (docs/gflownet.md). The gradient
 * with respect to the logits is computed here on the CPU in float64; the trainer feeds it to
 * tfjs for the weights.
 */
import { layerLogProbs, type LayerPath } from './layerRollout.ts';

export interface LayerLossGradient {
  loss: number;
  /** (Σ T) × (d + 1): d(loss)/d(logits) for every state of the paths, in order. */
  dLogits: Float32Array;
}

export function layerLikelihoodGradient(paths: readonly LayerPath[], logits: Float32Array, d: number): LayerLossGradient {
  let rows = 0;
  for (const p of paths) rows += p.length;
  const dLogits = new Float32Array(rows * (d + 1));
  const lp = new Float64Array(d + 1);
  let loss = 0;
  let row = 0;
  for (const p of paths) {
    for (let s = 0; s < p.length; s++, row++) {
      layerLogProbs(logits, row * (d + 1), p.legal, s * (d + 1), d, lp);
      const taken = p.actions[s]!;
      loss -= lp[taken]!;
      for (let a = 0; a <= d; a++) if (lp[a]! > -Infinity) dLogits[row * (d + 1) + a] = (Math.exp(lp[a]!) - (a === taken ? 1 : 0)) / rows;
    }
  }
  return { loss: rows > 0 ? loss / rows : 0, dLogits };
}
