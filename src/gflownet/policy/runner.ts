/**
 * Runs the policy on states held in typed arrays and hands the log-probabilities back as
 * typed arrays (acting, sampling, the exact push-forward). Feature buffers are reused between
 * calls; every tensor is created and disposed inside one tidy, so nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { buildNodeFeatures, featureWidth, type StateBatch } from './features.ts';
import { policyLogProbs, type ParamLayout, type PolicyInputs } from './network.ts';

export interface LogProbs {
  /** (count) log P(stop | s). */
  logStop: Float32Array;
  /** (count × d²) log P(s + i→j | s); very negative where illegal. */
  logEdges: Float32Array;
}

export class PolicyRunner {
  private features = new Float32Array(0);
  private featuresT = new Float32Array(0);
  private hasEdge = new Float32Array(0);
  private mask = new Float32Array(0);

  constructor(readonly layout: ParamLayout) {}

  /**
   * Tensors for a batch of states. Call inside tf.tidy. `withTranspose` also uploads Xᵀ so
   * the first layer's weight gradient is a plain matmul.
   */
  inputs(states: StateBatch, withTranspose: boolean): PolicyInputs {
    const d = this.layout.d;
    const n = states.count;
    const width = featureWidth(d);
    const rows = n * d;
    if (this.features.length < rows * width) {
      this.features = new Float32Array(rows * width);
      this.featuresT = new Float32Array(rows * width);
    }
    if (this.hasEdge.length < n) this.hasEdge = new Float32Array(n);
    if (this.mask.length < n * d * d) this.mask = new Float32Array(n * d * d);
    const { features, hasEdge } = buildNodeFeatures(d, states, this.features, this.hasEdge);
    const mask = this.mask.subarray(0, n * d * d);
    for (let t = 0; t < n * d * d; t++) mask[t] = states.mask[t]!;
    let featuresT: tf.Tensor2D | undefined;
    if (withTranspose) {
      const xT = this.featuresT.subarray(0, rows * width);
      for (let r = 0; r < rows; r++) {
        const base = r * width;
        for (let c = 0; c < width; c++) xT[c * rows + r] = features[base + c]!;
      }
      featuresT = tf.tensor2d(xT, [width, rows]);
    }
    return {
      count: n,
      features: tf.tensor2d(features, [rows, width]),
      featuresT,
      mask: tf.tensor2d(mask, [n, d * d]),
      hasEdge: tf.tensor1d(hasEdge),
    };
  }

  /** Log-probabilities of every action in every state (no gradient), read back to the CPU. */
  logProbs(theta: tf.Tensor1D, states: StateBatch): LogProbs {
    return tf.tidy(() => {
      const out = policyLogProbs(theta, this.layout, this.inputs(states, false));
      return { logStop: out.logStop.dataSync() as Float32Array, logEdges: out.logEdges.dataSync() as Float32Array };
    });
  }
}
