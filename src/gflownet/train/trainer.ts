/**
 * The DAG-GFlowNet trainer (docs/architecture.md §2): parallel environments act with the current policy
 * mixed with ε-uniform exploration, edge-adding transitions go to the replay buffer, and each
 * iteration takes one Adam step on modified detailed balance (target network, Huber), flow
 * matching (the same replay; each state's parents ride in the forward pass), trajectory balance
 * (learned log Z) or sub-trajectory balance — with augmented flows (RND novelty rewards,
 * intrinsic/) when asked. Everything random comes from seeded generators whose
 * state is part of the checkpoint, so a run is reproducible and resumable step for step.
 */
import * as tf from '@tensorflow/tfjs';
import { DagflowError } from '../core/errors.ts';
import { Rng, type RngState } from '../core/rng.ts';
import { DagEnvBatch, type EdgeReward } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import type { StateBatch } from '../policy/features.ts';
import { logProbsFromOutputs, type StateLogProbs } from '../policy/logProbs.ts';
import { initialParameters, paramLayout, policyBackward, policyForward, type ParamLayout } from '../policy/network.ts';
import { PolicyRunner } from '../policy/runner.ts';
import { createShaping, type RewardShaping } from '../policy/shaping.ts';
import { chooseAction } from './acting.ts';
import { FlatAdam, variableFrom } from './adam.ts';
import type { TrainConfig } from './config.ts';
import { mdbLossGradient, tbLossGradient, type NetworkOutputs, type OutputGradient } from './objectives.ts';
import { ReplayBuffer, allocateTransitions, type ReplaySnapshot, type TransitionBatch } from './replay.ts';
import { epsilonAt, learningRateAt } from './schedule.ts';
import { subTbLossGradient } from './subTrajectoryBalance.ts';
import { buildFlowMatchingBatch, fmLossGradient } from './flowMatching.ts';
import { augmentedMdbLossGradient, augmentedSubTbLossGradient, augmentedTbLossGradient } from './intrinsic/augmentedObjectives.ts';
import { IntrinsicRewards, intrinsicWeightAt, type IntrinsicSnapshot } from './intrinsic/intrinsicRewards.ts';
import { TrajectoryPool, type TrajectoryRecord } from './trajectories.ts';

export interface TrainProblem {
  readonly constraints: EnvConstraints;
  readonly reward: EdgeReward;
}

/** Everything needed to continue a run exactly where it stopped (structured-clone-able). */
export interface TrainerState {
  config: TrainConfig;
  d: number;
  step: number;
  seconds: number;
  terminals: number;
  lossAverage: number;
  lastLoss: number;
  actRng: RngState;
  learnRng: RngState;
  theta: Float32Array;
  target: Float32Array;
  adamM: Float32Array;
  adamV: Float32Array;
  adamT: number;
  edgeEstimate: Float64Array;
  env: {
    adjacency: Uint8Array;
    closure: Uint8Array;
    mask: Uint8Array;
    parentCount: Int32Array;
    edgeCount: Int32Array;
    legalCount: Int32Array;
    logReward: Float64Array;
  };
  envActions: number[][];
  envDeltas?: number[][];
  replay?: ReplaySnapshot;
  trajectories?: { records: TrajectoryRecord[]; cursor: number };
  /** Augmented flows: the RND networks, the predictor's Adam state and the reference reward. */
  intrinsic?: IntrinsicSnapshot;
}

