/**
 * Training the layered GFlowNet off-policy from MCMC teachers (layerTeachers.ts: partition
 * MCMC, whose states are layerings drawn ∝ S(Λ), exactly this sampler's target, and order
 * MCMC, which crosses between an edge's orientations where partition MCMC stalls). Each
 * layering has one path, so every iteration advances one of TEACHER_CHAINS teacher chains (in
 * turn; each but the first starts from a random layering, so that the pool does not inherit
 * one chain's mode — a single chain stuck on the wrong orientation of an edge left the
 * sampler with it) by `teacherSteps` moves, stores its layering every d moves in a pool once
 * the chain is past its burn-in, and takes one Adam step of maximum likelihood (layerLoss.ts)
 * on `batchSize` layerings drawn from the pool. The network learns to generate, in one pass and independently, what the
 * chain visits one correlated state at a time; the sampler's exact path probabilities then
 * give importance weights that correct what it has not learned (layerSampler.ts).
 * Everything random is seeded and part of the state, so a run resumes exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, type RngState } from '../core/rng.ts';
import { FlatAdam, variableFrom } from '../train/adam.ts';
import type { TrainConfig } from '../train/config.ts';
import { layerFeatureWidth } from './layerEnv.ts';
import { layerLikelihoodGradient } from './layerLoss.ts';
import { initialLayerParameters, layerForwardCached, layerGradient, layerLayout, type LayerLayout } from './layerNetwork.ts';
import type { LayerProblem } from './layerProblem.ts';
import { pathsOfLayerings, type LayerPath } from './layerRollout.ts';
import { createTeacher, randomTeacherStart, type LayerTeacher, type TeacherKind } from './layerTeachers.ts';

/** Everything needed to continue a layered run exactly where it stopped. */
export interface LayerTrainerState {
  sampler: 'layers';
  config: TrainConfig;
  d: number;
  step: number;
  seconds: number;
  lossAverage: number;
  rng: RngState;
  teacherRng: RngState;
  theta: Float32Array;
  adamM: Float32Array;
  adamV: Float32Array;
  adamT: number;
  /** The teacher chains' current layerings, d entries each. */
  teacherLayering: Int32Array;
  /** The pool of the teacher's layerings, d entries each. */
  pool: Int32Array;
  poolCount: number;
  poolCursor: number;
}

/** The chains that teach in turn (layerTeachers.ts says why both kinds). */
export const TEACHER_KINDS: readonly TeacherKind[] = ['partition', 'order', 'partition', 'order'];
export const TEACHER_CHAINS = TEACHER_KINDS.length;
/** Memory the cached paths of pool layerings may take. */
const PATH_CACHE_BYTES = 384 * 2 ** 20;
/** Memory a cached path takes. */
function bytesOf(path: LayerPath): number {
  return path.features.byteLength + path.legal.byteLength + path.actions.byteLength;
}

/** Moves of a teacher chain, per variable, before its layerings join the pool. */
const TEACHER_BURN_IN_PER_NODE = 50;

export class LayerTrainer {
  readonly layout: LayerLayout;
  readonly theta: tf.Variable<tf.Rank.R1>;
  private readonly adam: FlatAdam;
  private readonly rng: Rng;
  private readonly teacherRng: Rng;
  private readonly teachers: LayerTeacher[];
  private readonly pool: Int32Array;
  private poolCount = 0;
  private poolCursor = 0;
  /**
   * Each pool slot's path (features and legal actions along the layering), computed the first
   * time the slot is drawn: a layering is drawn about batchSize·d/teacherSteps times while it
   * is in the pool, and computing its path costs as much as drawing a layering (the
   * environment's table updates were the largest cost of training at d = 37). undefined: not
   * computed (or not kept, past the memory bound); null: the environment cannot build it.
   */
  private readonly paths: Array<LayerPath | null | undefined>;
  private pathBytes = 0;
  step = 0;
  seconds = 0;
  lossAverage = NaN;

  constructor(
    readonly problem: LayerProblem,
    readonly config: TrainConfig,
    state?: LayerTrainerState,
  ) {
    const d = problem.d;
    this.layout = layerLayout({ d, hidden: config.hidden });
    const root = new Rng(config.seed);
    this.theta = variableFrom(state ? state.theta : initialLayerParameters(this.layout, root.fork(1)), true);
    this.adam = new FlatAdam(this.layout.size, { beta1: config.adamBeta1, beta2: config.adamBeta2, epsilon: config.adamEpsilon });
    this.rng = root.fork(2);
    this.teacherRng = root.fork(3);
    this.teachers = TEACHER_KINDS.map((kind, c) => {
      const saved = state && state.teacherLayering.length >= (c + 1) * d ? state.teacherLayering.slice(c * d, (c + 1) * d) : undefined;
      return createTeacher(problem, kind, saved ?? (c === 0 ? undefined : randomTeacherStart(problem, kind, this.teacherRng)));
    });
    this.pool = new Int32Array(config.replayCapacity * d);
    this.paths = new Array<LayerPath | null | undefined>(config.replayCapacity);
    if (state) this.restore(state);
  }

  /** Fraction of the budget used: the larger of iterations and time. */
  progress(): number {
    const byTime = this.config.timeLimitSeconds > 0 ? this.seconds / this.config.timeLimitSeconds : 0;
    return Math.min(1, Math.max(this.step / this.config.iterations, byTime));
  }

  finished(): boolean {
    return this.step >= this.config.iterations || (this.config.timeLimitSeconds > 0 && this.seconds >= this.config.timeLimitSeconds);
  }

