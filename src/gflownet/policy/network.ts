/**
 * The policy network (DESIGN §2, §5): node-based, every parameter in ONE flat float32 vector
 * so that Adam, the target copy and checkpoints each touch a single tensor, and every matmul a
 * plain 2-D one whose backward pass is also written as plain 2-D matmuls (custom gradients;
 * the wasm backend sends only untransposed 2-D matmuls to its fast kernel).
 *
 *   h0 = relu(X·W0)                          X: node features (B·d × 7d+3), see features.ts
 *   h1 = relu(h0·W1 + b1)
 *   h2 = relu(h1·W2 + mean_v(h1)·W3 + b2)     per-node update with the pooled graph context
 *   logit(i→j) = (h2·Wout)[b,i][j] + (h2·Win)[b,j][i]   sender state × receiver identity
 *                                                        + receiver state × sender identity
 *   z (stop)  = mean_v(h2)·ws + bs
 *   logZ      (a single scalar, used by trajectory balance)
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import { featureWidth } from './features.ts';

export interface PolicyShape {
  readonly d: number;
  readonly hidden: number;
}

interface Block {
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
  readonly Wout: Block;
  readonly Win: Block;
  readonly ws: Block;
  readonly bs: Block;
  readonly logZ: Block;
  readonly size: number;
}

/** Where each weight lives in the flat vector. Size = (9d+3)·H + 3H² + 3H + 2. */
export function paramLayout(shape: PolicyShape): ParamLayout {
  const { d, hidden: H } = shape;
  const F = featureWidth(d);
  let offset = 0;
  const block = (rows: number, cols: number): Block => {
    const b = { offset, rows, cols };
    offset += rows * cols;
    return b;
  };
  const W0 = block(F, H);
  const W1 = block(H, H);
  const b1 = block(1, H);
  const W2 = block(H, H);
  const W3 = block(H, H);
  const b2 = block(1, H);
  const Wout = block(H, d);
  const Win = block(H, d);
  const ws = block(H, 1);
  const bs = block(1, 1);
  const logZ = block(1, 1);
  return { d, hidden: H, features: F, W0, W1, b1, W2, W3, b2, Wout, Win, ws, bs, logZ, size: offset };
}

export function parameterCount(shape: PolicyShape): number {
  return paramLayout(shape).size;
}

/** He-normal hidden layers; small edge heads and a zero stop head (a near-uniform first policy). */
export function initialParameters(layout: ParamLayout, rng: Rng): Float32Array {
  const theta = new Float32Array(layout.size);
  const fill = (b: Block, scale: number): void => {
    for (let t = 0; t < b.rows * b.cols; t++) theta[b.offset + t] = rng.normal() * scale;
  };
  fill(layout.W0, Math.sqrt(2 / 8)); // X rows have about 8 active entries (self, bias, a few relations)
  fill(layout.W1, Math.sqrt(2 / layout.hidden));
  fill(layout.W2, Math.sqrt(1 / layout.hidden));
  fill(layout.W3, Math.sqrt(1 / layout.hidden));
  fill(layout.Wout, 0.1 / Math.sqrt(layout.hidden));
  fill(layout.Win, 0.1 / Math.sqrt(layout.hidden));
  return theta;
}

function view(theta: tf.Tensor1D, b: Block): tf.Tensor2D {
  return theta.slice(b.offset, b.rows * b.cols).reshape([b.rows, b.cols]);
}

