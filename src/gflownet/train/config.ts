/**
 * Every hyper-parameter of DAG-GFlowNet training, with the defaults that make the d = 5
 * benchmark converge on a 2-core CPU (see docs/gflownet.md for how they were chosen).
 */
import type { FieldKey } from '../../shared/fields.ts';
import { DagflowError } from '../core/errors.ts';
import type { ObjectiveName } from './objectives.ts';
import { SUPERSET_MAX_D, type ShapingBaseline } from '../policy/shaping.ts';
import type { ScheduleConfig } from './schedule.ts';
import type { IntrinsicConfig } from './intrinsic/intrinsicRewards.ts';

/**
 * edges: the DAG-GFlowNet that adds one edge at a time (trained by a balance objective);
 * layers: the layered GFlowNet that builds a DAG's layering and then its parent sets, trained
 * from a partition-MCMC teacher, with exact path probabilities (layerflow/).
 */
export type SamplerSpace = 'edges' | 'layers';

export interface TrainConfig extends ScheduleConfig, IntrinsicConfig {
  sampler: SamplerSpace;
  /** layers: partition-MCMC moves of the teacher chain per iteration. */
  teacherSteps: number;
  /**
   * layers: candidate parents screened per node (mcmc/candidateParents.ts); 0 = automatic: every
   * parent the knowledge allows when its parent-set tables fit, else the widest screened space
   * that fits. A run's summary reports the space and an MCMC check of the mass outside it.
   */
  candidateParents: number;
  objective: ObjectiveName;
  /** Stop after this many iterations (one acting step of every environment + one gradient step). */
  iterations: number;
  /** Stop after this many seconds of training (0 = no limit). The schedules follow whichever budget is nearer its end. */
  timeLimitSeconds: number;
  seed: number;
  /** Transitions (mdb) or trajectories (tb) per gradient step. */
  batchSize: number;
  /** Parallel environments acting with the current policy. */
  environments: number;
  /** Width of the node representations. */
  hidden: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;
  /** mdb: hard copy of the online network to the target network every this many steps. */
  targetUpdateEvery: number;
  /** mdb: Huber threshold. */
  huberThreshold: number;
  replayCapacity: number;
  /** subtb: weight λ^(b−a) of a segment of b − a edges. */
  subTbLambda: number;
  /** tb, subtb: completed trajectories kept to draw batches from. */
  trajectoryPool: number;
  /** Offset the edge logits by a baseline of the log-flow, so the network learns only the remainder (policy/shaping.ts). */
  rewardShaping: boolean;
  /** The baseline: `superset` (log-flow without the acyclicity constraint, up to 12 nodes) or `delta` (log R). */
  shapingBaseline: ShapingBaseline;
  /** superset baseline: start the stop head's bias at the baseline's gap where the untrained sampler stops. */
  initStopBias: boolean;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  sampler: 'edges',
  teacherSteps: 200,
  candidateParents: 0,
  objective: 'mdb',
  iterations: 20_000,
  timeLimitSeconds: 0,
  seed: 0,
  batchSize: 64,
  environments: 64,
  hidden: 64,
  learningRate: 1e-2,
  learningRateEnd: 3e-4,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  targetUpdateEvery: 100,
  huberThreshold: 1,
  replayCapacity: 100_000,
  trajectoryPool: 1024,
  subTbLambda: 0.9,
  rewardShaping: true,
  shapingBaseline: 'superset',
  initStopBias: true,
  intrinsic: 'none',
  intrinsicWeight: 0.1,
  intrinsicDecay: 0.5,
  prefillIterations: 50,
  epsilonStart: 1,
  epsilonEnd: 0.1,
  epsilonDecayFraction: 0.5,
});

type NumericKey = { [K in keyof TrainConfig]: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];

const RANGES: Partial<Record<NumericKey, { min: number; max?: number; integer?: boolean; field?: FieldKey }>> = {
  iterations: { min: 1, integer: true, field: 'sampler.iterations' },
  teacherSteps: { min: 1, max: 1e7, integer: true, field: 'train.teacherSteps' },
  candidateParents: { min: 0, max: 10_000, integer: true, field: 'train.candidateParents' },
  timeLimitSeconds: { min: 0, field: 'sampler.timeLimit' },
  batchSize: { min: 1, max: 65536, integer: true, field: 'train.batchSize' },
  environments: { min: 1, max: 65536, integer: true },
  hidden: { min: 1, max: 4096, integer: true },
  learningRate: { min: 1e-12, max: 10, field: 'train.learningRate' },
  learningRateEnd: { min: 1e-12, max: 10 },
  targetUpdateEvery: { min: 1, integer: true },
  huberThreshold: { min: 1e-9 },
  replayCapacity: { min: 1, integer: true },
  trajectoryPool: { min: 1, integer: true },
  subTbLambda: { min: 1e-6, max: 1 },
  intrinsicWeight: { min: 0, max: 1e6, field: 'train.intrinsicWeight' },
  intrinsicDecay: { min: 0, max: 1, field: 'train.intrinsicDecay' },
  prefillIterations: { min: 0, integer: true },
  epsilonStart: { min: 0, max: 1 },
  epsilonEnd: { min: 0, max: 1 },
  epsilonDecayFraction: { min: 0, max: 1 },
  adamBeta1: { min: 0, max: 0.999999 },
  adamBeta2: { min: 0, max: 0.999999999 },
  adamEpsilon: { min: 0 },
};

