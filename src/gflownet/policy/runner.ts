/**
 * Uploads batches of states (typed arrays) to tfjs as feature matrices and runs the policy on
 * them, handing log-probabilities back as float64 typed arrays (acting, sampling, the exact
 * push-forward). Feature buffers are reused between calls; all tensors live inside a tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { buildNodeFeatures, featureWidth, type StateBatch } from './features.ts';
import { logProbsFromOutputs, type StateLogProbs } from './logProbs.ts';
import { policyForward, type ParamLayout } from './network.ts';
import type { RewardShaping } from './shaping.ts';

export interface UploadedStates {
  /** States in all batches together. */
  readonly count: number;
  /** (count·d × F). */
  readonly X: tf.Tensor2D;
  /** (F × count₀·d): the transpose for the first batch only (the trained states). */
  readonly XT?: tf.Tensor2D;
}

export class PolicyRunner {
  private features = new Float32Array(0);
  private featuresT = new Float32Array(0);

  constructor(
    readonly layout: ParamLayout,
    /** Offsets of the edge logits (reward shaping), when the policy was trained with them. */
    readonly shaping?: RewardShaping,
  ) {}

  /** The edge-logit offsets for a batch of states, or undefined without shaping. */
  shiftFor(states: StateBatch): Float64Array | undefined {
    return this.shaping?.shift(states);
  }

  /** Feature tensors for several batches stacked in order. Call inside tf.tidy. */
  upload(batches: readonly StateBatch[], transposeFirst: boolean): UploadedStates {
    const d = this.layout.d;
    const width = featureWidth(d);
    const count = batches.reduce((s, b) => s + b.count, 0);
    const rows = count * d;
    if (this.features.length < rows * width) this.features = new Float32Array(rows * width);
    let offset = 0;
    for (const batch of batches) {
      const size = batch.count * d * width;
      buildNodeFeatures(d, batch, this.features.subarray(offset, offset + size));
      offset += size;
    }
    const X = tf.tensor2d(this.features.subarray(0, rows * width), [rows, width]);
    let XT: tf.Tensor2D | undefined;
    if (transposeFirst && batches.length > 0) {
      const r0 = batches[0]!.count * d;
      if (this.featuresT.length < r0 * width) this.featuresT = new Float32Array(r0 * width);
      const xT = this.featuresT.subarray(0, r0 * width);
      for (let r = 0; r < r0; r++) {
        const base = r * width;
        for (let c = 0; c < width; c++) xT[c * r0 + r] = this.features[base + c]!;
      }
      XT = tf.tensor2d(xT, [width, r0]);
    }
    return { count, X, XT };
  }

  /** Log-probabilities of every action in every state (no gradient). */
  logProbs(theta: tf.Tensor1D, states: StateBatch): StateLogProbs {
    // Typed arrays are assigned outside rather than returned: tidy would walk them element by element.
    let E: Float32Array = new Float32Array(0);
    let z: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const up = this.upload([states], false);
      const out = policyForward(theta, this.layout, up.X, up.count);
      E = out.E.dataSync() as Float32Array;
      z = out.z.dataSync() as Float32Array;
    });
    return logProbsFromOutputs(E, z, states.mask, this.layout.d, 0, states.count, this.shiftFor(states));
  }
}
