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
import { LayerEnvBatch } from '../../../src/gflownet/layerflow/layerEnv.ts';
import { layerLikelihoodGradient } from '../../../src/gflownet/layerflow/layerLoss.ts';
import {
  initialLayerParameters,
  layerForward,
  layerForwardCached,
  layerGradient,
  layerLayout,
} from '../../../src/gflownet/layerflow/layerNetwork.ts';
import { buildLayerProblem, type LayerProblem } from '../../../src/gflownet/layerflow/layerProblem.ts';
import { actionsOfLayering, pathsOfLayerings, rolloutLayers } from '../../../src/gflownet/layerflow/layerRollout.ts';
import { sampleLayered } from '../../../src/gflownet/layerflow/layerSampler.ts';
import { chooseCandidateParents } from '../../../src/gflownet/mcmc/candidateParents.ts';
import { rngChooser } from '../../../src/gflownet/mcmc/chooser.ts';
import type { FamilyScorer } from '../../../src/gflownet/mcmc/types.ts';
import { createTeacher, layerOfDag } from '../../../src/gflownet/layerflow/layerTeachers.ts';
import { LayerTrainer } from '../../../src/gflownet/layerflow/layerTrainer.ts';
import { rmse } from '../../../src/gflownet/metrics/marginals.ts';
import { isLayerState, loadCheckpoint, saveCheckpoint } from '../../../src/gflownet/train/checkpoint.ts';
import { resolveTrainConfig } from '../../../src/gflownet/train/config.ts';
import { runGflownet } from '../../../src/gflownet/train/pipeline.ts';
import { randomModularReward } from '../gflownet/helpers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Every layering of the problem with its log S(Λ), by depth-first search over the environment's legal actions. */
function allLayerings(problem: LayerProblem): Array<{ layerOf: Int32Array; logScore: number }> {
  const d = problem.d;
  const out: Array<{ layerOf: Int32Array; logScore: number }> = [];
  const contributions = new Float64Array(d + 1);
  const visit = (actions: number[]): void => {
    const env = new LayerEnvBatch(problem, 1);
    for (const a of actions) env.step(0, a);
    if (env.done[0]) {
      out.push({ layerOf: env.layerOf.slice(), logScore: env.score[0]! + problem.baselineTotal });
      return;
    }
    env.actionContributions(0, contributions, 0);
    const legal: number[] = [];
    for (let a = 0; a <= d; a++) if (contributions[a]! > -Infinity) legal.push(a);
    for (const a of legal) visit([...actions, a]);
  };
  visit([]);
  return out;
}

const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

