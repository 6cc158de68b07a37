import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/gflownet/backend/select.ts';
import { quietJobContext } from '../../../src/gflownet/core/job.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { evaluateAgainstPosterior } from '../../../src/gflownet/sampling/exactEvaluation.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../src/gflownet/train/checkpoint.ts';
import { resolveTrainConfig, type TrainConfig } from '../../../src/gflownet/train/config.ts';
import { intrinsicWeightAt } from '../../../src/gflownet/train/intrinsic/intrinsicRewards.ts';
import { RandomNetworkDistillation } from '../../../src/gflownet/train/intrinsic/rnd.ts';
import { trainGflownet } from '../../../src/gflownet/train/loop.ts';
import { Trainer, type TrainerState } from '../../../src/gflownet/train/trainer.ts';
import { stateBatchOf } from './augmentedFlowFixture.ts';
import { randomModularReward, reachableStates } from './helpers.ts';

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

const mean = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length;

describe('random network distillation', () => {
  const d = 4;
  const states = reachableStates(buildConstraints(d)).flat();
  // A few visited states among the 543 (with many, the predictor generalises to all of them: the novelty then falls everywhere).
  const visited = stateBatchOf(
    states.filter((_, k) => k % 40 === 0),
    d,
  );
  const unvisited = stateBatchOf(
    states.filter((_, k) => k % 40 === 20),
    d,
  );

  it('the prediction error falls on the states it is trained on, much less on states it never saw', () => {
    const rnd = new RandomNetworkDistillation(d, new Rng(1));
    const before = { seen: mean(rnd.novelty(visited)), unseen: mean(rnd.novelty(unvisited)) };
    expect(before.seen).toBeGreaterThan(0.2);
    for (let step = 0; step < 300; step++) rnd.train(visited);
    const after = { seen: mean(rnd.novelty(visited)), unseen: mean(rnd.novelty(unvisited)) };
    expect(after.seen).toBeLessThan(0.05 * before.seen);
    expect(after.unseen).toBeGreaterThan(5 * after.seen);
  });

  it('is seeded: the same seed gives the same networks, another seed others', () => {
    const a = new RandomNetworkDistillation(d, new Rng(7)).novelty(unvisited);
    expect(new RandomNetworkDistillation(d, new Rng(7)).novelty(unvisited)).toEqual(a);
    expect(new RandomNetworkDistillation(d, new Rng(8)).novelty(unvisited)).not.toEqual(a);
  });

  it('snapshot → restore continues the predictor exactly (weights and Adam state)', () => {
    const a = new RandomNetworkDistillation(d, new Rng(3));
    for (let step = 0; step < 20; step++) a.train(visited);
    const b = new RandomNetworkDistillation(d, new Rng(99));
    b.restore(a.snapshot());
    for (let step = 0; step < 5; step++) {
      a.train(visited);
      b.train(visited);
    }
    expect(b.novelty(unvisited)).toEqual(a.novelty(unvisited));
  });

  it('the weight decays linearly to 0 over its fraction of the budget, or stays', () => {
    const c = { intrinsic: 'rnd' as const, intrinsicWeight: 0.2, intrinsicDecay: 0.5 };
    expect(intrinsicWeightAt(c, 0)).toBe(0.2);
    expect(intrinsicWeightAt(c, 0.25)).toBeCloseTo(0.1, 12);
    expect(intrinsicWeightAt(c, 0.6)).toBe(0);
    expect(intrinsicWeightAt({ ...c, intrinsicDecay: 0 }, 0.9)).toBe(0.2);
    expect(intrinsicWeightAt({ ...c, intrinsic: 'none' }, 0)).toBe(0);
  });
});

describe('training with flow matching and augmented flows', () => {
  it('refuses unknown objectives and intrinsic rewards and out-of-range weights, naming the setting', () => {
    expect(() => resolveTrainConfig({ objective: 'xx' as never })).toThrow(/unknown objective "xx"/);
    expect(() => resolveTrainConfig({ intrinsic: 'icm' as never })).toThrow(/unknown intrinsic reward "icm"/);
    expect(() => resolveTrainConfig({ intrinsicWeight: -1 })).toThrow(/intrinsicWeight = -1 is out of range/);
    expect(() => resolveTrainConfig({ intrinsicDecay: 2 })).toThrow(/intrinsicDecay = 2 is out of range/);
    expect(resolveTrainConfig({}).intrinsic).toBe('none');
  });

  it.each([
    ['flow matching', { objective: 'fm' }],
    ['mdb with RND augmented flows', { intrinsic: 'rnd' }],
    ['flow matching with RND augmented flows', { objective: 'fm', intrinsic: 'rnd' }],
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

  it('keeps the number of tensors flat (fm, and tb with rnd)', () => {
    for (const overrides of [{ objective: 'fm' }, { objective: 'tb', intrinsic: 'rnd' }] as Array<Partial<TrainConfig>>) {
      const t = new Trainer(problem(4, 8), small(overrides));
      for (let i = 0; i < 30; i++) t.iteration();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 30; i++) t.iteration();
      expect(tf.memory().numTensors).toBe(before);
      t.dispose();
    }
  });

  it('is deterministic for a fixed seed and resumes exactly from a checkpoint (fm; every objective with rnd, predictor included)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagflow-fm-'));
    const cases: Array<Partial<TrainConfig>> = [
      { objective: 'fm' },
      { objective: 'mdb', intrinsic: 'rnd' },
      { objective: 'tb', intrinsic: 'rnd' },
      { objective: 'subtb', intrinsic: 'rnd' },
      { objective: 'fm', intrinsic: 'rnd' },
    ];
    for (const [k, overrides] of cases.entries()) {
      const p = problem(4, 13);
      const config = small({ seed: 2, intrinsicDecay: 0, ...overrides });
      const a = new Trainer(p, config);
      for (let i = 0; i < 45; i++) a.iteration();
      const state = a.exportState();
      if (config.intrinsic === 'rnd') {
        expect(state.intrinsic).toBeDefined();
        expect(state.intrinsic!.rnd.adamT).toBeGreaterThan(0);
      }
      saveCheckpoint(path.join(dir, String(k)), state, {});
      for (let i = 0; i < 3; i++) a.iteration();
      const expected = a.theta.dataSync();
      const expectedRnd = a.exportState().intrinsic;
      const loaded = loadCheckpoint(path.join(dir, String(k)));
      const b = new Trainer(p, loaded.state.config as TrainConfig, loaded.state as TrainerState);
      for (let i = 0; i < 3; i++) b.iteration();
      expect(b.theta.dataSync()).toEqual(expected);
      expect(b.exportState().intrinsic).toEqual(expectedRnd);
      // Same seed from scratch: same weights.
      const c = new Trainer(p, config);
      for (let i = 0; i < 48; i++) c.iteration();
      expect(c.theta.dataSync()).toEqual(expected);
      a.dispose();
      b.dispose();
      c.dispose();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
