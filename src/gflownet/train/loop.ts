/**
 * The training loop as a long-running engine function (core/job.ts): reports progress about
 * every 0.5 s, yields to the event loop so a cancel message can arrive, stops within a second
 * of a cancel, and stops at whichever of the iteration and time budgets ends first.
 */
import type { JobContext } from '../core/job.ts';
import { iterateUntilDone } from './iterate.ts';
import type { TrainConfig } from './config.ts';
import { Trainer, type TrainerState, type TrainProblem } from './trainer.ts';

export interface TrainProgress {
  iteration: number;
  iterations: number;
  /** Moving average of the loss (NaN during the prefill). */
  lossAverage: number;
  stepsPerSecond: number;
  /** Seconds left by whichever budget ends first. */
  etaSeconds: number;
  epsilon: number;
  /** Fill of the replay buffer (mdb) or trajectory pool (tb), 0..1. */
  replayFill: number;
  elapsedSeconds: number;
  /** P(i → j) among recently finished trajectories, row-major d·d. */
  edgeMarginals: Float64Array;
}

export interface TrainOutcome {
  trainer: Trainer;
  iterations: number;
  seconds: number;
  stepsPerSecond: number;
  finalLoss: number;
}

export interface TrainLoopOptions {
  /** Resume from this state instead of a fresh start. */
  resume?: TrainerState;
  /** Seconds between progress reports (default 0.5). */
  progressInterval?: number;
  /** Called with a snapshot every `everySeconds` of training and when the run is cancelled, so a cancelled or crashed run can be resumed. */
  checkpoint?: { everySeconds: number; save(state: TrainerState): void };
}

export function progressOf(trainer: Trainer, startStep: number, startSeconds: number): TrainProgress {
  const c = trainer.config;
  const doneSteps = trainer.step - startStep;
  const elapsed = trainer.seconds - startSeconds;
  const rate = elapsed > 0 ? doneSteps / elapsed : 0;
  const byIterations = rate > 0 ? (c.iterations - trainer.step) / rate : Infinity;
  const byTime = c.timeLimitSeconds > 0 ? Math.max(0, c.timeLimitSeconds - trainer.seconds) : Infinity;
  return {
    iteration: trainer.step,
    iterations: c.iterations,
    lossAverage: trainer.lossAverage,
    stepsPerSecond: rate,
    etaSeconds: Math.min(byIterations, byTime),
    epsilon: trainer.epsilon(),
    replayFill: trainer.replayFill(),
    elapsedSeconds: trainer.seconds,
    edgeMarginals: trainer.edgeEstimate.slice(),
  };
}

function finished(trainer: Trainer): boolean {
  const c = trainer.config;
  return trainer.step >= c.iterations || (c.timeLimitSeconds > 0 && trainer.seconds >= c.timeLimitSeconds);
}

/** Trains until a budget ends; the caller owns (and disposes) the returned trainer. */
export async function trainGflownet(
  problem: TrainProblem,
  config: TrainConfig,
  ctx: JobContext<TrainProgress>,
  options: TrainLoopOptions = {},
): Promise<TrainOutcome> {
  const trainer = new Trainer(
    problem,
    options.resume ? { ...options.resume.config, iterations: config.iterations, timeLimitSeconds: config.timeLimitSeconds } : config,
    options.resume,
  );
  const interval = (options.progressInterval ?? 0.5) * 1000;
  const startStep = trainer.step;
  const startSeconds = trainer.seconds;
  try {
    await iterateUntilDone(trainer, {
      signal: ctx.signal,
      done: () => finished(trainer),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      reportEveryMs: interval,
      report: () => ctx.progress(progressOf(trainer, startStep, startSeconds)),
    });
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  ctx.progress(progressOf(trainer, startStep, startSeconds));
  const seconds = trainer.seconds - startSeconds;
  return {
    trainer,
    iterations: trainer.step,
    seconds: trainer.seconds,
    stepsPerSecond: seconds > 0 ? (trainer.step - startStep) / seconds : 0,
    finalLoss: trainer.lossAverage,
  };
}