export class Trainer {
  readonly layout: ParamLayout;
  readonly theta: tf.Variable<tf.Rank.R1>;
  private readonly target: tf.Variable<tf.Rank.R1>;
  private readonly adam: FlatAdam;
  private readonly env: DagEnvBatch;
  readonly runner: PolicyRunner;
  private readonly replay: ReplayBuffer | undefined;
  private readonly pool: TrajectoryPool | undefined;
  private readonly batch: TransitionBatch | undefined;
  private readonly actRng: Rng;
  private readonly learnRng: Rng;
  /** Novelty rewards of augmented flows (`intrinsic: 'rnd'`). */
  private readonly intrinsic: IntrinsicRewards | undefined;
  /** Actions taken so far in each environment's current trajectory (trajectory balance). */
  private envActions: number[][];
  /** Δ log R of those actions (sub-trajectory balance). */
  private envDeltas: number[][];
  step = 0;
  /** Training seconds so far, across resumes. */
  seconds = 0;
  terminals = 0;
  lossAverage = NaN;
  lastLoss = NaN;
  /** Edge frequencies among recently finished trajectories (row = parent). */
  readonly edgeEstimate: Float64Array;
  /** Called with every DAG an environment finishes (the objectives benchmark counts what exploration found). */
  onTerminal?: (adjacency: Uint8Array, logReward: number) => void;

  constructor(
    readonly problem: TrainProblem,
    readonly config: TrainConfig,
    state?: TrainerState,
  ) {
    const d = problem.constraints.d;
    this.layout = paramLayout({ d, hidden: config.hidden });
    const root = new Rng(config.seed);
    const init = state ? state.theta : initialParameters(this.layout, root.fork(1));
    const shaping = createShaping(config, problem.reward, problem.constraints);
    if (!state && shaping?.baseline === 'superset' && config.initStopBias)
      init[this.layout.bs.offset] = initialStopBias(shaping, problem, root.fork(4));
    this.theta = variableFrom(init, true);
    this.target = variableFrom(state ? state.target : init, false);
    this.adam = new FlatAdam(this.layout.size, { beta1: config.adamBeta1, beta2: config.adamBeta2, epsilon: config.adamEpsilon });
    this.env = new DagEnvBatch(problem.constraints, problem.reward, config.environments);
    this.runner = new PolicyRunner(this.layout, shaping);
    this.actRng = root.fork(2);
    this.learnRng = root.fork(3);
    this.envActions = Array.from({ length: config.environments }, () => []);
    this.envDeltas = Array.from({ length: config.environments }, () => []);
    this.edgeEstimate = new Float64Array(d * d);
    this.intrinsic = config.intrinsic === 'rnd' ? new IntrinsicRewards(d, root.fork(5)) : undefined;
    if (config.objective === 'mdb' || config.objective === 'fm') {
      this.replay = new ReplayBuffer(d, config.replayCapacity);
      this.batch = allocateTransitions(d, config.batchSize);
    } else {
      this.pool = new TrajectoryPool(config.trajectoryPool);
    }
    if (state) this.restore(state);
  }

  /** Fraction of the budget used: the larger of iterations and time. */
  progress(): number {
    const byIterations = this.step / this.config.iterations;
    const byTime = this.config.timeLimitSeconds > 0 ? this.seconds / this.config.timeLimitSeconds : 0;
    return Math.min(1, Math.max(byIterations, byTime));
  }

  epsilon(): number {
    return this.step < this.config.prefillIterations ? 1 : epsilonAt(this.config, this.progress());
  }

  replayFill(): number {
    if (this.replay) return this.replay.size / this.replay.capacity;
    return this.pool ? this.pool.size / this.pool.capacity : 0;
  }

  /**
   * One acting step of every environment, then (after the prefill) one gradient step. The
   * acting states ride along in the training forward pass (same weights, no gradient), so an
   * iteration runs one online forward, one target forward and one backward pass.
   */
  iteration(): number {
    const start = performance.now();
    const epsilon = this.epsilon();
    let loss = NaN;
    const learning = this.step >= this.config.prefillIterations;
    if (!learning) this.act(epsilon, undefined);
    else {
      const lr = learningRateAt(this.config, this.progress());
      const objective = this.config.objective;
      loss =
        objective === 'mdb'
          ? this.learnMdb(lr, epsilon)
          : objective === 'fm'
            ? this.learnFm(lr, epsilon)
            : this.learnFromTrajectories(lr, epsilon);
    }
    this.step++;
    if (this.config.objective === 'mdb' && this.step % this.config.targetUpdateEvery === 0) this.target.assign(this.theta);
    if (Number.isFinite(loss)) {
      this.lastLoss = loss;
      this.lossAverage = Number.isFinite(this.lossAverage) ? 0.98 * this.lossAverage + 0.02 * loss : loss;
    }
    this.seconds += (performance.now() - start) / 1000;
    return loss;
  }

