import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { DagEnvBatch } from '../../../src/gflownet/env/dagEnv.ts';
import { featureWidth } from '../../../src/gflownet/policy/features.ts';
import { accumulateOutputGradient, logProbsFromOutputs } from '../../../src/gflownet/policy/logProbs.ts';
import { initialParameters, paramLayout, parameterCount, policyBackward, policyForward } from '../../../src/gflownet/policy/network.ts';
import { PolicyRunner } from '../../../src/gflownet/policy/runner.ts';
import { randomModularReward } from './helpers.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A batch of random reachable states of a d-node environment. */
function randomStates(d: number, n: number, seed: number): DagEnvBatch {
  const env = new DagEnvBatch(buildConstraints(d), randomModularReward(d, seed), n);
  const rng = new Rng(seed);
  for (let k = 0; k < n; k++) {
    const steps = rng.int(d * 2);
    for (let s = 0; s < steps; s++) {
      const a = env.randomAction(k, rng.next());
      if (a !== env.dd) env.addEdge(k, a);
    }
  }
  return env;
}

describe('policy network', () => {
  it('has (9d + 3)·H + 3H² + 3H + 2 parameters, independent of d²', () => {
    for (const [d, H] of [
      [5, 64],
      [20, 64],
      [50, 128],
    ] as const) {
      expect(parameterCount({ d, hidden: H })).toBe((9 * d + 3) * H + 3 * H * H + 3 * H + 2);
    }
    expect(featureWidth(7)).toBe(52);
  });

  it('the hand-written backward pass equals TensorFlow.js autodiff, also when only the first states are trained', () => {
    const d = 4;
    const layout = paramLayout({ d, hidden: 8 });
    const rng = new Rng(3);
    const theta0 = initialParameters(layout, rng);
    for (let t = 0; t < theta0.length; t++) theta0[t]! += 0.05 * rng.normal(); // non-zero heads and biases
    const env = randomStates(d, 6, 9);
    const runner = new PolicyRunner(layout);
    const trained = 4;
    const rows = trained * d;
    const dE = Float32Array.from({ length: rows * 2 * d }, () => rng.normal());
    const dz = Float32Array.from({ length: trained }, () => rng.normal());
    tf.tidy(() => {
      const theta = tf.tensor1d(theta0);
      const all = runner.upload([env], false);
      // Reference: autodiff of Σ E⊙dE + Σ z⊙dz over the trained states only.
      const trainedStates = { count: trained, adjacency: env.adjacency, closure: env.closure, mask: env.mask };
      const up = runner.upload([trainedStates], true);
      const reference = tf
        .grad((th: tf.Tensor) => {
          const out = policyForward(th as tf.Tensor1D, layout, up.X, trained);
          return out.E.mul(tf.tensor2d(dE, [rows, 2 * d]))
            .sum()
            .add(out.z.mul(tf.tensor1d(dz)).sum());
        })(theta)
        .dataSync();
      const out = policyForward(theta, layout, all.X, env.n);
      const mine = policyBackward(theta, layout, out.cache, up.XT!, tf.tensor2d(dE, [rows, 2 * d]), tf.tensor1d(dz), 0.75).dataSync();
      expect(mine.length).toBe(layout.size);
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < layout.size - 1; k++) {
        worst = Math.max(worst, Math.abs(mine[k]! - reference[k]!));
        scale = Math.max(scale, Math.abs(reference[k]!));
      }
      expect(scale).toBeGreaterThan(0.1);
      expect(worst / scale).toBeLessThan(1e-4);
      expect(mine[layout.logZ.offset]).toBeCloseTo(0.75, 6);
    });
  });

  it('log-probabilities are normalised over the legal actions, −∞ elsewhere, and finite for huge logits', () => {
    const d = 5;
    const env = randomStates(d, 20, 4);
    const rng = new Rng(1);
    for (const scale of [1, 1e3, 1e6]) {
      const E = Float32Array.from({ length: env.n * d * 2 * d }, () => rng.normal() * scale);
      const z = Float32Array.from({ length: env.n }, () => rng.normal() * scale);
      const lp = logProbsFromOutputs(E, z, env.mask, d, 0, env.n);
      for (let b = 0; b < env.n; b++) {
        const terms = [lp.logStop[b]!];
        for (let a = 0; a < d * d; a++) {
          if (env.mask[b * d * d + a]) terms.push(lp.logEdges[b * d * d + a]!);
          else expect(lp.logEdges[b * d * d + a]).toBe(-Infinity);
        }
        for (const t of terms) expect(Number.isNaN(t)).toBe(false);
        const m = Math.max(...terms);
        expect(Math.abs(m + Math.log(terms.reduce((s, t) => s + Math.exp(t - m), 0)))).toBeLessThan(1e-9);
      }
    }
  });

  it('the output gradient matches finite differences of the log-probabilities', () => {
    const d = 3;
    const env = randomStates(d, 8, 12);
    const rng = new Rng(2);
    const E = Float32Array.from({ length: env.n * d * 2 * d }, () => rng.normal());
    const z = Float32Array.from({ length: env.n }, () => rng.normal());
    const shift = Float64Array.from({ length: env.n * d * d }, () => 3 * rng.normal());
    for (let b = 0; b < env.n; b++) {
      if (env.legalCount[b] === 0) continue;
      const legal = [...Array(d * d).keys()].filter((a) => env.mask[b * d * d + a]);
      const action = legal[rng.int(legal.length)]!;
      const f = (): number => {
        const lp = logProbsFromOutputs(E, z, env.mask.subarray(b * d * d), d, b, 1, shift.subarray(b * d * d));
        return 0.7 * lp.logStop[0]! - 1.3 * lp.logEdges[action]!;
      };
      const dE = new Float32Array(E.length);
      const dz = new Float32Array(z.length);
      accumulateOutputGradient(E, z, env.mask, b * d * d, shift, d, b, 0.7, action, -1.3, dE, dz, new Float64Array(d * d));
      const h = 1e-2;
      const numeric = (arr: Float32Array, k: number): number => {
        const x = arr[k]!;
        arr[k] = x + h;
        const up = f();
        arr[k] = x - h;
        const down = f();
        arr[k] = x;
        return (up - down) / (2 * h);
      };
      expect(dz[b]).toBeCloseTo(numeric(z, b), 3);
      for (let k = b * d * 2 * d; k < (b + 1) * d * 2 * d; k++) expect(dE[k]).toBeCloseTo(numeric(E, k), 3);
    }
  });
});
