/**
 * Random network distillation (Burda et al. 2019), the novelty measure of augmented flows: a
 * fixed, randomly initialised network f maps a DAG to a vector, a second network f̂ of the same
 * shape is trained to predict it on the states the sampler visits, and the novelty of a state is
 * the prediction error mean_k (f(s)_k − f̂(s)_k)². States seen often are predicted well (small
 * novelty); states unlike any seen keep the error of the untrained predictor (about 1: the
 * target's outputs have unit variance and the predictor's output layer starts at zero).
 *
 * Both are two-layer perceptrons on the ±1 off-diagonal entries of the adjacency matrix, small
 * enough to run on the CPU in float64 next to the policy (a few thousand multiply-adds per
 * state). Everything is seeded; `snapshot`/`restore` carry the weights and the predictor's
 * Adam state, so a resumed run continues exactly.
 */
import type { Rng } from '../../core/rng.ts';
import type { StateBatch } from '../../policy/features.ts';

/** Width of the hidden layer and of the output of both networks. */
export const RND_HIDDEN = 32;
export const RND_OUTPUT = 16;
/** Adam step size of the predictor (one step per training iteration). */
export const RND_LEARNING_RATE = 1e-3;
const LEAK = 0.1;

export interface RndSnapshot {
  d: number;
  /** Target then predictor, each [W1 (m×H), b1 (H), W2 (H×K)]. */
  target: Float64Array;
  predictor: Float64Array;
  adamM: Float64Array;
  adamV: Float64Array;
  adamT: number;
}

/** Parameters of one network: W1 (m × H), b1 (H), W2 (H × K), flat. */
function parameterCount(m: number): number {
  return m * RND_HIDDEN + RND_HIDDEN + RND_HIDDEN * RND_OUTPUT;
}

export class RandomNetworkDistillation {
  /** Inputs per state: the d(d − 1) off-diagonal adjacency entries. */
  readonly inputs: number;
  private readonly target: Float64Array;
  private readonly predictor: Float64Array;
  private readonly adamM: Float64Array;
  private readonly adamV: Float64Array;
  private adamT = 0;

  constructor(
    readonly d: number,
    rng: Rng,
  ) {
    const m = d * (d - 1);
    this.inputs = m;
    const size = parameterCount(m);
    this.target = new Float64Array(size);
    this.predictor = new Float64Array(size);
    const H = RND_HIDDEN;
    // Target: unit-variance outputs (He-like scales for the leaky ReLU); predictor: same first layer scale, zero output layer.
    for (let t = 0; t < m * H; t++) this.target[t] = rng.normal() / Math.sqrt(m);
    for (let t = 0; t < H; t++) this.target[m * H + t] = rng.normal() * 0.5;
    for (let t = 0; t < H * RND_OUTPUT; t++) this.target[m * H + H + t] = (rng.normal() * Math.sqrt(2)) / Math.sqrt(H);
    for (let t = 0; t < m * H; t++) this.predictor[t] = rng.normal() / Math.sqrt(m);
    this.adamM = new Float64Array(size);
    this.adamV = new Float64Array(size);
  }