  private act(epsilon: number, probs: StateLogProbs | undefined): void {
    const env = this.env;
    const dd = env.dd;
    for (let k = 0; k < env.n; k++) {
      const action = chooseAction(env, k, probs, k, epsilon, this.actRng);
      if (action === dd) {
        this.finish(k);
        continue;
      }
      const o = k * dd;
      const i = Math.floor(action / env.d);
      const delta = this.problem.reward.deltaLogReward(env.adjacency.subarray(o, o + dd), i, action - i * env.d);
      if (this.replay)
        this.replay.add(env.adjacency.subarray(o, o + dd), env.closure.subarray(o, o + dd), action, delta, env.removableCount(k));
      else {
        this.envActions[k]!.push(action);
        this.envDeltas[k]!.push(delta);
      }
      env.addEdge(k, action, delta);
    }
  }

  private finish(k: number): void {
    const env = this.env;
    const dd = env.dd;
    this.terminals++;
    const weight = 1 / Math.min(this.terminals, 1000);
    const o = k * dd;
    for (let t = 0; t < dd; t++) this.edgeEstimate[t]! += (env.adjacency[o + t]! - this.edgeEstimate[t]!) * weight;
    this.onTerminal?.(env.adjacency.subarray(o, o + dd), env.logReward[k]!);
    if (this.pool) {
      this.pool.add({
        actions: Int32Array.from(this.envActions[k]!),
        logReward: env.logReward[k]!,
        removable: env.removableCount(k),
        deltas: Float64Array.from(this.envDeltas[k]!),
      });
      this.envActions[k] = [];
      this.envDeltas[k] = [];
    }
    env.reset(k);
  }

  /**
   * Forward pass over the trained states followed by the environments (when they act with the
   * policy), the environments' step, the loss gradient from `lossGradient`, backward and Adam.
   */
  private trainAndAct(trained: StateBatch, epsilon: number, lr: number, lossGradient: (online: NetworkOutputs) => OutputGradient): number {
    const withEnvs = epsilon < 1;
    return tf.tidy(() => {
      const up = this.runner.upload(withEnvs ? [trained, this.env] : [trained], true);
      const out = policyForward(this.theta, this.layout, up.X, up.count);
      const E = out.E.dataSync() as Float32Array;
      const z = out.z.dataSync() as Float32Array;
      const probs = withEnvs
        ? logProbsFromOutputs(E, z, this.env.mask, this.env.d, trained.count, this.env.n, this.runner.shiftFor(this.env))
        : undefined;
      const grad = lossGradient({ E, z, shift: this.runner.shiftFor(trained) });
      if (!Number.isFinite(grad.loss))
        throw new DagflowError(
          'INTERNAL',
          `training diverged at iteration ${this.step} (the loss is ${grad.loss})`,
          { field: 'train.learningRate' },
          'lower {{train.learningRate}}',
        );
      const rows = trained.count * this.env.d;
      const flat = policyBackward(
        this.theta,
        this.layout,
        out.cache,
        up.XT!,
        tf.tensor2d(grad.dE, [rows, 2 * this.env.d]),
        tf.tensor1d(grad.dz),
        grad.dLogZ,
      );
      this.adam.apply(this.theta, flat, lr);
      this.act(epsilon, probs);
      return grad.loss;
    });
  }

