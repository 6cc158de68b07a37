import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/gflownet/backend/select.ts';
import { quietJobContext } from '../../../src/gflownet/core/job.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { evaluateAgainstPosterior } from '../../../src/gflownet/sampling/exactEvaluation.ts';
import { sampleDags } from '../../../src/gflownet/sampling/sampler.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../src/gflownet/train/checkpoint.ts';
import { resolveTrainConfig, type TrainConfig } from '../../../src/gflownet/train/config.ts';
import { trainGflownet, type TrainProgress } from '../../../src/gflownet/train/loop.ts';
import { Trainer, type TrainerState } from '../../../src/gflownet/train/trainer.ts';
import { EDGE_TRAINING_SHARE, runGflownet } from '../../../src/gflownet/train/pipeline.ts';
import { randomModularReward } from './helpers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const small = (overrides: Partial<TrainConfig> = {}): TrainConfig =>
  resolveTrainConfig({
    batchSize: 16,
    environments: 8,
    hidden: 16,
    prefillIterations: 5,
    iterations: 200,
    targetUpdateEvery: 10,
    replayCapacity: 500,
    trajectoryPool: 64,
    ...overrides,
  });

function problem(d: number, seed: number, scale = 2) {
  return { constraints: buildConstraints(d), reward: randomModularReward(d, seed, scale) };
}

function weights(t: Trainer): Float32Array {
  return t.theta.dataSync() as Float32Array;
}