  learningRate(): number {
    const c = this.config;
    return c.learningRate * (c.learningRateEnd / c.learningRate) ** this.progress();
  }

  /** Layerings the teacher has contributed so far (the pool's fill). */
  poolFill(): number {
    return this.poolCount / this.config.replayCapacity;
  }

  iteration(): number {
    const started = performance.now();
    const c = this.config;
    const d = this.problem.d;
    // The chain's state every d moves (partition MCMC's usual thinning) joins the pool.
    const turn = this.step % this.teachers.length;
    const teacher = this.teachers[turn]!;
    // A chain's moves so far: its turns before this one.
    const past = Math.floor(this.step / this.teachers.length) * c.teacherSteps;
    for (let s = 1; s <= c.teacherSteps; s++) {
      teacher.step(this.teacherRng);
      if ((s % d === 0 || s === c.teacherSteps) && past + s > TEACHER_BURN_IN_PER_NODE * d)
        this.remember(teacher.layering(this.teacherRng));
    }
    if (this.poolCount === 0) this.remember(teacher.layering(this.teacherRng)); // something to learn from during the burn-in
    const paths: LayerPath[] = [];
    for (let k = 0; k < c.batchSize; k++) {
      const path = this.pathOf(this.rng.int(this.poolCount));
      if (path) paths.push(path);
    }
    const loss = paths.length > 0 ? this.learn(paths, this.learningRate()) : NaN;
    if (Number.isFinite(loss)) this.lossAverage = Number.isFinite(this.lossAverage) ? 0.98 * this.lossAverage + 0.02 * loss : loss;
    this.step++;
    this.seconds += (performance.now() - started) / 1000;
    return loss;
  }

  private pathOf(slot: number): LayerPath | null {
    const cached = this.paths[slot];
    if (cached !== undefined) return cached;
    const d = this.problem.d;
    const path = pathsOfLayerings(this.problem, [this.pool.subarray(slot * d, (slot + 1) * d)])[0]!;
    const bytes = path ? bytesOf(path) : 0;
    if (this.pathBytes + bytes <= PATH_CACHE_BYTES) {
      this.paths[slot] = path;
      this.pathBytes += bytes;
    }
    return path;
  }

  private remember(layering: Int32Array): void {
    const old = this.paths[this.poolCursor];
    if (old) this.pathBytes -= bytesOf(old);
    this.paths[this.poolCursor] = undefined;
    this.pool.set(layering, this.poolCursor * this.problem.d);
    this.poolCursor = (this.poolCursor + 1) % this.config.replayCapacity;
    this.poolCount = Math.min(this.poolCount + 1, this.config.replayCapacity);
  }

  /**
   * One Adam step: a forward pass for the logits, the loss gradient with respect to them on
   * the CPU, then the gradient of the surrogate Σ logits ⊙ dLogits, which is the loss's.
   */
  private learn(paths: readonly LayerPath[], lr: number): number {
    const d = this.problem.d;
    const F = layerFeatureWidth(d);
    let rows = 0;
    for (const p of paths) rows += p.length;
    const features = new Float32Array(rows * F);
    let at = 0;
    for (const p of paths) {
      features.set(p.features, at);
      at += p.features.length;
    }
    // One forward pass: its logits give the loss gradient on the CPU, its activations the backward pass.
    let loss = NaN;
    tf.tidy(() => {
      const cache = layerForwardCached(this.theta, this.layout, tf.tensor2d(features, [rows, F]));
      const gradient = layerLikelihoodGradient(paths, cache.logits.dataSync() as Float32Array, d);
      loss = gradient.loss;
      const grad = layerGradient(this.theta, this.layout, cache, tf.tensor2d(gradient.dLogits, [rows, d + 1]));
      this.adam.apply(this.theta, grad, lr);
    });
    return loss;
  }

  exportState(): LayerTrainerState {
    return {
      sampler: 'layers',
      config: { ...this.config },
      d: this.problem.d,
      step: this.step,
      seconds: this.seconds,
      lossAverage: this.lossAverage,
      rng: this.rng.getState(),
      teacherRng: this.teacherRng.getState(),
      theta: this.theta.dataSync() as Float32Array,
      adamM: this.adam.m.dataSync() as Float32Array,
      adamV: this.adam.v.dataSync() as Float32Array,
      adamT: this.adam.t,
      teacherLayering: Int32Array.from(this.teachers.flatMap((t) => Array.from(t.state()))),
      pool: this.pool.slice(0, this.poolCount * this.problem.d),
      poolCount: this.poolCount,
      poolCursor: this.poolCursor,
    };
  }

  private restore(s: LayerTrainerState): void {
    if (s.d !== this.problem.d || s.theta.length !== this.layout.size) throw new Error('checkpoint does not match this problem');
    this.step = s.step;
    this.seconds = s.seconds;
    this.lossAverage = s.lossAverage;
    this.rng.setState(s.rng);
    this.teacherRng.setState(s.teacherRng);
    tf.tidy(() => {
      this.adam.m.assign(tf.tensor1d(s.adamM));
      this.adam.v.assign(tf.tensor1d(s.adamV));
    });
    this.adam.t = s.adamT;
    this.pool.set(s.pool.subarray(0, Math.min(s.pool.length, this.pool.length)));
    this.poolCount = Math.min(s.poolCount, this.config.replayCapacity);
    this.poolCursor = s.poolCursor % this.config.replayCapacity;
  }

  dispose(): void {
    this.theta.dispose();
    this.adam.dispose();
  }
}