  private learnMdb(lr: number, epsilon: number): number {
    const replay = this.replay!;
    const batch = this.batch!;
    if (replay.size === 0) {
      this.act(epsilon, epsilon < 1 ? this.runner.logProbs(this.theta, this.env) : undefined);
      return NaN;
    }
    replay.sample(this.learnRng, this.config.batchSize, this.problem.constraints, batch);
    const target: NetworkOutputs = { E: new Float32Array(0), z: new Float32Array(0), shift: this.runner.shiftFor(batch.next) };
    tf.tidy(() => {
      const up = this.runner.upload([batch.next], false);
      // log P(stop | s′) normalises over every legal addition, so the edge logits are needed too.
      const out = policyForward(this.target, this.layout, up.X, up.count);
      target.E = out.E.dataSync() as Float32Array;
      target.z = out.z.dataSync() as Float32Array;
    });
    const weight = this.intrinsicWeight();
    if (weight > 0) {
      const uStates = this.intrinsic!.logIntrinsic(batch.states, weight);
      const uNext = this.intrinsic!.logIntrinsic(batch.next, weight);
      this.intrinsic!.rnd.train(batch.next);
      return this.trainAndAct(batch.states, epsilon, lr, (online) =>
        augmentedMdbLossGradient(online, target, batch, this.env.d, this.config.huberThreshold, uStates, uNext),
      );
    }
    return this.trainAndAct(batch.states, epsilon, lr, (online) =>
      mdbLossGradient(online, target, batch, this.env.d, this.config.huberThreshold),
    );
  }

  /** Flow matching at the states reached by replayed transitions; their parents ride in the same forward pass. */
  private learnFm(lr: number, epsilon: number): number {
    const replay = this.replay!;
    const batch = this.batch!;
    if (replay.size === 0) {
      this.act(epsilon, epsilon < 1 ? this.runner.logProbs(this.theta, this.env) : undefined);
      return NaN;
    }
    replay.sample(this.learnRng, this.config.batchSize, this.problem.constraints, batch);
    const fm = buildFlowMatchingBatch(batch.next, this.problem.constraints, this.problem.reward);
    const weight = this.intrinsicWeight();
    let u: Float64Array | undefined;
    if (weight > 0) {
      u = this.intrinsic!.logIntrinsic(fm.states, weight);
      this.intrinsic!.rnd.train(batch.next);
    }
    return this.trainAndAct(fm.states, epsilon, lr, (online) => fmLossGradient(online, fm, this.env.d, this.config.huberThreshold, u));
  }

  /** β of the augmented flows now (0 without intrinsic rewards or once it has decayed). */
  private intrinsicWeight(): number {
    return this.intrinsic ? intrinsicWeightAt(this.config, this.progress()) : 0;
  }

  /** Trajectory balance or sub-trajectory balance on trajectories drawn from the pool. */
  private learnFromTrajectories(lr: number, epsilon: number): number {
    const pool = this.pool!;
    if (pool.size < Math.min(this.config.batchSize, pool.capacity)) {
      this.act(epsilon, epsilon < 1 ? this.runner.logProbs(this.theta, this.env) : undefined);
      return NaN;
    }
    const batch = pool.sampleFlattened(this.learnRng, this.config.batchSize, this.problem.constraints);
    const weight = this.intrinsicWeight();
    if (weight > 0) {
      const u = this.intrinsic!.logIntrinsic(batch.states, weight);
      this.intrinsic!.rnd.train(batch.states);
      if (this.config.objective === 'subtb')
        return this.trainAndAct(batch.states, epsilon, lr, (online) =>
          augmentedSubTbLossGradient(online, batch, this.env.d, this.config.subTbLambda, this.config.huberThreshold, u),
        );
      const logZ = this.theta.dataSync()[this.layout.logZ.offset]!;
      return this.trainAndAct(batch.states, epsilon, lr, (online) => augmentedTbLossGradient(online, logZ, batch, this.env.d, u));
    }
    if (this.config.objective === 'subtb')
      return this.trainAndAct(batch.states, epsilon, lr, (online) =>
        subTbLossGradient(online, batch, this.env.d, this.config.subTbLambda, this.config.huberThreshold),
      );
    const logZ = this.theta.dataSync()[this.layout.logZ.offset]!;
    return this.trainAndAct(batch.states, epsilon, lr, (online) => tbLossGradient(online, logZ, batch, this.env.d));
  }