describe('DAG-GFlowNet training', () => {
  it.each([
    ['mdb, superset baseline (the defaults)', {}],
    ['sub-trajectory balance', { objective: 'subtb', batchSize: 8 }],
    ['mdb, delta baseline', { shapingBaseline: 'delta' }],
    ['mdb without shaping', { rewardShaping: false }],
  ] as Array<[string, Partial<TrainConfig>]>)(
    'a short seeded run on d = 3 reaches exact JSD < 0.02 against the exact posterior: %s',
    async (_label, overrides) => {
      const p = problem(3, 21);
      const config = resolveTrainConfig({
        seed: 1,
        iterations: 1500,
        batchSize: 32,
        environments: 16,
        hidden: 32,
        prefillIterations: 20,
        targetUpdateEvery: 50,
        ...overrides,
      });
      const { trainer } = await trainGflownet(p, config, quietJobContext());
      const posterior = await enumeratePosterior(p.reward);
      const result = await evaluateAgainstPosterior(trainer.theta, trainer.layout, p.constraints, posterior, trainer.runner.shaping);
      trainer.dispose();
      expect(result.jsd).toBeLessThan(0.02);
    },
  );

  it('is deterministic for a fixed seed (every objective) and depends on the seed', () => {
    for (const objective of ['mdb', 'tb', 'subtb'] as const) {
      const run = (seed: number): Float32Array => {
        const t = new Trainer(problem(4, 3), small({ seed, objective }));
        for (let i = 0; i < 40; i++) t.iteration();
        const w = weights(t);
        t.dispose();
        return w;
      };
      const a = run(5);
      expect(run(5)).toEqual(a);
      expect(run(6)).not.toEqual(a);
    }
  });

  it('keeps the number of tensors flat while training and sampling', async () => {
    const p = problem(4, 8);
    const t = new Trainer(p, small({ objective: 'mdb' }));
    for (let i = 0; i < 20; i++) t.iteration();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) t.iteration();
    expect(tf.memory().numTensors).toBe(before);
    await sampleDags(t.theta, t.layout, p.constraints, p.reward, 50, { seed: 1, shaping: t.config });
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    const tb = new Trainer(p, small({ objective: 'tb' }));
    for (let i = 0; i < 30; i++) tb.iteration();
    const beforeTb = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) tb.iteration();
    expect(tf.memory().numTensors).toBe(beforeTb);
    tb.dispose();
  });

  it('checkpoint save → resume → the same next step (weights, optimiser, replay, RNG)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagflow-ckpt-'));
    for (const objective of ['mdb', 'tb', 'subtb'] as const) {
      const p = problem(4, 13);
      const a = new Trainer(p, small({ seed: 2, objective }));
      for (let i = 0; i < 45; i++) a.iteration();
      saveCheckpoint(path.join(dir, objective), a.exportState(), { note: 'test' });
      for (let i = 0; i < 3; i++) a.iteration();
      const expected = weights(a);
      const loaded = loadCheckpoint<{ note: string }>(path.join(dir, objective));
      expect(loaded.meta.note).toBe('test');
      const b = new Trainer(p, loaded.state.config, loaded.state as TrainerState);
      expect(b.step).toBe(45);
      for (let i = 0; i < 3; i++) b.iteration();
      expect(weights(b)).toEqual(expected);
      a.dispose();
      b.dispose();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cancel stops training within a second', async () => {
    const controller = new AbortController();
    const updates: TrainProgress[] = [];
    const ctx = { signal: controller.signal, progress: (u: TrainProgress) => updates.push(u), log: () => {} };
    const saved: TrainerState[] = [];
    const config = small({ iterations: 1e9, hidden: 32, batchSize: 32, environments: 32 });
    const run = trainGflownet(problem(5, 4), config, ctx, {
      progressInterval: 0.1,
      checkpoint: { everySeconds: 1e9, save: (state) => saved.push(state) },
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const abortedAt = performance.now();
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(updates.length).toBeGreaterThan(0);
    const last = updates[updates.length - 1]!;
    expect(last.iteration).toBeGreaterThan(0);
    expect(last.edgeMarginals.length).toBe(25);
    // The cancelled run left a snapshot to resume from.
    expect(saved).toHaveLength(1);
    expect(saved[0]!.step).toBeGreaterThanOrEqual(last.iteration);
    const resumed = new Trainer(problem(5, 4), config, saved[0]);
    resumed.iteration();
    expect(resumed.step).toBe(saved[0]!.step + 1);
    resumed.dispose();
  });

  it('stays finite with rewards of hundreds of nats (as at n = 500) and samples valid DAGs with their log scores', async () => {
    const p = problem(5, 17, 250);
    const t = new Trainer(p, small({ iterations: 150, lr: undefined } as Partial<TrainConfig>));
    for (let i = 0; i < 150; i++) expect(Number.isNaN(t.iteration())).toBe(i < 5);
    const posterior = await enumeratePosterior(p.reward);
    const result = await evaluateAgainstPosterior(t.theta, t.layout, p.constraints, posterior, t.runner.shaping);
    expect(Number.isFinite(result.jsd)).toBe(true);
    const samples = await sampleDags(t.theta, t.layout, p.constraints, p.reward, 40, { seed: 3, batch: 16, shaping: t.config });
    expect(samples.count).toBe(40);
    for (let k = 0; k < 40; k++) {
      const adj = samples.adjacency.subarray(k * 25, (k + 1) * 25);
      expect(samples.logReward[k]).toBeCloseTo(p.reward.logReward(adj), 9);
    }
    const again = await sampleDags(t.theta, t.layout, p.constraints, p.reward, 40, { seed: 3, batch: 16, shaping: t.config });
    expect(again.adjacency).toEqual(samples.adjacency);
    t.dispose();
  });
  it("starts the stop head at the superset baseline's gap where the untrained sampler stops (hundreds of nats on dense posteriors)", () => {
    // Every extra parent is worth 60 nats: the posterior sits on complete DAGs.
    const dense = { constraints: buildConstraints(4), reward: randomModularReward(4, 2, 1, 60) };
    const bias = (overrides: Partial<TrainConfig>): number => {
      const t = new Trainer(dense, small({ seed: 3, ...overrides }));
      const b = weights(t)[t.layout.bs.offset]!;
      t.dispose();
      return b;
    };
    // The relaxed problem lets every node take all 3 others as parents; a complete DAG gives them 0+1+2+3 = 6 of the 12.
    expect(bias({})).toBeGreaterThan(6 * 60 - 20);
    expect(bias({})).toBeLessThan(6 * 60 + 20);
    expect(bias({ initStopBias: false })).toBe(0);
    expect(bias({ shapingBaseline: 'delta' })).toBe(0);
  });
  it('the edge sampler uses milder exploration and learning rates beyond 12 variables, unless told otherwise', () => {
    const small5 = resolveTrainConfig({}, 5);
    expect(small5.sampler).toBe('edges');
    expect([small5.epsilonStart, small5.epsilonEnd, small5.learningRate, small5.learningRateEnd]).toEqual([1, 0.1, 1e-2, 3e-4]);
    const large = resolveTrainConfig({ sampler: 'edges' }, 20);
    expect([large.epsilonStart, large.epsilonEnd, large.learningRate, large.learningRateEnd]).toEqual([0.1, 0.01, 1e-3, 1e-4]);
    expect(resolveTrainConfig({ sampler: 'edges', learningRate: 5e-3, epsilonStart: 1 }, 20)).toMatchObject({
      learningRate: 5e-3,
      epsilonStart: 1,
      epsilonEnd: 0.01,
    });
    expect(resolveTrainConfig({})).toMatchObject({ sampler: 'edges', learningRate: 1e-2, epsilonStart: 1 });
  });
  it('uses the layered sampler from 6 variables on, with its own defaults, unless told otherwise', () => {
    expect(resolveTrainConfig({}, 6)).toMatchObject({
      sampler: 'layers',
      batchSize: 32,
      hidden: 64,
      learningRate: 3e-3,
      learningRateEnd: 3e-4,
    });
    expect(resolveTrainConfig({ sampler: 'layers' }, 4).sampler).toBe('layers');
    expect(() => resolveTrainConfig({ sampler: 'orders' as never }, 8)).toThrow(/unknown sampler "orders"/);
    expect(() => resolveTrainConfig({ teacherSteps: 0 }, 8)).toThrow(/teacherSteps/);
  });
});

describe('the edge sampler under a time limit', () => {
  it('bounds the whole run, sampling included (fewer samples when the limit comes first)', async () => {
    const d = 8;
    const backend = await selectBackend('wasm');
    const config = resolveTrainConfig(
      { sampler: 'edges', seed: 2, timeLimitSeconds: 5, iterations: Number.MAX_SAFE_INTEGER, hidden: 16 },
      d,
    );
    const started = performance.now();
    const result = await runGflownet(
      { reward: randomModularReward(d, 4), config, samples: 500_000, backend, exact: false },
      quietJobContext(),
    );
    const wall = (performance.now() - started) / 1000;
    // Within 10 % (plus setup: backend, tables) of the 5 s limit.
    expect(wall).toBeLessThan(5 * 1.1 + 0.3);
    expect(result.seconds).toBeLessThanOrEqual(5 * EDGE_TRAINING_SHARE + 0.2);
    expect(result.samples.count).toBeGreaterThan(0);
    expect(result.samples.count).toBeLessThan(500_000);
    expect(result.samples.adjacency.length).toBe(result.samples.count * d * d);
  });
});
