/**
 * The policy network (docs/architecture.md §2, §5). Node-based; every parameter lives in ONE flat float32
 * vector, so Adam, the target copy and checkpoints each touch a single tensor. The forward
 * pass stops at the raw outputs (edge-head matrix and stop logit); the masked log-softmax,
 * the stop/edge split and the losses run on the CPU in float64 (policy/logProbs.ts), and the
 * backward pass is written out by hand with plain, untransposed 2-D matmuls on explicitly
 * transposed operands — the only kind the wasm backend sends to its fast kernel — which also
 * keeps the number of kernels per training step small.
 *
 *   h0 = relu(X·W0)                         X: node features (B·d × 7d+3), see features.ts
 *   h1 = relu(h0·W1 + b1)
 *   h2 = relu(h1·W2 + mean_v(h1)·W3 + b2)    per-node update with the pooled graph context
 *   E  = h2·Wo                              (B·d × 2d)
 *   logit(i→j) = E[b,i][j] + E[b,j][d+i]    sender state × receiver identity
 *                                           + receiver state × sender identity
 *   z (stop) = mean_v(h2)·ws + bs
 *   logZ (one scalar, used by trajectory balance)
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import { featureWidth } from './features.ts';

export interface PolicyShape {
  readonly d: number;
  readonly hidden: number;
}

export interface Block {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

export interface ParamLayout extends PolicyShape {
  readonly features: number;
  readonly W0: Block;
  readonly W1: Block;
  readonly b1: Block;
  readonly W2: Block;
  readonly W3: Block;
  readonly b2: Block;
  readonly Wo: Block;
  readonly ws: Block;
  readonly bs: Block;
  readonly logZ: Block;
  readonly size: number;
}

/** Where each weight lives in the flat vector. Size = (9d + 3)·H + 3H² + 3H + 2. */
export function paramLayout(shape: PolicyShape): ParamLayout {
  const { d, hidden: H } = shape;
  const F = featureWidth(d);
  let offset = 0;
  const block = (rows: number, cols: number): Block => {
    const b = { offset, rows, cols };
    offset += rows * cols;
    return b;
  };
  // The order here is the order of the gradient pieces in `policyBackward`.
  const W0 = block(F, H);
  const W1 = block(H, H);
  const b1 = block(1, H);
  const W2 = block(H, H);
  const W3 = block(H, H);
  const b2 = block(1, H);
  const Wo = block(H, 2 * d);
  const ws = block(H, 1);
  const bs = block(1, 1);
  const logZ = block(1, 1);
  return { d, hidden: H, features: F, W0, W1, b1, W2, W3, b2, Wo, ws, bs, logZ, size: offset };
}

export function parameterCount(shape: PolicyShape): number {
  return paramLayout(shape).size;
}

/** He-normal hidden layers; small edge head and a zero stop head (a near-uniform first policy). */
export function initialParameters(layout: ParamLayout, rng: Rng): Float32Array {
  const theta = new Float32Array(layout.size);
  const fill = (b: Block, scale: number): void => {
    for (let t = 0; t < b.rows * b.cols; t++) theta[b.offset + t] = rng.normal() * scale;
  };
  fill(layout.W0, Math.sqrt(2 / 8)); // a feature row has about 8 non-zero entries
  fill(layout.W1, Math.sqrt(2 / layout.hidden));
  fill(layout.W2, Math.sqrt(1 / layout.hidden));
  fill(layout.W3, Math.sqrt(1 / layout.hidden));
  fill(layout.Wo, 0.1 / Math.sqrt(layout.hidden));
  return theta;
}

export function weight(theta: tf.Tensor1D, b: Block): tf.Tensor2D {
  return theta.slice(b.offset, b.rows * b.cols).reshape([b.rows, b.cols]);
}

/** Activations kept for the backward pass (all tensors; dispose with the enclosing tidy). */
export interface ForwardCache {
  readonly states: number;
  readonly h0: tf.Tensor2D;
  readonly h1: tf.Tensor2D;
  readonly p1: tf.Tensor2D;
  readonly h2: tf.Tensor2D;
  readonly p2: tf.Tensor2D;
}

export interface ForwardOutput {
  /** (B·d × 2d) edge-head matrix; edge logits are assembled from it on the CPU. */
  readonly E: tf.Tensor2D;
  /** (B) stop logits. */
  readonly z: tf.Tensor1D;
  readonly cache: ForwardCache;
}

/** The forward pass over B states given their (B·d × F) feature matrix. Call inside tf.tidy. */
export function policyForward(theta: tf.Tensor1D, layout: ParamLayout, X: tf.Tensor2D, B: number): ForwardOutput {
  const { d, hidden: H } = layout;
  const h0 = tf.relu(tf.matMul(X, weight(theta, layout.W0))) as tf.Tensor2D;
  const h1 = tf.relu(tf.matMul(h0, weight(theta, layout.W1)).add(weight(theta, layout.b1))) as tf.Tensor2D;
  const p1 = tf.mean(h1.reshape([B, d, H]), 1) as tf.Tensor2D;
  const context = tf.matMul(p1, weight(theta, layout.W3)).add(weight(theta, layout.b2)).reshape([B, 1, H]);
  const h2 = tf.relu(tf.matMul(h1, weight(theta, layout.W2)).reshape([B, d, H]).add(context)).reshape([B * d, H]) as tf.Tensor2D;
  const p2 = tf.mean(h2.reshape([B, d, H]), 1) as tf.Tensor2D;
  const z = tf.matMul(p2, weight(theta, layout.ws)).add(weight(theta, layout.bs)).reshape([B]) as tf.Tensor1D;
  const E = tf.matMul(h2, weight(theta, layout.Wo)) as tf.Tensor2D;
  return { E, z, cache: { states: B, h0, h1, p1, h2, p2 } };
}

