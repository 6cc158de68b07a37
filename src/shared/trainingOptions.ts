/**
 * The GFlowNet's training options beyond the budget, as the window sends them with a run
 * (SamplerSpec.training) — one field per `dagflow train` flag, checked here with the same ranges
 * as the flags and gflownet/train/config.ts, and the defaults the Node side reports for a
 * problem of d variables so that the window shows the numbers the engine will use.
 */
import * as v from 'valibot';
import { num, oneOf, parseRequest, strictObject } from './validators.ts';

/** auto: the layered sampler from LAYERED_FROM variables on, else the edge sampler. */
export const GFLOWNET_SAMPLER_SPACES = ['auto', 'layers', 'edges'] as const;
export const SHAPING_BASELINES = ['superset', 'delta', 'none'] as const;
export const TRAINING_BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

const opt = (min: number, max: number, integer = false) => v.optional(num(min, max, integer));

export const TrainingOptionsSchema = strictObject({
  sampler: v.optional(oneOf(GFLOWNET_SAMPLER_SPACES)),
  /** layers: partition-MCMC moves of the teacher chain per iteration. */
  teacherSteps: opt(1, 1e7, true),
  /** subtb: weight λ^k of a segment of k edges. */
  subTbLambda: opt(1e-6, 1),
  shaping: v.optional(oneOf(SHAPING_BASELINES)),
  batchSize: opt(1, 65536, true),
  learningRate: opt(1e-12, 10),
  learningRateEnd: opt(1e-12, 10),
  environments: opt(1, 65536, true),
  hidden: opt(1, 4096, true),
  /** mdb: copy to the target network every this many steps. */
  targetUpdateEvery: opt(1, 1e9, true),
  epsilonEnd: opt(0, 1),
  prefillIterations: opt(0, 1e9, true),
  replayCapacity: opt(1, 1e8, true),
  intrinsicWeight: opt(0, 1e6),
  intrinsicDecay: opt(0, 1),
  backend: v.optional(oneOf(TRAINING_BACKENDS)),
});
export type TrainingOptions = v.InferOutput<typeof TrainingOptionsSchema>;

/** The numbers a training option falls back to, for one sampler (gflownet/train/config.ts). */
export interface TrainingDefaultValues {
  iterations: number;
  teacherSteps: number;
  candidateParents: number;
  objective: 'mdb' | 'tb' | 'subtb' | 'fm';
  intrinsic: 'none' | 'rnd';
  intrinsicWeight: number;
  intrinsicDecay: number;
  subTbLambda: number;
  shaping: (typeof SHAPING_BASELINES)[number];
  batchSize: number;
  learningRate: number;
  learningRateEnd: number;
  environments: number;
  hidden: number;
  targetUpdateEvery: number;
  epsilonEnd: number;
  prefillIterations: number;
  replayCapacity: number;
}

export interface TrainingDefaultsView {
  variables: number;
  /** The sampler `auto` picks for this many variables. */
  automatic: 'layers' | 'edges';
  /** From this many variables on, `auto` is the layered sampler. */
  layeredFrom: number;
  /** Up to this many variables the superset shaping baseline applies (beyond: delta). */
  supersetMaxVariables: number;
  edges: TrainingDefaultValues;
  layers: TrainingDefaultValues;
}

/** The window's count of variables (the same bound as getTrust's; workflowValidation.ts imports this file, so not its constant). */
export const TrainingDefaultsRequestSchema = strictObject({ variables: num(1, 100_000, true) });
export type TrainingDefaultsRequest = v.InferOutput<typeof TrainingDefaultsRequestSchema>;
export const validateTrainingDefaultsRequest = (value: unknown): TrainingDefaultsRequest =>
  parseRequest('getTrainingDefaults', TrainingDefaultsRequestSchema, value);