describe('layered GFlowNet: the layerings', () => {
  it.each([
    ['no knowledge', {}],
    [
      'a forbidden edge, a required edge and a parent bound',
      { forbidden: [[0, 1]] as Array<[number, number]>, required: [[2, 3]] as Array<[number, number]>, maxParents: 2 },
    ],
  ])('sum to the exact Z, each layering once (%s)', async (_label, knowledge) => {
    const d = 4;
    const reward = randomModularReward(d, 7, 3);
    const problem = buildLayerProblem(reward, buildConstraints(d, knowledge));
    const layerings = allLayerings(problem);
    const finite = layerings.filter((l) => Number.isFinite(l.logScore));
    // 75 ordered partitions of 4 nodes (the Fubini number) when nothing is excluded.
    if (Object.keys(knowledge).length === 0) expect(layerings.length).toBe(75);
    expect(new Set(layerings.map((l) => l.layerOf.join())).size).toBe(layerings.length);
    const exact = await enumeratePosterior(reward, knowledge);
    expect(logSumExp(finite.map((l) => l.logScore))).toBeCloseTo(exact.logZ, 9);
  });

  it('sum to the exact Z of a sparse candidate space: closing and adding never cut off a DAG (d = 5, 1 candidate per node)', async () => {
    const d = 5;
    const reward = randomModularReward(d, 19, 3);
    const constraints = buildConstraints(d);
    const space = chooseCandidateParents(reward, constraints, 1);
    const forbidden: Array<[number, number]> = [];
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && !space.rules.allowed[i * d + j]) forbidden.push([i, j]);
    const problem = buildLayerProblem(reward, constraints, { candidates: space });
    const finite = allLayerings(problem).filter((l) => Number.isFinite(l.logScore));
    const exact = await enumeratePosterior(reward, { forbidden });
    expect(forbidden.length).toBeGreaterThan(8);
    expect(logSumExp(finite.map((l) => l.logScore))).toBeCloseTo(exact.logZ, 9);
  });

  it('score each drawn layering and its DAG as a direct sum over the tables, beyond 64 nodes (three bit words)', () => {
    const d = 70;
    // A modular family reward with a pairwise term (full random tables would need 2^70 entries).
    const rng = new Rng(23);
    const edge = Array.from({ length: d * d }, () => 2 * rng.normal());
    const reward: FamilyScorer = {
      d,
      familyLogReward: (v, parents) =>
        parents.reduce((sum, i) => sum + edge[i * d + v]!, 0) + (parents.length === 2 ? edge[parents[0]! * d + parents[1]!]! : 0),
    };
    const constraints = buildConstraints(d, { maxParents: 2 });
    const problem = buildLayerProblem(reward, constraints, { candidates: chooseCandidateParents(reward, constraints, 6) });
    expect(problem.words).toBe(3);
    const layout = layerLayout({ d, hidden: 8 });
    const theta = tf.tensor1d(initialLayerParameters(layout, new Rng(4)));
    const chooser = rngChooser(new Rng(5));
    const count = 60;
    const adjacency = new Uint8Array(count * d * d);
    const marginals = new Float64Array(count * d * d);
    const weights = new Float64Array(problem.scratch.weight.length);
    const parentReward = new Float64Array(count);
    const draws = rolloutLayers(theta, layout, problem, count, new Rng(6), (env, k, v) => {
      parentReward[k]! += env.drawParents(k, v, chooser, adjacency, marginals, k * d * d, weights);
    });
    let finite = 0;
    draws.forEach((draw, k) => {
      if (!Number.isFinite(draw.logScore)) return;
      finite++;
      const { layerOf } = draw;
      let direct = 0;
      let dagReward = 0;
      for (let v = 0; v < d; v++) {
        // c_v: every table set inside the earlier layers that meets the previous one (the empty set in layer 0).
        const table = problem.tables.tables[v]!;
        const terms: number[] = [];
        for (let e = 0; e < table.count; e++) {
          const members = Array.from(table.members.subarray(e * problem.tables.maxSize, e * problem.tables.maxSize + table.sizes[e]!));
          const inside = members.every((i) => layerOf[i]! < layerOf[v]!);
          const meets = layerOf[v] === 0 ? members.length === 0 : members.some((i) => layerOf[i] === layerOf[v]! - 1);
          if (inside && meets) terms.push(table.logScores[e]!);
        }
        direct += logSumExp(terms);
        // The drawn parents obey the layering, and P(i → v | Λ) sums to the expected parent count.
        const parents: number[] = [];
        for (let i = 0; i < d; i++) if (adjacency[k * d * d + i * d + v]) parents.push(i);
        expect(parents.every((i) => layerOf[i]! < layerOf[v]!)).toBe(true);
        expect(layerOf[v] === 0 || parents.some((i) => layerOf[i] === layerOf[v]! - 1)).toBe(true);
        dagReward += reward.familyLogReward(v, parents);
      }
      expect(draw.logScore).toBeCloseTo(direct, 8);
      expect(parentReward[k]).toBeCloseTo(dagReward, 8);
    });
    expect(finite).toBeGreaterThanOrEqual(10);
    theta.dispose();
  });

  it('rebuild the layering of a path, and a path from its layering', () => {
    const d = 5;
    const problem = buildLayerProblem(randomModularReward(d, 3), buildConstraints(d));
    for (const { layerOf } of allLayerings(problem).slice(0, 60)) {
      const env = new LayerEnvBatch(problem, 1);
      for (const a of actionsOfLayering(layerOf)) env.step(0, a);
      expect(env.done[0]).toBe(1);
      expect(Array.from(env.layerOf)).toEqual(Array.from(layerOf));
      expect(pathsOfLayerings(problem, [layerOf])[0]!.length).toBe(actionsOfLayering(layerOf).length);
    }
  });
});

