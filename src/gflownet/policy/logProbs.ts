/**
 * From the network's raw outputs to log-probabilities, and back from loss gradients to output
 * gradients — on the CPU in float64 (DESIGN §2, §5). Edge logits are masked to the legal
 * additions; log P(stop) = log σ(z) and log P(i→j) = log σ(−z) + log_softmax(logits)_ij, both
 * in overflow-free forms, so rewards of hundreds of nats (n = 500) cannot produce NaN. A state
 * with no legal addition stops with probability 1.
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
 * Log-probabilities of states `first .. first+count-1` of a forward pass. `mask` holds the
 * legal additions of those states (count·d² entries, state 0 at offset 0). `stopOnly` skips
 * the edges (E may then be empty).
 */
export function logProbsFromOutputs(E: Float32Array, z: Float32Array, mask: Uint8Array, d: number, first: number, count: number, stopOnly = false): StateLogProbs {
  const dd = d * d;
  const logStop = new Float64Array(count);
  const logEdges = new Float64Array(stopOnly ? 0 : count * dd).fill(-Infinity);
  for (let s = 0; s < count; s++) {
    if (stopOnly) {
      let legal = 0;
      for (let a = 0; a < dd && !legal; a++) legal = mask[s * dd + a]!;
      logStop[s] = legal ? logSigmoid(z[first + s]!) : 0;
      continue;
    }
    const b = first + s;
    const o = s * dd;
    let max = -Infinity;
    for (let a = 0; a < dd; a++) {
      if (!mask[o + a]) continue;
      const l = edgeLogit(E, d, b, Math.floor(a / d), a % d);
      logEdges[o + a] = l;
      if (l > max) max = l;
    }
    if (max === -Infinity) {
      logStop[s] = 0;
      continue;
    }
    let sum = 0;
    for (let a = 0; a < dd; a++) if (mask[o + a]) sum += Math.exp(logEdges[o + a]! - max);
    const zb = z[b]!;
    const logNorm = max + Math.log(sum) - logSigmoid(-zb);
    logStop[s] = logSigmoid(zb);
    for (let a = 0; a < dd; a++) if (mask[o + a]) logEdges[o + a]! -= logNorm;
  }
  return { logStop, logEdges };
}

/**
 * Accumulates into dE (B·d × 2d) and dz (B) the gradient of
 *   stopCoef · log P(stop | s_b) + edgeCoef · log P(s_b + a | s_b)
 * for state b of a forward pass (a = −1 for no edge term). `mask` is that state's d² mask.
 */
export function accumulateOutputGradient(
  E: Float32Array,
  z: Float32Array,
  mask: Uint8Array,
  maskOffset: number,
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
  let max = -Infinity;
  for (let a = 0; a < dd; a++) {
    if (!mask[maskOffset + a]) continue;
    const l = edgeLogit(E, d, b, Math.floor(a / d), a % d);
    scratch[a] = l;
    if (l > max) max = l;
  }
  const zb = z[b]!;
  const sigNeg = Math.exp(logSigmoid(-zb)); // σ(−z)
  const sigPos = Math.exp(logSigmoid(zb)); // σ(z)
  let g = 0;
  if (max !== -Infinity) g += stopCoef * sigNeg; // ∂ log σ(z)/∂z = σ(−z); a state without legal edges stops surely (no gradient)
  if (action >= 0 && edgeCoef !== 0) {
    g -= edgeCoef * sigPos; // ∂ log σ(−z)/∂z = −σ(z)
    let sum = 0;
    for (let a = 0; a < dd; a++) if (mask[maskOffset + a]) sum += Math.exp(scratch[a]! - max);
    const w = 2 * d;
    for (let a = 0; a < dd; a++) {
      if (!mask[maskOffset + a]) continue;
      const grad = edgeCoef * ((a === action ? 1 : 0) - Math.exp(scratch[a]! - max) / sum);
      if (grad === 0) continue;
      const i = Math.floor(a / d);
      const j = a - i * d;
      dE[(b * d + i) * w + j]! += grad;
      dE[(b * d + j) * w + d + i]! += grad;
    }
  }
  dz[b]! += g;
}