function firstRows(t: tf.Tensor2D, rows: number): tf.Tensor2D {
  return rows === t.shape[0] ? t : t.slice([0, 0], [rows, t.shape[1]]);
}

/**
 * The gradient of a loss with respect to θ, given ∂L/∂E (Bt·d × 2d) and ∂L/∂z (Bt) for the
 * first Bt states of a forward pass (the others — environments that only act — get no
 * gradient), Xᵀ for those states (F × Bt·d), and ∂L/∂logZ. Returns the flat gradient (P).
 */
export function policyBackward(
  theta: tf.Tensor1D,
  layout: ParamLayout,
  cache: ForwardCache,
  XT: tf.Tensor2D,
  dE: tf.Tensor2D,
  dz: tf.Tensor1D,
  dLogZ: number,
): tf.Tensor1D {
  const { d, hidden: H } = layout;
  const Bt = dz.shape[0];
  const rows = Bt * d;
  const h0 = firstRows(cache.h0, rows);
  const h1 = firstRows(cache.h1, rows);
  const h2 = firstRows(cache.h2, rows);
  const p1 = firstRows(cache.p1, Bt);
  const p2 = firstRows(cache.p2, Bt);
  const T = (x: tf.Tensor2D): tf.Tensor2D => tf.transpose(x) as tf.Tensor2D;
  const dz2 = dz.reshape([Bt, 1]) as tf.Tensor2D;

  const dWo = tf.matMul(T(h2), dE);
  const dws = tf.matMul(T(p2), dz2);
  const dbs = tf.sum(dz).reshape([1]);
  // ∂L/∂h2: from the edge head, and from the stop head through the mean over nodes.
  const fromStop = tf
    .matMul(dz2, T(weight(theta, layout.ws)))
    .div(d)
    .reshape([Bt, 1, H]);
  const dh2 = tf
    .matMul(dE, T(weight(theta, layout.Wo)))
    .reshape([Bt, d, H])
    .add(fromStop);
  const da2 = dh2.mul(tf.step(h2.reshape([Bt, d, H]))) as tf.Tensor3D;
  const da2Flat = da2.reshape([rows, H]) as tf.Tensor2D;
  const dContext = tf.sum(da2, 1) as tf.Tensor2D; // (Bt × H), also ∂L/∂b2 per state
  const dW2 = tf.matMul(T(h1), da2Flat);
  const dW3 = tf.matMul(T(p1), dContext);
  const db2 = tf.sum(dContext, 0);
  const dh1 = tf
    .matMul(da2Flat, T(weight(theta, layout.W2)))
    .reshape([Bt, d, H])
    .add(
      tf
        .matMul(dContext, T(weight(theta, layout.W3)))
        .div(d)
        .reshape([Bt, 1, H]),
    );
  const da1 = dh1.reshape([rows, H]).mul(tf.step(h1)) as tf.Tensor2D;
  const dW1 = tf.matMul(T(h0), da1);
  const db1 = tf.sum(da1, 0);
  const da0 = tf.matMul(da1, T(weight(theta, layout.W1))).mul(tf.step(h0)) as tf.Tensor2D;
  const dW0 = tf.matMul(XT, da0);
  const pieces = [dW0, dW1, db1, dW2, dW3, db2, dWo, dws, dbs, tf.tensor1d([dLogZ])];
  return tf.concat(pieces.map((p) => p.reshape([-1]))) as tf.Tensor1D;
}

/**
 * Matmul FLOPs of one forward pass over B states. A training step adds the backward pass,
 * about twice this for the trained states (weight and input gradients of each matmul).
 */
export function forwardFlops(shape: PolicyShape, B: number): number {
  const { d, hidden: H } = shape;
  const rows = B * d;
  return 2 * rows * featureWidth(d) * H + 2 * 2 * rows * H * H + 2 * B * H * H + 2 * rows * H * 2 * d + 2 * B * H;
}

/** Matmul FLOPs of the backward pass over B trained states. */
export function backwardFlops(shape: PolicyShape, B: number): number {
  const { d, hidden: H } = shape;
  const rows = B * d;
  // dW0 only (no input gradient for X); dW1/dh0, dW2/dh1, dW3/dh1-context, dWo/dh2, stop head.
  return 2 * rows * featureWidth(d) * H + 2 * 2 * 2 * rows * H * H + 2 * 2 * B * H * H + 2 * 2 * rows * H * 2 * d + 3 * 2 * B * H;
}