/** x·W whose gradients are plain untransposed 2-D matmuls on explicitly transposed operands. */
const dense = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, ws.transpose()), tf.matMul(xs.transpose(), dy as tf.Tensor2D)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** X·W for a constant input X (no gradient to X), given Xᵀ precomputed on the CPU side. */
function denseConstInput(x: tf.Tensor2D, xT: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad(((wIn: tf.Tensor) => ({
    value: tf.matMul(x, wIn as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor) => [tf.matMul(xT, dy as tf.Tensor2D)],
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (w: tf.Tensor2D) => tf.Tensor2D;
  return f(w);
}

/** Network inputs for B states, as tensors. `features` is (B·d × F) and `featuresT` its transpose. */
export interface PolicyInputs {
  readonly count: number;
  readonly features: tf.Tensor2D;
  readonly featuresT?: tf.Tensor2D;
  /** (B × d²) 1 where an edge may be added. */
  readonly mask: tf.Tensor2D;
  /** (B) 1 when the state has at least one legal edge. */
  readonly hasEdge: tf.Tensor1D;
}

export interface PolicyOutputs {
  /** (B) log P(stop | s); exactly 0 in a state with no legal edge. */
  readonly logStop: tf.Tensor1D;
  /** (B × d²) log P(s + i→j | s); about −1e9 where illegal. */
  readonly logEdges: tf.Tensor2D;
}

/** Raw logits: (B × d²) edge logits and (B) stop logits. */
export function policyLogits(theta: tf.Tensor1D, layout: ParamLayout, inputs: PolicyInputs): { edge: tf.Tensor2D; stop: tf.Tensor1D } {
  const { d, hidden: H } = layout;
  const B = inputs.count;
  const x = inputs.features;
  const w0 = view(theta, layout.W0);
  const h0 = (inputs.featuresT ? denseConstInput(x, inputs.featuresT, w0) : tf.matMul(x, w0)).relu() as tf.Tensor2D;
  const h1 = dense(h0, view(theta, layout.W1)).add(view(theta, layout.b1)).relu() as tf.Tensor2D;
  const pooled1 = h1.reshape([B, d, H]).mean(1) as tf.Tensor2D;
  const context = dense(pooled1, view(theta, layout.W3)).reshape([B, 1, H]);
  const h2 = dense(h1, view(theta, layout.W2)).reshape([B, d, H]).add(context).reshape([B * d, H]).add(view(theta, layout.b2)).relu() as tf.Tensor2D;
  const sender = dense(h2, view(theta, layout.Wout)).reshape([B, d, d]);
  const receiver = dense(h2, view(theta, layout.Win)).reshape([B, d, d]).transpose([0, 2, 1]);
  const edge = sender.add(receiver).reshape([B, d * d]) as tf.Tensor2D;
  const pooled2 = h2.reshape([B, d, H]).mean(1) as tf.Tensor2D;
  const stop = dense(pooled2, view(theta, layout.ws)).add(view(theta, layout.bs)).reshape([B]) as tf.Tensor1D;
  return { edge, stop };
}

/** log σ(z) without overflow: min(z, 0) − log1p(exp(−|z|)). */
export function logSigmoidStable(z: tf.Tensor): tf.Tensor {
  return tf.minimum(z, 0).sub(tf.log1p(tf.exp(tf.abs(z).neg())));
}

/** Masked log-probabilities with the stop/edge split (DESIGN §2). */
export function policyLogProbs(theta: tf.Tensor1D, layout: ParamLayout, inputs: PolicyInputs): PolicyOutputs {
  const { edge, stop } = policyLogits(theta, layout, inputs);
  const masked = edge.add(inputs.mask.sub(1).mul(1e9));
  const logSoftmax = masked.sub(masked.logSumExp(1, true));
  const logStop = logSigmoidStable(stop).mul(inputs.hasEdge) as tf.Tensor1D;
  const logContinue = logSigmoidStable(stop.neg()).reshape([inputs.count, 1]);
  const logEdges = logSoftmax.add(logContinue) as tf.Tensor2D;
  return { logStop, logEdges };
}

/** log P(stop | s) alone (the target network in modified detailed balance needs nothing else). */
export function policyLogStop(theta: tf.Tensor1D, layout: ParamLayout, inputs: PolicyInputs): tf.Tensor1D {
  const { d, hidden: H } = layout;
  const B = inputs.count;
  const h0 = tf.matMul(inputs.features, view(theta, layout.W0)).relu() as tf.Tensor2D;
  const h1 = tf.matMul(h0, view(theta, layout.W1)).add(view(theta, layout.b1)).relu() as tf.Tensor2D;
  const pooled1 = h1.reshape([B, d, H]).mean(1) as tf.Tensor2D;
  const context = tf.matMul(pooled1, view(theta, layout.W3)).reshape([B, 1, H]);
  const h2 = tf.matMul(h1, view(theta, layout.W2)).reshape([B, d, H]).add(context).add(view(theta, layout.b2).reshape([1, 1, H])).relu();
  const stop = tf.matMul(h2.mean(1) as tf.Tensor2D, view(theta, layout.ws)).add(view(theta, layout.bs)).reshape([B]);
  return logSigmoidStable(stop).mul(inputs.hasEdge) as tf.Tensor1D;
}

/**
 * Matmul FLOPs of one forward pass over B states (the backward pass of a trained batch costs
 * twice this again: the input and the weight gradient of every matmul except the first).
 */
export function forwardFlops(shape: PolicyShape, B: number): number {
  const { d, hidden: H } = shape;
  const rows = B * d;
  return 2 * rows * featureWidth(d) * H + 2 * 2 * rows * H * H + 2 * B * H * H + 2 * 2 * rows * H * d + 2 * B * H;
}
