/**
 * Train → checkpoint → sample → (d ≤ 5) exact evaluation: the whole GFlowNet run shared by
 * `dagflow train` and the `train` job kind, so both produce the same numbers.
 */
import type { CandidateSpaceReport } from '../mcmc/candidateCheck.ts';
import type { BackendChoice } from '../backend/select.ts';
import type { JobContext } from '../core/job.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { buildConstraints } from '../env/constraints.ts';
import type { EdgeReward } from '../env/dagEnv.ts';
import { MAX_ENUMERATION_NODES } from '../exact/enumerate.ts';
import type { FamilyLogReward } from '../exact/familyTable.ts';
import { enumeratePosterior } from '../exact/posterior.ts';
import { evaluateAgainstPosterior } from '../sampling/exactEvaluation.ts';
import { sampleDags, type SampledDags } from '../sampling/sampler.ts';
import { isLayerState, saveCheckpoint } from './checkpoint.ts';
import { DagflowError } from '../core/errors.ts';
import type { TrainConfig } from './config.ts';
import { trainGflownet, type TrainProgress } from './loop.ts';
import { runLayeredGflownet } from '../layerflow/layerPipeline.ts';
import type { SamplerState } from './checkpoint.ts';
import type { TrainerState } from './trainer.ts';

export type PipelineProgress =
  | ({ phase: 'training' } & TrainProgress)
  | { phase: 'sampling'; sampled: number; total: number }
  | { phase: 'evaluating'; statesEvaluated: number; states: number };

export interface PipelineInput<Meta> {
  reward: EdgeReward & FamilyLogReward;
  knowledge?: PriorKnowledge;
  config: TrainConfig;
  /** DAGs to draw after training. */
  samples: number;
  backend: BackendChoice;
  /** Where to write the checkpoint (none when undefined). */
  checkpointDir?: string;
  /** Stored in the checkpoint so that `dagflow sample` can rebuild the problem. */
  meta?: Meta;
  resume?: SamplerState;
  /** Compare the trained sampler with the exact posterior when d ≤ 5 (default true). */
  exact?: boolean;
}

export interface PipelineResult {
  iterations: number;
  seconds: number;
  stepsPerSecond: number;
  finalLoss: number;
  samples: SampledDags;
  /** P(i → j) among the samples, row-major. */
  sampleMarginals: Float64Array;
  /** Loss moving average about every 1 % of training, for plots. */
  lossTrace: number[];
  exact?: { jsd: number; edgeMarginalRmse: number; edgeMarginalMaxError: number };
  /**
   * Layered sampler only: the draws' self-normalised importance weights. `sampleMarginals` are
   * then the weighted, Rao–Blackwellised estimates; `samplerMarginals` the unweighted ones.
   */
  importance?: { effectiveSampleSize: number; logZ: number; samplerMarginals: Float64Array; logWeights: Float64Array };
  /** Wall-clock seconds of the whole run (setup, training, sampling, evaluation). */
  wallSeconds?: number;
  /** Layered sampler with a candidate-parent space: the space and its MCMC check. */
  candidateSpace?: CandidateSpaceReport;
}

/** Share of a time limit the edge sampler trains for; the rest is left for sampling and summaries. */
export const EDGE_TRAINING_SHARE = 0.8;

export async function runGflownet<Meta>(input: PipelineInput<Meta>, ctx: JobContext<PipelineProgress>): Promise<PipelineResult> {
  if ((input.config.sampler ?? 'edges') === 'layers') return runLayeredGflownet(input, ctx);
  if (input.resume && isLayerState(input.resume))
    throw new DagflowError(
      'BAD_OPTION',
      'this checkpoint is of the layered sampler',
      { field: 'sampler.resume' },
      'resume with {{train.sampler=layers}}',
    );
  const started = performance.now();
  const d = input.reward.d;
  const constraints = buildConstraints(d, input.knowledge);
  const lossTrace: number[] = [];
  const limit = input.config.timeLimitSeconds;
  // A time limit bounds the whole run: training takes EDGE_TRAINING_SHARE of it (its clock counts
  // only its iterations), and sampling stops at the limit with the draws made so far.
  const config =
    limit > 0 ? { ...input.config, timeLimitSeconds: limit * EDGE_TRAINING_SHARE + (input.resume?.seconds ?? 0) } : input.config;
  const outcome = await trainGflownet(
    { constraints, reward: input.reward },
    config,
    {
      signal: ctx.signal,
      log: ctx.log,
      progress: (p) => {
        if (Number.isFinite(p.lossAverage)) lossTrace.push(p.lossAverage);
        ctx.progress({ phase: 'training', ...p });
      },
    },
    {
      resume: input.resume as TrainerState | undefined,
      checkpoint: input.checkpointDir
        ? {
            everySeconds: 60,
            save: (state) => saveCheckpoint(input.checkpointDir!, state, { backend: input.backend.backend, ...(input.meta ?? {}) }),
          }
        : undefined,
    },
  );
  const trainer = outcome.trainer;
  try {
    if (input.checkpointDir)
      saveCheckpoint(input.checkpointDir, trainer.exportState(), { backend: input.backend.backend, ...(input.meta ?? {}) });
    const samples = await sampleDags(trainer.theta, trainer.layout, constraints, input.reward, input.samples, {
      seed: input.config.seed + 1,
      shaping: trainer.config,
      ...(limit > 0 ? { deadline: started + limit * 1000 } : {}),
      ctx: { signal: ctx.signal, log: ctx.log, progress: (p) => ctx.progress({ phase: 'sampling', ...p }) },
    });
    if (samples.count < input.samples) ctx.log(`the time limit ended sampling after ${samples.count} of ${input.samples} samples`);
    const sampleMarginals = new Float64Array(d * d);
    for (let k = 0; k < samples.count; k++) for (let t = 0; t < d * d; t++) sampleMarginals[t]! += samples.adjacency[k * d * d + t]!;
    for (let t = 0; t < d * d; t++) sampleMarginals[t]! /= samples.count;
    let exact: PipelineResult['exact'];
    if ((input.exact ?? true) && d <= MAX_ENUMERATION_NODES) {
      const posterior = await enumeratePosterior(input.reward, input.knowledge);
      const e = await evaluateAgainstPosterior(
        trainer.theta,
        trainer.layout,
        constraints,
        posterior,
        trainer.runner.shaping,
        input.knowledge,
        {
          signal: ctx.signal,
          log: ctx.log,
          progress: (p) => ctx.progress({ phase: 'evaluating', ...p }),
        },
      );
      exact = { jsd: e.jsd, edgeMarginalRmse: e.edgeMarginalRmse, edgeMarginalMaxError: e.edgeMarginalMaxError };
    }
    return {
      iterations: outcome.iterations,
      seconds: outcome.seconds,
      stepsPerSecond: outcome.stepsPerSecond,
      finalLoss: outcome.finalLoss,
      samples,
      sampleMarginals,
      lossTrace,
      exact,
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    trainer.dispose();
  }
}
