import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from './select.ts';

export interface MatmulRate {
  size: number;
  repeats: number;
  seconds: number;
  gflops: number;
}

export interface SelfTestResult extends BackendChoice {
  rates: MatmulRate[];
  /** Best plain 2-D float32 matmul rate measured: the ceiling the policy network is compared to. */
  peakGflops: number;
}

export interface SelfTestOptions {
  sizes?: number[];
  /** Wall-clock budget per size. */
  secondsPerSize?: number;
  onProgress?: (done: number, total: number, rate: MatmulRate) => void;
  shouldStop?: () => boolean;
}

/**
 * Measures the matmul rate (GFLOP/s) of the active backend: square float32 matmuls repeated
 * for a fixed time per size, after a warm-up that pays for kernel compilation.
 */
export async function backendSelfTest(choice: BackendChoice, options: SelfTestOptions = {}): Promise<SelfTestResult> {
  const sizes = options.sizes ?? [128, 256, 512];
  const budget = options.secondsPerSize ?? 0.5;
  const rates: MatmulRate[] = [];
  for (const [index, size] of sizes.entries()) {
    if (options.shouldStop?.()) break;
    const a = tf.randomUniform([size, size], -1, 1, 'float32', 1);
    const b = tf.randomUniform([size, size], -1, 1, 'float32', 2);
    tf.tidy(() => tf.matMul(a, b)).dispose();
    let repeats = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < budget * 1000 || repeats < 2) {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      repeats++;
      elapsed = performance.now() - start;
      if (options.shouldStop?.()) break;
    }
    a.dispose();
    b.dispose();
    const seconds = elapsed / 1000;
    const rate = { size, repeats, seconds, gflops: (repeats * 2 * size ** 3) / seconds / 1e9 };
    rates.push(rate);
    options.onProgress?.(index + 1, sizes.length, rate);
  }
  const peakGflops = rates.reduce((m, r) => Math.max(m, r.gflops), 0);
  return { ...choice, rates, peakGflops };
}
