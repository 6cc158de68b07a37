/**
 * The `train` job kind: a DAG-GFlowNet trained and sampled for a problem (gflownet/train/
 * pipeline.ts), for the window and for `dagflow train` alike. Progress (iteration, loss,
 * steps/s, ETA, ε, replay fill) about every 0.5 s; cancel stops it within a second. The window
 * shows `posterior`; the command line writes the samples and `training` to its run folder.
 */
import { describeCandidateSpace, summarizeCandidateSpace, type CandidateSpaceSummary } from '../../gflownet/mcmc/candidateCheck.ts';
import { selectBackend, type BackendRequest } from '../../gflownet/backend/select.ts';
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { JobContext } from '../../gflownet/core/job.ts';
import { loadSamplerProblem } from '../../gflownet/problem/load.ts';
import type { ProblemSpec } from '../../gflownet/problem/spec.ts';
import { resolveTrainConfig, type SamplerSpace, type TrainConfig } from '../../gflownet/train/config.ts';
import type { ObjectiveName } from '../../gflownet/train/objectives.ts';
import type { IntrinsicName } from '../../gflownet/train/intrinsic/intrinsicRewards.ts';
import { runGflownet, type PipelineProgress } from '../../gflownet/train/pipeline.ts';
import type { SamplerState } from '../../gflownet/train/checkpoint.ts';
import type { TrainProgress } from '../../shared/progress.ts';
import type { PosteriorRunResult } from './posteriorResult.ts';
import type { TrainingOptions } from '../../shared/trainingOptions.ts';
import { DEFAULT_GFLOWNET_SAMPLES } from '../../shared/samplerDefaults.ts';
import { trainingFact, trainOverrides } from './trainOptions.ts';

const OBJECTIVE_NAMES: Record<ObjectiveName, string> = {
  mdb: 'modified detailed balance',
  tb: 'trajectory balance',
  subtb: 'sub-trajectory balance',
  fm: 'flow matching',
};

/** The budget of a run: training stops at whichever of iterations and time limit comes first. */
export interface TrainBudget {
  /** Training iterations (default from the config; no bound when only a time limit is given). */
  iterations?: number;
  /** Seconds of training (0 or absent: no limit). */
  timeLimitSeconds?: number;
  seed?: number;
  /** DAGs to draw after training (default 1000). */
  samples?: number;
  /** Edge sampler: the training objective (default mdb). */
  objective?: ObjectiveName;
  /** Edge sampler: augmented flows with novelty rewards (rnd) or none (default). */
  intrinsic?: IntrinsicName;
  /** Layered sampler: candidate parents per variable (0 = automatic). */
  candidateParents?: number;
  /** The window's other training options (one per `dagflow train` flag; trainOptions.ts). */
  training?: TrainingOptions;
}

export interface TrainJobParams {
  problem: ProblemSpec;
  sampler: TrainBudget;
  backend?: BackendRequest;
  /** Any other hyper-parameter (defaults in gflownet/train/config.ts). */
  train?: Partial<TrainConfig>;
  /** Where to keep the checkpoint (weights, optimiser, replay, RNG, config). */
  checkpointDir?: string;
  /** Stored in the checkpoint so its reader can rebuild the problem (default: the problem spec). */
  checkpointMeta?: Record<string, unknown>;
  /** Continue from this checkpoint state (same problem and options). */
  resume?: SamplerState;
}

export type TrainJobProgress = TrainProgress;

/** The pipeline's report as the window receives it (edge matrix as a plain array). */
function progressView(p: PipelineProgress): TrainProgress {
  return p.phase === 'training' ? { ...p, edgeMarginals: Array.from(p.edgeMarginals) } : p;
}

/** The training run in numbers, for the command line's summary.json. */
export interface TrainingFigures {
  backend: string;
  backendReason: string;
  sampler: SamplerSpace;
  objective: ObjectiveName;
  /** Augmented flows: the intrinsic reward, its weight β and the fraction of the budget over which β decays to 0. */
  intrinsic: { kind: IntrinsicName; weight: number; decay: number };
  iterations: number;
  seconds: number;
  stepsPerSecond: number;
  finalLoss: number;
  seed: number;
  exact?: { jsd: number; edgeMarginalRmse: number };
  /** Layered sampler: the samples' importance weights. */
  importance?: { effectiveSampleSize: number; logZ: number };
  /** Layered sampler in a candidate-parent space: the space and its MCMC check. */
  candidateParents?: CandidateSpaceSummary;
  wallSeconds?: number;
  /** Data-reading warnings. */
  warnings: string[];
}

export interface TrainJobResult {
  posterior: PosteriorRunResult;
  training: TrainingFigures;
}