  /** A snapshot of the whole run (weights, optimiser, environments, replay, RNG states). */
  exportState(): TrainerState {
    const env = this.env;
    return {
      config: { ...this.config },
      d: env.d,
      step: this.step,
      seconds: this.seconds,
      terminals: this.terminals,
      lossAverage: this.lossAverage,
      lastLoss: this.lastLoss,
      actRng: this.actRng.getState(),
      learnRng: this.learnRng.getState(),
      theta: this.theta.dataSync() as Float32Array,
      target: this.target.dataSync() as Float32Array,
      adamM: this.adam.m.dataSync() as Float32Array,
      adamV: this.adam.v.dataSync() as Float32Array,
      adamT: this.adam.t,
      edgeEstimate: this.edgeEstimate.slice(),
      env: {
        adjacency: env.adjacency.slice(),
        closure: env.closure.slice(),
        mask: env.mask.slice(),
        parentCount: env.parentCount.slice(),
        edgeCount: env.edgeCount.slice(),
        legalCount: env.legalCount.slice(),
        logReward: env.logReward.slice(),
      },
      envActions: this.envActions.map((a) => a.slice()),
      envDeltas: this.envDeltas.map((a) => a.slice()),
      replay: this.replay?.snapshot(),
      trajectories: this.pool?.snapshot(),
      intrinsic: this.intrinsic?.snapshot(),
    };
  }

  private restore(s: TrainerState): void {
    if (s.d !== this.env.d || s.theta.length !== this.layout.size) throw new Error('checkpoint does not match this problem');
    this.step = s.step;
    this.seconds = s.seconds;
    this.terminals = s.terminals;
    this.lossAverage = s.lossAverage;
    this.lastLoss = s.lastLoss;
    this.actRng.setState(s.actRng);
    this.learnRng.setState(s.learnRng);
    tf.tidy(() => {
      this.adam.m.assign(tf.tensor1d(s.adamM));
      this.adam.v.assign(tf.tensor1d(s.adamV));
    });
    this.adam.t = s.adamT;
    this.edgeEstimate.set(s.edgeEstimate);
    const env = this.env;
    env.adjacency.set(s.env.adjacency);
    env.closure.set(s.env.closure);
    env.mask.set(s.env.mask);
    env.parentCount.set(s.env.parentCount);
    env.edgeCount.set(s.env.edgeCount);
    env.legalCount.set(s.env.legalCount);
    env.logReward.set(s.env.logReward);
    this.envActions = s.envActions.map((a) => a.slice());
    this.envDeltas = s.envDeltas ? s.envDeltas.map((a) => a.slice()) : s.envActions.map((a) => a.map(() => NaN));
    if (this.replay && s.replay) this.replay.restore(s.replay);
    if (this.pool && s.trajectories) this.pool.restore(s.trajectories);
    if (this.intrinsic && s.intrinsic) this.intrinsic.restore(s.intrinsic);
  }

  dispose(): void {
    this.theta.dispose();
    this.target.dispose();
    this.adam.dispose();
  }
}

/**
 * With the superset baseline the stop head must learn the baseline's gap C(G) = B(G) − log R(G)
 * at the DAGs where the sampler stops, which is about the same at all of them and reaches
 * hundreds of nats when the posterior sits on dense graphs — a bias Adam would need tens of
 * thousands of steps to grow. It starts instead at the mean gap of the DAGs where the untrained
 * sampler (the shaped logits alone) stops, over 256 seeded runs.
 */
function initialStopBias(shaping: RewardShaping, problem: TrainProblem, rng: Rng): number {
  const n = 256;
  const env = new DagEnvBatch(problem.constraints, problem.reward, n);
  const d = env.d;
  const dd = env.dd;
  const E = new Float32Array(n * d * 2 * d);
  const z = new Float32Array(n);
  const done = new Uint8Array(n);
  let total = 0;
  for (let left = n; left > 0;) {
    const probs = logProbsFromOutputs(E, z, env.mask, d, 0, n, shaping.shift(env));
    for (let k = 0; k < n; k++) {
      if (done[k]) continue;
      const action = chooseAction(env, k, probs, k, 0, rng);
      if (action === dd) {
        total += shaping.supersetGap(env.adjacency, k * dd);
        done[k] = 1;
        left--;
      } else {
        env.addEdge(k, action);
      }
    }
  }
  return total / n;
}
