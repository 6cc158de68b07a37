/**
 * The layered GFlowNet's whole run — train, checkpoint, sample with importance weights — with
 * the same input and result as the edge GFlowNet's (train/pipeline.ts), so the train job and
 * `dagflow train` treat both alike. A time limit bounds the whole run: before training, a
 * pilot draw measures what one sample costs, and training stops early enough to leave that
 * time for the samples; sampling itself stops at the deadline (fewer samples, with a warning).
 */
import type { JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import { buildConstraints } from '../env/constraints.ts';
import { saveCheckpoint, isLayerState } from '../train/checkpoint.ts';
import type { PipelineInput, PipelineProgress, PipelineResult } from '../train/pipeline.ts';
import { checkCandidateSpace, checkSecondsFor } from '../mcmc/candidateCheck.ts';
import { layerProblemFor } from './layerProblem.ts';
import { sampleLayered } from './layerSampler.ts';
import { LayerTrainer, type LayerTrainerState } from './layerTrainer.ts';
import { iterateUntilDone } from '../train/iterate.ts';

/** Share of a time limit that sampling may take at most (the rest trains). */
const MAX_SAMPLING_SHARE = 0.5;
/** Policy draws behind each progress event's edge-marginal estimate. */
const PROGRESS_DRAWS = 32;

export async function runLayeredGflownet<Meta>(input: PipelineInput<Meta>, ctx: JobContext<PipelineProgress>): Promise<PipelineResult> {
  const started = performance.now();
  const d = input.reward.d;
  const constraints = buildConstraints(d, input.knowledge);
  const resume = input.resume && isLayerState(input.resume) ? input.resume : undefined;
  const { problem, candidates } = layerProblemFor(input.reward, constraints, (resume?.config ?? input.config).candidateParents ?? 0);
  const limit = input.config.timeLimitSeconds;
  const trainer = new LayerTrainer(
    problem,
    { ...(resume?.config ?? input.config), iterations: input.config.iterations, timeLimitSeconds: limit },
    resume,
  );
  const save = (state: LayerTrainerState = trainer.exportState()): void => {
    if (input.checkpointDir) saveCheckpoint(input.checkpointDir, state, { backend: input.backend.backend, ...(input.meta ?? {}) });
  };
  try {
    // What one sample costs, from a pilot draw with the untrained policy (paths have the same length).
    const pilotStart = performance.now();
    const pilot = await sampleLayered(trainer.theta, trainer.layout, problem, Math.min(64, input.samples), { seed: input.config.seed + 2 });
    const secondsPerSample = (performance.now() - pilotStart) / 1000 / pilot.count;
    // A candidate space is checked after sampling; its time comes out of the limit too.
    const checkSeconds = candidates ? checkSecondsFor(limit) : 0;
    const setup = (performance.now() - started) / 1000 + checkSeconds;
    // Training ends by the wall clock (progress events and checkpoints included) early enough for the samples.
    let trainingDeadline = Infinity;
    if (limit > 0) {
      const reserve = Math.min(MAX_SAMPLING_SHARE * limit, 1.2 * secondsPerSample * input.samples);
      const budget = Math.max(0.05 * limit, limit - setup - reserve);
      trainingDeadline = performance.now() + budget * 1000;
      trainer.config.timeLimitSeconds = budget + (resume?.seconds ?? 0);
    }
    const lossTrace: number[] = [];
    const progressRng = new Rng(input.config.seed).fork(9);
    const startStep = trainer.step;
    const startSeconds = trainer.seconds;
    const report = async (): Promise<void> => {
      const elapsed = trainer.seconds - startSeconds;
      const rate = elapsed > 0 ? (trainer.step - startStep) / elapsed : 0;
      const c = trainer.config;
      const byTime = c.timeLimitSeconds > 0 ? Math.max(0, c.timeLimitSeconds - trainer.seconds) : Infinity;
      const byIterations = rate > 0 ? (c.iterations - trainer.step) / rate : Infinity;
      const view = await sampleLayered(trainer.theta, trainer.layout, problem, PROGRESS_DRAWS, { seed: progressRng.nextUint32() });
      if (Number.isFinite(trainer.lossAverage)) lossTrace.push(trainer.lossAverage);
      ctx.progress({
        phase: 'training',
        iteration: trainer.step,
        iterations: c.iterations,
        lossAverage: trainer.lossAverage,
        stepsPerSecond: rate,
        etaSeconds: Math.min(byTime, byIterations),
        epsilon: 0,
        replayFill: trainer.poolFill(),
        elapsedSeconds: trainer.seconds,
        edgeMarginals: view.samplerMarginals,
      });
    };
    await iterateUntilDone(trainer, {
      signal: ctx.signal,
      done: () => trainer.finished() || performance.now() >= trainingDeadline,
      ...(input.checkpointDir ? { checkpoint: { everySeconds: 60, save } } : {}),
      reportEveryMs: 1000,
      report,
    });
    await report();
    save();
    const deadline = limit > 0 ? started + (limit - checkSeconds) * 1000 : undefined;
    const drawn = await sampleLayered(trainer.theta, trainer.layout, problem, input.samples, {
      seed: input.config.seed + 1,
      ...(deadline !== undefined ? { deadline } : {}),
      ctx: { signal: ctx.signal, log: ctx.log, progress: (p) => ctx.progress({ phase: 'sampling', ...p }) },
    });
    if (drawn.count < input.samples) ctx.log(`the time limit ended sampling after ${drawn.count} of ${input.samples} samples`);
    const trained = trainer.seconds - startSeconds;
    let candidateSpace: PipelineResult['candidateSpace'];
    if (candidates) {
      ctx.log(`checking the candidate-parent space with ${checkSeconds.toFixed(0)} s of structure MCMC on every allowed parent`);
      const best = bestDraw(drawn.logReward);
      const check = checkCandidateSpace(input.reward, constraints, candidates, {
        seconds: checkSeconds,
        seed: input.config.seed + 3,
        start: drawn.adjacency.slice(best * d * d, (best + 1) * d * d),
      });
      candidateSpace = { size: candidates.size, parents: candidates.parents, outsideCount: candidates.outsideCount, check };
    }
    return {
      iterations: trainer.step,
      seconds: trainer.seconds,
      stepsPerSecond: trained > 0 ? (trainer.step - startStep) / trained : 0,
      finalLoss: trainer.lossAverage,
      samples: { d, count: drawn.count, adjacency: drawn.adjacency, logReward: drawn.logReward },
      sampleMarginals: drawn.weightedMarginals,
      lossTrace,
      importance: {
        effectiveSampleSize: drawn.effectiveSampleSize,
        logZ: drawn.logZ,
        samplerMarginals: drawn.samplerMarginals,
        logWeights: drawn.logWeight,
      },
      wallSeconds: (performance.now() - started) / 1000,
      ...(candidateSpace ? { candidateSpace } : {}),
    };
  } finally {
    trainer.dispose();
  }
}

/** Index of the draw with the largest log reward. */
function bestDraw(logReward: Float64Array): number {
  let best = 0;
  for (let k = 1; k < logReward.length; k++) if (logReward[k]! > logReward[best]!) best = k;
  return best;
}
