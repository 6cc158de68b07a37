/**
 * The layered GFlowNet's network: a three-layer perceptron from a state's features to the
 * logits of its d + 1 actions (add node v, close the layer). A state is a few sets of nodes
 * plus each candidate's contribution, so a plain MLP suffices. Like the edge network, every
 * weight lives in one flat float32 vector, so Adam, checkpoints and resumes touch one tensor;
 * tfjs differentiates the forward pass (it is small enough not to need a hand-written one).
 *
 *   h1 = relu(X·W1 + b1),  h2 = relu(h1·W2 + b2),  logits = h2·W3 + b3     (d + 1 columns)
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng.ts';
import { layerFeatureWidth } from './layerEnv.ts';

export interface LayerNetworkShape {
  readonly d: number;
  readonly hidden: number;
}

interface Block {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

export interface LayerLayout extends LayerNetworkShape {
  readonly W1: Block;
  readonly b1: Block;
  readonly W2: Block;
  readonly b2: Block;
  readonly W3: Block;
  readonly b3: Block;
  readonly size: number;
}

export function layerLayout(shape: LayerNetworkShape): LayerLayout {
  const F = layerFeatureWidth(shape.d);
  const H = shape.hidden;
  let offset = 0;
  const block = (rows: number, cols: number): Block => {
    const b = { offset, rows, cols };
    offset += rows * cols;
    return b;
  };
  const W1 = block(F, H);
  const b1 = block(1, H);
  const W2 = block(H, H);
  const b2 = block(1, H);
  const W3 = block(H, shape.d + 1);
  const b3 = block(1, shape.d + 1);
  return { ...shape, W1, b1, W2, b2, W3, b3, size: offset };
}

/** He-normal hidden layers and a near-zero output layer: the first policy is uniform over legal actions. */
export function initialLayerParameters(layout: LayerLayout, rng: Rng): Float32Array {
  const theta = new Float32Array(layout.size);
  const fill = (b: Block, scale: number): void => {
    for (let t = 0; t < b.rows * b.cols; t++) theta[b.offset + t] = rng.normal() * scale;
  };
  fill(layout.W1, Math.sqrt(2 / (4 * layout.d)));
  fill(layout.W2, Math.sqrt(2 / layout.hidden));
  fill(layout.W3, 0.01 / Math.sqrt(layout.hidden));
  return theta;
}

function weight(theta: tf.Tensor1D, b: Block): tf.Tensor2D {
  return theta.slice(b.offset, b.rows * b.cols).reshape([b.rows, b.cols]);
}

/** (N × F) features → (N × (d + 1)) logits before masking. Call inside tf.tidy. */
export function layerForward(theta: tf.Tensor1D, layout: LayerLayout, X: tf.Tensor2D): tf.Tensor2D {
  const h1 = tf.relu(tf.matMul(X, weight(theta, layout.W1)).add(weight(theta, layout.b1)));
  const h2 = tf.relu(tf.matMul(h1, weight(theta, layout.W2)).add(weight(theta, layout.b2)));
  return tf.matMul(h2, weight(theta, layout.W3)).add(weight(theta, layout.b3)) as tf.Tensor2D;
}

/** What the backward pass needs from a forward pass: its input and pre-activations. */
export interface LayerForwardCache {
  readonly X: tf.Tensor2D;
  readonly Z1: tf.Tensor2D;
  readonly Z2: tf.Tensor2D;
  readonly logits: tf.Tensor2D;
}

/** The forward pass, keeping what layerGradient needs. Call inside tf.tidy. */
export function layerForwardCached(theta: tf.Tensor1D, layout: LayerLayout, X: tf.Tensor2D): LayerForwardCache {
  const Z1 = tf.matMul(X, weight(theta, layout.W1)).add(weight(theta, layout.b1)) as tf.Tensor2D;
  const Z2 = tf.matMul(tf.relu(Z1), weight(theta, layout.W2)).add(weight(theta, layout.b2)) as tf.Tensor2D;
  const logits = tf.matMul(tf.relu(Z2), weight(theta, layout.W3)).add(weight(theta, layout.b3)) as tf.Tensor2D;
  return { X, Z1, Z2, logits };
}

/**
 * The gradient of Σ logits ⊙ G with respect to θ (flat, in layout order), written out: every
 * product is an untransposed matmul of explicitly transposed operands, the only kind the wasm
 * backend sends to XNNPACK (tf.grad's transposed matmuls take a slow path; at d = 37 they were
 * about half of the training time). Call inside tf.tidy.
 */
export function layerGradient(theta: tf.Tensor1D, layout: LayerLayout, cache: LayerForwardCache, G: tf.Tensor2D): tf.Tensor1D {
  const H1 = tf.relu(cache.Z1);
  const H2 = tf.relu(cache.Z2);
  const dW3 = tf.matMul(tf.transpose(H2), G);
  const db3 = tf.sum(G, 0);
  const dZ2 = tf.matMul(G, tf.transpose(weight(theta, layout.W3))).mul(tf.step(cache.Z2)) as tf.Tensor2D;
  const dW2 = tf.matMul(tf.transpose(H1), dZ2);
  const db2 = tf.sum(dZ2, 0);
  const dZ1 = tf.matMul(dZ2, tf.transpose(weight(theta, layout.W2))).mul(tf.step(cache.Z1)) as tf.Tensor2D;
  const dW1 = tf.matMul(tf.transpose(cache.X), dZ1);
  const db1 = tf.sum(dZ1, 0);
  return tf.concat([dW1, db1, dW2, db2, dW3, db3].map((t) => t.reshape([-1]))) as tf.Tensor1D;
}