/**
 * Beyond SUPERSET_MAX_D variables (where the delta baseline is used) uniform-random play is a
 * poor teacher: with hundreds of legal edges it stops with probability about 1/d² per step, so
 * ε-uniform trajectories end on graphs with 100+ edges and the replay buffer holds little of the
 * region the sampler should learn. Measured at d = 20 (bench (b) data, ER prior, 180 s): ε 1 → 0.1
 * and lr 10⁻² gave E-SHD 165 and 187 expected edges (51 true); ε 0.1 → 0.01 with lr 10⁻³ → 10⁻⁴
 * gave E-SHD 55 and 54.
 */
export const LARGE_PROBLEM_DEFAULTS: Readonly<Pick<TrainConfig, 'epsilonStart' | 'epsilonEnd' | 'learningRate' | 'learningRateEnd'>> =
  Object.freeze({
    epsilonStart: 0.1,
    epsilonEnd: 0.01,
    learningRate: 1e-3,
    learningRateEnd: 1e-4,
  });

/**
 * Beyond LAYERED_FROM − 1 variables the layered GFlowNet is the default sampler: on Sachs
 * (d = 11) and held-out d = 20 data it reaches the exact edge marginals an order of magnitude
 * closer than the edge GFlowNet in the same time (docs/gflownet.md). Up to 5 variables the
 * edge GFlowNet keeps its measured d = 5 results.
 */
export const LAYERED_FROM = 6;

/** The layered sampler's own defaults (a batch is 32 teacher layerings; its MLP is wider). */
export const LAYERED_DEFAULTS: Readonly<Pick<TrainConfig, 'batchSize' | 'hidden' | 'learningRate' | 'learningRateEnd'>> = Object.freeze({
  batchSize: 32,
  hidden: 64,
  learningRate: 3e-3,
  learningRateEnd: 3e-4,
});

/** The sampler a problem with d variables gets by default. */
export function defaultSamplerFor(d: number | undefined): SamplerSpace {
  return d !== undefined && d >= LAYERED_FROM ? 'layers' : 'edges';
}

/** The defaults for a problem with d variables, and for the sampler when it is chosen explicitly. */
export function defaultTrainConfig(d?: number, sampler: SamplerSpace = defaultSamplerFor(d)): TrainConfig {
  if (sampler === 'layers') return { ...DEFAULT_TRAIN_CONFIG, sampler, ...LAYERED_DEFAULTS };
  return { ...DEFAULT_TRAIN_CONFIG, sampler, ...(d !== undefined && d > SUPERSET_MAX_D ? LARGE_PROBLEM_DEFAULTS : {}) };
}

/** Defaults (for d variables, when given) overlaid with `overrides`, every value range-checked. */
export function resolveTrainConfig(overrides: Partial<TrainConfig> = {}, d?: number): TrainConfig {
  if (overrides.sampler !== undefined && overrides.sampler !== 'edges' && overrides.sampler !== 'layers') {
    throw new DagflowError(
      'BAD_OPTION',
      `unknown sampler "${String(overrides.sampler)}"`,
      { field: 'train.sampler' },
      'use layers or edges',
    );
  }
  const config: TrainConfig = defaultTrainConfig(d, overrides.sampler ?? defaultSamplerFor(d));
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  if (config.objective !== 'mdb' && config.objective !== 'tb' && config.objective !== 'subtb' && config.objective !== 'fm') {
    throw new DagflowError(
      'BAD_OPTION',
      `unknown objective "${String(config.objective)}"`,
      { field: 'train.objective' },
      'use mdb, tb, subtb or fm',
    );
  }
  if (config.intrinsic !== 'none' && config.intrinsic !== 'rnd') {
    throw new DagflowError(
      'BAD_OPTION',
      `unknown intrinsic reward "${String(config.intrinsic)}"`,
      { field: 'train.intrinsic' },
      'use none or rnd',
    );
  }
  for (const [key, range] of Object.entries(RANGES) as Array<[NumericKey, NonNullable<(typeof RANGES)[NumericKey]>]>) {
    const v = config[key];
    const bad =
      !Number.isFinite(v) || v < range.min || (range.max !== undefined && v > range.max) || (range.integer && !Number.isInteger(v));
    if (bad) {
      throw new DagflowError(
        'BAD_OPTION',
        `${key} = ${v} is out of range (≥ ${range.min}${range.max !== undefined ? `, ≤ ${range.max}` : ''}${range.integer ? ', whole number' : ''})`,
        range.field ? { field: range.field } : {},
      );
    }
  }
  if (typeof config.rewardShaping !== 'boolean') throw new DagflowError('BAD_OPTION', 'rewardShaping must be true or false');
  if (config.shapingBaseline !== 'superset' && config.shapingBaseline !== 'delta')
    throw new DagflowError('BAD_OPTION', `unknown shaping baseline "${String(config.shapingBaseline)}"`, {}, 'use superset or delta');
  if (!Number.isInteger(config.seed))
    throw new DagflowError('BAD_OPTION', `seed must be a whole number, got ${config.seed}`, { field: 'sampler.seed' });
  return config;
}