  /** The ±1 input vector of state b. */
  private input(states: StateBatch, b: number, x: Float64Array): void {
    const d = this.d;
    let k = 0;
    const o = b * d * d;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) x[k++] = states.adjacency[o + i * d + j] ? 1 : -1;
  }

  /** Hidden pre-activations and outputs of one network for input x. */
  private forward(w: Float64Array, x: Float64Array, pre: Float64Array, out: Float64Array): void {
    const m = this.inputs;
    const H = RND_HIDDEN;
    const K = RND_OUTPUT;
    for (let h = 0; h < H; h++) pre[h] = w[m * H + h]!;
    for (let i = 0; i < m; i++) {
      const xi = x[i]!;
      const row = i * H;
      for (let h = 0; h < H; h++) pre[h]! += xi * w[row + h]!;
    }
    out.fill(0);
    const o2 = m * H + H;
    for (let h = 0; h < H; h++) {
      const a = pre[h]! > 0 ? pre[h]! : LEAK * pre[h]!;
      const row = o2 + h * K;
      for (let k = 0; k < K; k++) out[k]! += a * w[row + k]!;
    }
  }

  /** Novelty of every state of the batch: mean squared prediction error. */
  novelty(states: StateBatch, first = 0, count = states.count - first): Float64Array {
    const x = new Float64Array(this.inputs);
    const pre = new Float64Array(RND_HIDDEN);
    const y = new Float64Array(RND_OUTPUT);
    const yHat = new Float64Array(RND_OUTPUT);
    const out = new Float64Array(count);
    for (let n = 0; n < count; n++) {
      this.input(states, first + n, x);
      this.forward(this.target, x, pre, y);
      this.forward(this.predictor, x, pre, yHat);
      let e = 0;
      for (let k = 0; k < RND_OUTPUT; k++) e += (y[k]! - yHat[k]!) ** 2;
      out[n] = e / RND_OUTPUT;
    }
    return out;
  }

  /** One Adam step of the predictor on the mean novelty of `count` states from `first`; returns that mean before the step. */
  train(states: StateBatch, first = 0, count = states.count - first): number {
    const m = this.inputs;
    const H = RND_HIDDEN;
    const K = RND_OUTPUT;
    const w = this.predictor;
    const grad = new Float64Array(w.length);
    const x = new Float64Array(m);
    const pre = new Float64Array(H);
    const y = new Float64Array(K);
    const yHat = new Float64Array(K);
    const dOut = new Float64Array(K);
    const o2 = m * H + H;
    let loss = 0;
    for (let n = 0; n < count; n++) {
      this.input(states, first + n, x);
      this.forward(this.target, x, pre, y);
      this.forward(w, x, pre, yHat);
      for (let k = 0; k < K; k++) {
        const e = yHat[k]! - y[k]!;
        loss += (e * e) / (K * count);
        dOut[k] = (2 * e) / (K * count);
      }
      for (let h = 0; h < H; h++) {
        const p = pre[h]!;
        const a = p > 0 ? p : LEAK * p;
        const row = o2 + h * K;
        let dA = 0;
        for (let k = 0; k < K; k++) {
          grad[row + k]! += a * dOut[k]!;
          dA += w[row + k]! * dOut[k]!;
        }
        const dPre = dA * (p > 0 ? 1 : LEAK);
        if (dPre === 0) continue;
        grad[m * H + h]! += dPre;
        for (let i = 0; i < m; i++) grad[i * H + h]! += x[i]! * dPre;
      }
    }
    this.adamStep(grad);
    return loss;
  }

  private adamStep(grad: Float64Array): void {
    const b1 = 0.9;
    const b2 = 0.999;
    this.adamT++;
    const step = (RND_LEARNING_RATE * Math.sqrt(1 - Math.pow(b2, this.adamT))) / (1 - Math.pow(b1, this.adamT));
    const w = this.predictor;
    for (let t = 0; t < w.length; t++) {
      const g = grad[t]!;
      const m = (this.adamM[t] = b1 * this.adamM[t]! + (1 - b1) * g);
      const v = (this.adamV[t] = b2 * this.adamV[t]! + (1 - b2) * g * g);
      w[t]! -= (step * m) / (Math.sqrt(v) + 1e-8);
    }
  }

  snapshot(): RndSnapshot {
    return {
      d: this.d,
      target: this.target.slice(),
      predictor: this.predictor.slice(),
      adamM: this.adamM.slice(),
      adamV: this.adamV.slice(),
      adamT: this.adamT,
    };
  }

  restore(s: RndSnapshot): void {
    if (s.d !== this.d || s.predictor.length !== this.predictor.length) throw new Error('RND snapshot does not match this problem');
    this.target.set(s.target);
    this.predictor.set(s.predictor);
    this.adamM.set(s.adamM);
    this.adamV.set(s.adamV);
    this.adamT = s.adamT;
  }
}
