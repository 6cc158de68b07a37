/**
 * What-if by masked sampling from a GFlowNet (no retraining): the edge-by-edge policy with the
 * ruled-out actions masked and trajectory importance weights, and the layered sampler with its
 * tables rebuilt under the new constraints. With untrained (random) networks as proposals, the
 * weighted answers must still converge to the exact posterior under the added constraints —
 * the weights, not the training, make them right — while the unweighted draws are far off.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { structuralFeatures } from '../../../src/gflownet/causal/features.ts';
import { fromDistribution, fromSamples } from '../../../src/gflownet/causal/weightedDags.ts';
import { selectBackend } from '../../../src/gflownet/backend/select.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import type { PriorKnowledge } from '../../../src/gflownet/core/types.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { sampleLayeredWhatIf } from '../../../src/gflownet/layerflow/maskedSampling.ts';
import { initialLayerParameters, layerLayout } from '../../../src/gflownet/layerflow/layerNetwork.ts';
import { initialParameters, paramLayout } from '../../../src/gflownet/policy/network.ts';
import { sampleMaskedDags } from '../../../src/gflownet/sampling/maskedSampling.ts';
import { randomModularReward } from '../gflownet/helpers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const d = 4;
const whatIf: Partial<PriorKnowledge> = { forbidden: [[0, 1]], required: [[2, 3]] };

/** Weighted and unweighted edge and path probabilities of the draws, against the exact constrained posterior. */
async function compare(
  adjacency: Uint8Array,
  count: number,
  logWeight: Float64Array,
  exactKnowledge: Partial<PriorKnowledge>,
  seed: number,
) {
  const reward = randomModularReward(d, seed, 1.5);
  const exact = structuralFeatures(fromDistributionOf(await enumeratePosterior(reward, exactKnowledge)));
  const draws = Array.from({ length: count }, (_, k) => adjacency.subarray(k * d * d, (k + 1) * d * d));
  const weighted = structuralFeatures(fromSamples(draws, d, undefined, logWeight));
  const plain = structuralFeatures(fromSamples(draws, d));
  let worstWeighted = 0;
  let worstPlain = 0;
  for (let k = 0; k < d * d; k++) {
    for (const key of ['edge', 'path'] as const) {
      const se = Math.max(weighted.standardErrors![key][k]!, 1e-3);
      worstWeighted = Math.max(worstWeighted, Math.abs(weighted[key][k]! - exact[key][k]!) / se);
      worstPlain = Math.max(worstPlain, Math.abs(plain[key][k]! - exact[key][k]!));
    }
  }
  return { weighted, worstWeighted, worstPlain };
}

/** The exact answers as weighted DAGs (no standard errors). */
function fromDistributionOf(p: Awaited<ReturnType<typeof enumeratePosterior>>) {
  return fromDistribution(p.distribution);
}

describe('what-if by masked sampling from a GFlowNet', () => {
  it('edge-by-edge policy: weighted draws under forbid 0→1 and require 2→3 match the exact constrained posterior', async () => {
    const seed = 21;
    const reward = randomModularReward(d, seed, 1.5);
    const layout = paramLayout({ d, hidden: 16 });
    const theta = tf.variable(tf.tensor1d(initialParameters(layout, new Rng(3))));
    const count = 20000;
    const s = await sampleMaskedDags(theta, layout, buildConstraints(d, whatIf), reward, count, {
      seed: 5,
      shaping: { rewardShaping: false },
    });
    theta.dispose();
    for (let k = 0; k < count; k++) {
      expect(s.adjacency[k * d * d + 0 * d + 1]).toBe(0);
      expect(s.adjacency[k * d * d + 2 * d + 3]).toBe(1);
      expect(s.logReward[k]).toBeCloseTo(reward.logReward(s.adjacency.subarray(k * d * d, (k + 1) * d * d)), 9);
    }
    const r = await compare(s.adjacency, count, s.logWeight, whatIf, seed);
    expect(r.worstWeighted).toBeLessThan(4.5);
    expect(r.worstPlain).toBeGreaterThan(0.05);
    expect(s.effectiveSampleSize).toBeGreaterThan(200);
  }, 120_000);

  it('layered sampler: the trained network unchanged, tables rebuilt under the what-if; weighted draws match the exact constrained posterior', async () => {
    const seed = 33;
    const reward = randomModularReward(d, seed, 1.5);
    const layout = layerLayout({ d, hidden: 16 });
    const theta = tf.variable(tf.tensor1d(initialLayerParameters(layout, new Rng(1))));
    const count = 12000;
    const knowledge = { ...whatIf, tiers: [0, 0, 1, 1] };
    const s = await sampleLayeredWhatIf(theta, layout, reward, knowledge, count, { seed: 7 });
    theta.dispose();
    for (let k = 0; k < s.count; k++) {
      const a = s.adjacency.subarray(k * d * d, (k + 1) * d * d);
      expect(a[0 * d + 1]).toBe(0);
      expect(a[2 * d + 3]).toBe(1);
      // Tiers: nothing from tier 1 (nodes 2, 3) into tier 0 (nodes 0, 1).
      expect(a[2 * d + 0]! + a[2 * d + 1]! + a[3 * d + 0]! + a[3 * d + 1]!).toBe(0);
    }
    const r = await compare(s.adjacency, s.count, s.logWeight, knowledge, seed);
    expect(r.worstWeighted).toBeLessThan(4.5);
    expect(r.worstPlain).toBeGreaterThan(0.03);
  }, 120_000);
});