describe('layered GFlowNet: the teachers', () => {
  it("give a DAG's own layering: sources first, every node one layer after its latest parent", () => {
    // 0 → 2, 1 → 2, 2 → 3, 0 → 3, node 4 isolated.
    const d = 5;
    const A = new Uint8Array(d * d);
    for (const [u, v] of [
      [0, 2],
      [1, 2],
      [2, 3],
      [0, 3],
    ] as const)
      A[u * d + v] = 1;
    expect(Array.from(layerOfDag(A, d))).toEqual([0, 0, 1, 2, 0]);
    A[3 * d + 0] = 1;
    expect(() => layerOfDag(A, d)).toThrow(/cycle/);
  });

  it('hand over layerings the environment can build, and resume from their saved state (order and partition)', () => {
    const d = 5;
    const problem = buildLayerProblem(randomModularReward(d, 11), buildConstraints(d));
    for (const kind of ['order', 'partition'] as const) {
      const teacher = createTeacher(problem, kind, undefined);
      const rng = new Rng(5);
      for (let s = 0; s < 200; s++) teacher.step(rng);
      const layerings = Array.from({ length: 20 }, () => {
        teacher.step(rng);
        return teacher.layering(rng).slice();
      });
      expect(pathsOfLayerings(problem, layerings).every((p) => p !== null)).toBe(true);
      // A copy started from the saved state continues identically.
      const copy = createTeacher(problem, kind, teacher.state().slice());
      const a = new Rng(9);
      const b = new Rng(9);
      for (let s = 0; s < 50; s++) {
        teacher.step(a);
        copy.step(b);
      }
      expect(Array.from(copy.state())).toEqual(Array.from(teacher.state()));
    }
  });
});

