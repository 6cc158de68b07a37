/**
 * From the network's raw outputs to log-probabilities, and back from loss gradients to output
 * gradients — on the CPU in float64 (docs/architecture.md §2, §5).
 *
 * The policy is a softmax over "stop" (logit z) and the legal edge additions (logits ℓ_ij,
 * optionally shifted by a known per-edge term, see shaping.ts). This is exactly the design's
 * stop/edge split, log P(stop) = log σ(z′) and log P(i→j) = log σ(−z′) + log_softmax(ℓ)_ij
 * with z′ = z − LSE(ℓ), written as one log-sum-exp so that logits of hundreds of nats (n = 500)
 * neither overflow nor lose the small differences. A state with no legal addition stops surely.
 */

/** Edge logit of i → j in state b from the (B·d × 2d) edge-head matrix E. */
export function edgeLogit(E: Float32Array, d: number, b: number, i: number, j: number): number {
  const w = 2 * d;
  return E[(b * d + i) * w + j]! + E[(b * d + j) * w + d + i]!;
}

/** log σ(z) = min(z, 0) − log1p(exp(−|z|)). */
export function logSigmoid(z: number): number {
  return Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
}

export interface StateLogProbs {
  /** (n) log P(stop | s). */
  logStop: Float64Array;
  /** (n·d²) log P(s + i→j | s); −Infinity where illegal. */
  logEdges: Float64Array;
}

/**
 * Logits of state b into `out` (d² entries, −Infinity where illegal); returns the log-sum-exp
 * over stop and the legal edges.
 */
function stateLogits(
  E: Float32Array,
  z: Float32Array,
  mask: Uint8Array,
  maskOffset: number,
  shift: Float64Array | undefined,
  d: number,
  b: number,
  out: Float64Array,
): number {
  const dd = d * d;
  let max = z[b]!;
  for (let a = 0; a < dd; a++) {
    if (!mask[maskOffset + a]) {
      out[a] = -Infinity;
      continue;
    }
    const l = edgeLogit(E, d, b, Math.floor(a / d), a % d) + (shift ? shift[maskOffset + a]! : 0);
    out[a] = l;
    if (l > max) max = l;
  }
  let sum = Math.exp(z[b]! - max);
  for (let a = 0; a < dd; a++) if (mask[maskOffset + a]) sum += Math.exp(out[a]! - max);
  return max + Math.log(sum);
}

/**
 * Log-probabilities of states `first .. first+count-1` of a forward pass. `mask` (and `shift`)
 * hold those states' d² entries, state `first` at offset 0.
 */
export function logProbsFromOutputs(
  E: Float32Array,
  z: Float32Array,
  mask: Uint8Array,
  d: number,
  first: number,
  count: number,
  shift?: Float64Array,
): StateLogProbs {
  const dd = d * d;
  const logStop = new Float64Array(count);
  const logEdges = new Float64Array(count * dd);
  const logits = new Float64Array(dd);
  for (let s = 0; s < count; s++) {
    const o = s * dd;
    let legal = 0;
    for (let a = 0; a < dd; a++) legal += mask[o + a]!;
    if (legal === 0) {
      logStop[s] = 0;
      logEdges.fill(-Infinity, o, o + dd);
      continue;
    }
    const lse = stateLogits(E, z, mask, o, shift, d, first + s, logits);
    logStop[s] = z[first + s]! - lse;
    for (let a = 0; a < dd; a++) logEdges[o + a] = logits[a]! - lse;
  }
  return { logStop, logEdges };
}

/**
 * Accumulates into dE (B·d × 2d) and dz (B) the gradient of
 *   stopCoef · log P(stop | s_b) + edgeCoef · log P(s_b + a | s_b)
 * for state b of a forward pass (a = −1 for no edge term). `mask`/`shift` hold that state's
 * d² entries at `maskOffset`. For a softmax, ∂/∂logit_k = c_k − (Σ c)·p_k.
 */
export function accumulateOutputGradient(
  E: Float32Array,
  z: Float32Array,
  mask: Uint8Array,
  maskOffset: number,
  shift: Float64Array | undefined,
  d: number,
  b: number,
  stopCoef: number,
  action: number,
  edgeCoef: number,
  dE: Float32Array,
  dz: Float32Array,
  scratch: Float64Array,
): void {
  const dd = d * d;
  let legal = 0;
  for (let a = 0; a < dd; a++) legal += mask[maskOffset + a]!;
  if (legal === 0) return; // stops with probability 1 whatever the outputs
  const lse = stateLogits(E, z, mask, maskOffset, shift, d, b, scratch);
  const total = stopCoef + (action >= 0 ? edgeCoef : 0);
  dz[b]! += stopCoef - total * Math.exp(z[b]! - lse);
  const w = 2 * d;
  for (let a = 0; a < dd; a++) {
    if (!mask[maskOffset + a]) continue;
    const grad = (a === action ? edgeCoef : 0) - total * Math.exp(scratch[a]! - lse);
    if (grad === 0) continue;
    const i = Math.floor(a / d);
    const j = a - i * d;
    dE[(b * d + i) * w + j]! += grad;
    dE[(b * d + j) * w + d + i]! += grad;
  }
}