describe('dagflow features --masked-samples (a trained run folder, no retraining)', () => {
  it('edge and layered runs: masked draws answer the what-if like the exact constrained posterior; MCMC runs refuse', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { command: trainCommand } = await import('../../../src/cli/commands/train.ts');
    const { command: featuresCommand } = await import('../../../src/cli/commands/features.ts');
    type Features = {
      edge: number[][];
      path: number[][];
      standardErrors?: { path: number[][] };
      whatIf: { method?: string; effectiveSampleSize: number };
    };
    const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
    const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-masked-'));
    const forbid = path.join(dir, 'forbid.csv');
    writeFileSync(forbid, 'from,to\nX0,X1\nX1,X0\nX2,X3\n');
    const run = async (
      command: { run: (a: string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<number> },
      args: string[],
    ) => {
      let out = '';
      const code = await command.run(args, { stdout: (t) => (out += t), stderr: () => undefined });
      expect(code).toBe(0);
      return out;
    };
    const exact = JSON.parse(await run(featuresCommand, ['--data', csv, '--exact', '--forbid', forbid, '--json'])) as Features;
    for (const sampler of ['edges', 'layers']) {
      const out = path.join(dir, sampler);
      await run(trainCommand, [
        '--data',
        csv,
        '--sampler',
        sampler,
        '--iterations',
        '150',
        '--samples',
        '200',
        '--seed',
        '2',
        '--backend',
        'wasm',
        '--out',
        out,
      ]);
      const f = JSON.parse(
        await run(featuresCommand, ['--run', out, '--forbid', forbid, '--masked-samples', '4000', '--min-ess', '20', '--json']),
      ) as Features;
      expect(f.whatIf.method).toBe('masked-sampling');
      expect(f.edge[0]![1]).toBe(0);
      let worst = 0;
      f.path.forEach((row, i) =>
        row.forEach((p, j) => {
          if (i !== j) worst = Math.max(worst, Math.abs(p - exact.path[i]![j]!) / Math.max(f.standardErrors!.path[i]![j]!, 2e-3));
        }),
      );
      if (process.env.DAGFLOW_REPORT)
        console.log(`masked ${sampler}: worst |p − exact|/SE ${worst.toFixed(2)}, ESS ${f.whatIf.effectiveSampleSize.toFixed(0)}`);
      expect(worst, sampler).toBeLessThan(5);
    }
    const { command: mcmcCommand } = await import('../../../src/cli/commands/mcmc.ts');
    const mcmc = path.join(dir, 'mcmc');
    await run(mcmcCommand, ['--data', csv, '--method', 'mc3', '--iterations', '2000', '--chains', '1', '--no-workers', '--out', mcmc]);
    await expect(
      featuresCommand.run(['--run', mcmc, '--forbid', forbid, '--masked-samples', '100'], {
        stdout: () => undefined,
        stderr: () => undefined,
      }),
    ).rejects.toThrow(/needs a GFlowNet run/);
  }, 300_000);
});