describe('layered GFlowNet: the likelihood objective', () => {
  it("has a hand-written backward pass equal to automatic differentiation's", () => {
    const d = 6;
    const layout = layerLayout({ d, hidden: 8 });
    const rng = new Rng(4);
    const theta = tf.tensor1d(Float32Array.from(initialLayerParameters(layout, rng), (x) => x + 0.1 * rng.normal()));
    const X = tf.tensor2d(
      Float32Array.from({ length: 12 * (5 * d + 3) }, () => rng.normal()),
      [12, 5 * d + 3],
    );
    const G = tf.tensor2d(
      Float32Array.from({ length: 12 * (d + 1) }, () => rng.normal()),
      [12, d + 1],
    );
    const byHand = tf.tidy(() => layerGradient(theta, layout, layerForwardCached(theta, layout, X), G)).dataSync();
    const auto = tf
      .grad((t: tf.Tensor) =>
        layerForward(t as tf.Tensor1D, layout, X)
          .mul(G)
          .sum(),
      )(theta)
      .dataSync();
    expect(byHand.length).toBe(layout.size);
    let worst = 0;
    for (let k = 0; k < auto.length; k++) worst = Math.max(worst, Math.abs(byHand[k]! - auto[k]!) / (1 + Math.abs(auto[k]!)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('has the gradient of its loss with respect to the logits (finite differences)', () => {
    const d = 4;
    const problem = buildLayerProblem(randomModularReward(d, 5), buildConstraints(d));
    const paths = pathsOfLayerings(problem, [Int32Array.from([0, 1, 1, 2]), Int32Array.from([1, 0, 2, 0])]).map((p) => p!);
    const rows = paths.reduce((s, p) => s + p.length, 0);
    const rng = new Rng(2);
    const logits = Float32Array.from({ length: rows * (d + 1) }, () => rng.normal());
    const { dLogits } = layerLikelihoodGradient(paths, logits, d);
    for (const at of [0, 3, d + 1, 2 * (d + 1) + 4, rows * (d + 1) - 1]) {
      const h = 1e-2;
      const plus = logits.slice();
      const minus = logits.slice();
      plus[at]! += h;
      minus[at]! -= h;
      const numeric = (layerLikelihoodGradient(paths, plus, d).loss - layerLikelihoodGradient(paths, minus, d).loss) / (2 * h);
      expect(dLogits[at]!).toBeCloseTo(numeric, 4);
    }
  });
});

describe('layered GFlowNet: sampling', () => {
  it('importance-weighted, Rao–Blackwellised marginals of an untrained policy converge to the exact ones (d = 4)', async () => {
    const d = 4;
    const reward = randomModularReward(d, 11, 2);
    const problem = buildLayerProblem(reward, buildConstraints(d));
    const layout = layerLayout({ d, hidden: 16 });
    const theta = tf.variable(tf.tensor1d(initialLayerParameters(layout, new Rng(1))));
    const s = await sampleLayered(theta, layout, problem, 6000, { seed: 4 });
    const exact = await enumeratePosterior(reward);
    expect(s.count).toBe(6000);
    expect(rmse(s.weightedMarginals, exact.edgeMarginals, d)).toBeLessThan(0.02);
    // The untrained policy itself is far off: the weights do the work.
    expect(rmse(s.samplerMarginals, exact.edgeMarginals, d)).toBeGreaterThan(0.05);
    expect(s.logZ).toBeCloseTo(exact.logZ, 0);
    // Every drawn DAG is one of the layering's DAGs, with its log R.
    for (let k = 0; k < 50; k++) expect(s.logReward[k]).toBeCloseTo(reward.logReward(s.adjacency.subarray(k * d * d, (k + 1) * d * d)), 9);
    theta.dispose();
  });

  it('stops at the deadline with the draws made so far', async () => {
    const d = 5;
    const problem = buildLayerProblem(randomModularReward(d, 1), buildConstraints(d));
    const layout = layerLayout({ d, hidden: 8 });
    const theta = tf.variable(tf.tensor1d(initialLayerParameters(layout, new Rng(1))));
    const s = await sampleLayered(theta, layout, problem, 100_000, { seed: 1, batch: 100, deadline: performance.now() + 200 });
    expect(s.count).toBeGreaterThan(0);
    expect(s.count).toBeLessThan(100_000);
    expect(s.logWeight.length).toBe(s.count);
    theta.dispose();
  });
});

describe('layered GFlowNet: training', () => {
  const config = (overrides = {}) =>
    resolveTrainConfig(
      { sampler: 'layers', seed: 3, hidden: 32, batchSize: 16, teacherSteps: 20, replayCapacity: 500, iterations: 600, ...overrides },
      5,
    );

  it('learns from the teacher: the trained sampler is closer to the exact posterior, and the weighted estimate closer still', async () => {
    const d = 5;
    const reward = randomModularReward(d, 12, 3);
    const problem = buildLayerProblem(reward, buildConstraints(d));
    const exact = await enumeratePosterior(reward);
    const trainer = new LayerTrainer(problem, config());
    const before = await sampleLayered(trainer.theta, trainer.layout, problem, 3000, { seed: 9 });
    while (!trainer.finished()) trainer.iteration();
    const after = await sampleLayered(trainer.theta, trainer.layout, problem, 3000, { seed: 9 });
    const raw = (x: typeof after) => rmse(x.samplerMarginals, exact.edgeMarginals, d);
    expect(raw(after)).toBeLessThan(raw(before) / 2);
    expect(after.effectiveSampleSize).toBeGreaterThan(before.effectiveSampleSize);
    expect(rmse(after.weightedMarginals, exact.edgeMarginals, d)).toBeLessThan(0.02);
    trainer.dispose();
  });

  it('is deterministic and resumes exactly from a checkpoint', () => {
    const d = 5;
    const problem = buildLayerProblem(randomModularReward(d, 4), buildConstraints(d));
    const straight = new LayerTrainer(problem, config({ iterations: 40 }));
    for (let k = 0; k < 40; k++) straight.iteration();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagflow-layers-'));
    const first = new LayerTrainer(problem, config({ iterations: 40 }));
    for (let k = 0; k < 25; k++) first.iteration();
    saveCheckpoint(dir, first.exportState(), { note: 'test' });
    const loaded = loadCheckpoint<{ note: string }>(dir).state;
    expect(isLayerState(loaded)).toBe(true);
    if (!isLayerState(loaded)) return;
    const resumed = new LayerTrainer(problem, loaded.config, loaded);
    for (let k = 0; k < 15; k++) resumed.iteration();
    expect(Array.from(resumed.theta.dataSync())).toEqual(Array.from(straight.theta.dataSync()));
    for (const t of [straight, first, resumed]) t.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a time limit bounds the whole run, sampling included', async () => {
    const d = 7;
    const reward = randomModularReward(d, 8);
    const backend = await selectBackend('wasm');
    const config = resolveTrainConfig({ seed: 1, timeLimitSeconds: 3, iterations: Number.MAX_SAFE_INTEGER, hidden: 32 }, d);
    expect(config.sampler).toBe('layers');
    const started = performance.now();
    const result = await runGflownet({ reward, config, samples: 200_000, backend, exact: false }, quietJobContext());
    const wall = (performance.now() - started) / 1000;
    expect(wall).toBeLessThan(3 * 1.1 + 0.3);
    expect(result.samples.count).toBeGreaterThan(0);
    expect(result.importance!.logWeights.length).toBe(result.samples.count);
  });
});
