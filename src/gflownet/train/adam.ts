/**
 * Adam on the single flat parameter vector: a handful of kernels per step instead of a dozen
 * per weight matrix (docs/architecture.md §5), and a state (m, v, t) that is trivial to checkpoint.
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
}

export class FlatAdam {
  readonly m: tf.Variable<tf.Rank.R1>;
  readonly v: tf.Variable<tf.Rank.R1>;
  t = 0;

  constructor(
    size: number,
    readonly config: AdamConfig,
  ) {
    this.m = variableFrom(new Float32Array(size), false);
    this.v = variableFrom(new Float32Array(size), false);
  }

  /** θ ← θ − lr · m̂ / (√v̂ + ε). Disposes nothing it does not own. */
  apply(theta: tf.Variable<tf.Rank.R1>, grad: tf.Tensor1D, lr: number): void {
    this.t++;
    const { beta1, beta2, epsilon } = this.config;
    const step = (lr * Math.sqrt(1 - Math.pow(beta2, this.t))) / (1 - Math.pow(beta1, this.t));
    tf.tidy(() => {
      const m = this.m.mul(beta1).add(grad.mul(1 - beta1));
      const v = this.v.mul(beta2).add(grad.square().mul(1 - beta2));
      this.m.assign(m as tf.Tensor1D);
      this.v.assign(v as tf.Tensor1D);
      theta.assign(theta.sub(m.mul(step).div(v.sqrt().add(epsilon))) as tf.Tensor1D);
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

/** A 1-D variable holding a copy of `values` (the temporary tensor is released at once). */
export function variableFrom(values: Float32Array, trainable: boolean): tf.Variable<tf.Rank.R1> {
  return tf.tidy(() => tf.variable(tf.tensor1d(values), trainable) as tf.Variable<tf.Rank.R1>);
}