export async function run(params: TrainJobParams, ctx: JobContext<TrainJobProgress>): Promise<TrainJobResult> {
  ctx.progress({ phase: 'reading the data' });
  const problem = await loadSamplerProblem(params.problem, { signal: ctx.signal });
  const d = problem.dataset.columns.length;
  const backend = await selectBackend(params.backend ?? params.sampler.training?.backend ?? 'auto');
  if (params.resume && params.resume.d !== d) {
    throw new DagflowError(
      'BAD_OPTION',
      `the checkpoint is for ${params.resume.d} variables, the data has ${d}`,
      { field: 'sampler.resume' },
      'resume with the same data and options',
    );
  }
  const s = params.sampler;
  const timeLimited = (s.timeLimitSeconds ?? 0) > 0;
  const config = resolveTrainConfig(
    {
      ...params.train,
      ...trainOverrides(s.training, d),
      // A time limit alone is the budget: the default iteration count would stop training early.
      ...(s.iterations !== undefined
        ? { iterations: s.iterations }
        : timeLimited && params.train?.iterations === undefined
          ? { iterations: Number.MAX_SAFE_INTEGER }
          : {}),
      ...(s.timeLimitSeconds !== undefined ? { timeLimitSeconds: s.timeLimitSeconds } : {}),
      ...(s.seed !== undefined ? { seed: s.seed } : {}),
      ...(s.objective !== undefined ? { objective: s.objective } : {}),
      ...(s.intrinsic !== undefined ? { intrinsic: s.intrinsic } : {}),
      ...(s.candidateParents !== undefined ? { candidateParents: s.candidateParents } : {}),
    },
    d,
  );
  const result = await runGflownet(
    {
      reward: problem.reward,
      knowledge: problem.knowledge,
      config,
      samples: s.samples ?? DEFAULT_GFLOWNET_SAMPLES,
      backend,
      checkpointDir: params.checkpointDir,
      meta: params.checkpointMeta ?? { kind: 'job', problem: params.problem },
      resume: params.resume,
    },
    { signal: ctx.signal, log: ctx.log, progress: (p) => ctx.progress(progressView(p)) },
  );
  const facts: PosteriorRunResult['facts'] = [
    { label: 'backend', value: backend.reason },
    {
      label: 'sampler',
      value: config.sampler === 'layers' ? 'layered GFlowNet (partition- and order-MCMC teachers, importance-weighted)' : 'edge GFlowNet',
    },
    ...(config.sampler === 'layers' ? [] : [{ label: 'objective', value: OBJECTIVE_NAMES[config.objective] }]),
    ...(config.sampler === 'layers' || config.intrinsic === 'none'
      ? []
      : [
          {
            label: 'exploration bonus',
            value: `RND novelty, weight ${config.intrinsicWeight}, decays to 0 over ${config.intrinsicDecay} of training`,
          },
        ]),
    { label: 'iterations', value: result.iterations.toLocaleString('en') },
    { label: 'seconds', value: result.seconds.toFixed(1) },
    { label: 'iterations per second', value: result.stepsPerSecond.toFixed(1) },
    { label: 'final loss', value: result.finalLoss.toPrecision(4) },
    { label: 'seed', value: String(config.seed) },
    trainingFact(config),
  ];
  const candidateParents = result.candidateSpace ? summarizeCandidateSpace(result.candidateSpace, problem.dataset.columns) : undefined;
  if (candidateParents) facts.push({ label: 'search space', value: describeCandidateSpace(candidateParents) });
  if (result.importance) {
    facts.push({ label: 'effective sample size', value: `${result.importance.effectiveSampleSize.toFixed(0)} of ${result.samples.count}` });
  }
  if (result.exact) {
    facts.push({ label: 'JSD to the exact posterior', value: result.exact.jsd.toExponential(2) });
    facts.push({ label: 'edge-marginal RMSE vs exact', value: result.exact.edgeMarginalRmse.toExponential(2) });
  }
  return {
    posterior: {
      variables: [...problem.dataset.columns],
      edgeMarginals: result.sampleMarginals,
      samples: {
        adjacency: result.samples.adjacency,
        logScores: result.samples.logReward,
        count: result.samples.count,
        ...(result.importance ? { logWeights: result.importance.logWeights } : {}),
      },
      traces: [{ name: 'loss (moving average)', values: result.lossTrace }],
      facts,
    },
    training: {
      backend: backend.backend,
      backendReason: backend.reason,
      sampler: config.sampler,
      objective: config.objective,
      intrinsic: { kind: config.intrinsic, weight: config.intrinsicWeight, decay: config.intrinsicDecay },
      iterations: result.iterations,
      seconds: result.seconds,
      stepsPerSecond: result.stepsPerSecond,
      finalLoss: result.finalLoss,
      seed: config.seed,
      ...(result.exact ? { exact: { jsd: result.exact.jsd, edgeMarginalRmse: result.exact.edgeMarginalRmse } } : {}),
      ...(result.importance
        ? { importance: { effectiveSampleSize: result.importance.effectiveSampleSize, logZ: result.importance.logZ } }
        : {}),
      ...(result.wallSeconds !== undefined ? { wallSeconds: result.wallSeconds } : {}),
      ...(candidateParents ? { candidateParents } : {}),
      warnings: [...problem.dataset.report.warnings],
    },
  };
}
