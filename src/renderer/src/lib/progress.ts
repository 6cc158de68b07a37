/**
 * A job's progress report, read by its kind (the shapes are src/shared/progress.ts), as the
 * figures the Run screen shows: fraction done, ETA, steps per second, loss or log score, and
 * the live edge-probability estimate.
 */
import type { KindedProgress } from '../../../shared/progress.ts';
import type { RunProgressView } from '../../../shared/workflow.ts';

export interface ProgressSample extends RunProgressView {
  /** Receipt time, ms. */
  at: number;
  /** The job's current edge-marginal estimate, d·d. */
  edgeMarginals?: number[];
}

const finite = (x: number | undefined): number | undefined => (x !== undefined && Number.isFinite(x) ? x : undefined);

/** done / total, or nothing when there is no total. */
function share(done: number, total: number): number | undefined {
  return total > 0 && Number.isFinite(total) ? done / total : undefined;
}

/** With a time limit as well as an iteration budget, whichever ends first sets the pace. */
function firstBudget(byCount: number | undefined, elapsedSeconds: number, etaSeconds: number): number | undefined {
  const byTime =
    Number.isFinite(etaSeconds) && elapsedSeconds + etaSeconds > 0 ? elapsedSeconds / (elapsedSeconds + etaSeconds) : undefined;
  return byCount !== undefined && byTime !== undefined ? Math.max(byCount, byTime) : (byCount ?? byTime);
}

/**
 * Seconds an MCMC chain has left: the iterations still to run at its pace so far, but never
 * more than what its time limit leaves. (The window used to extrapolate the fraction of
 * iterations done, which ignores the time limit: a partition-MCMC chain that spent half its
 * limit building parent-set tables showed an ETA far past its own limit.) Undefined while
 * there is nothing to estimate from.
 */
export function chainSecondsLeft(p: {
  iteration: number;
  iterations: number;
  elapsedSeconds: number;
  iterationsPerSecond: number;
  timeLimitSeconds?: number;
}): number | undefined {
  const byTime = p.timeLimitSeconds !== undefined ? Math.max(0, p.timeLimitSeconds - p.elapsedSeconds) : undefined;
  const byCount =
    p.iterationsPerSecond > 0 && Number.isFinite(p.iterationsPerSecond) && p.iterations < Number.MAX_SAFE_INTEGER
      ? Math.max(0, p.iterations - p.iteration) / p.iterationsPerSecond
      : undefined;
  if (byTime === undefined) return byCount;
  return byCount === undefined ? byTime : Math.min(byTime, byCount);
}

function square(m: number[] | undefined): number[] | undefined {
  return m && m.length > 0 && Number.isInteger(Math.sqrt(m.length)) ? m : undefined;
}

export function readProgress(report: KindedProgress): ProgressSample {
  const sample: ProgressSample = { at: Date.now() };
  switch (report.kind) {
    case 'preview':
    case 'inspect':
      sample.fraction = share(report.progress.bytesRead, report.progress.totalBytes);
      break;
    case 'selftest':
    case 'exact':
      sample.fraction = share(report.progress.done, report.progress.total);
      if (report.kind === 'exact') sample.phase = report.progress.phase;
      break;
    case 'train': {
      const p = report.progress;
      sample.phase = p.phase;
      if (p.phase === 'training') {
        sample.fraction = firstBudget(share(p.iteration, p.iterations), p.elapsedSeconds, p.etaSeconds);
        sample.iteration = p.iteration;
        sample.etaSeconds = finite(p.etaSeconds);
        sample.stepsPerSecond = finite(p.stepsPerSecond);
        sample.loss = finite(p.lossAverage);
        sample.edgeMarginals = square(p.edgeMarginals);
      } else if (p.phase === 'sampling') sample.fraction = share(p.sampled, p.total);
      else if (p.phase === 'evaluating') sample.fraction = share(p.statesEvaluated, p.states);
      break;
    }
    case 'mcmc': {
      const p = report.progress;
      if (p.phase === 'reading the data') {
        sample.phase = p.phase;
        break;
      }
      const byCount = share(p.iteration, p.iterations);
      sample.fraction =
        p.timeLimitSeconds === undefined
          ? byCount
          : firstBudget(byCount, p.elapsedSeconds, Math.max(0, p.timeLimitSeconds - p.elapsedSeconds));
      sample.etaSeconds = chainSecondsLeft(p);
      sample.iteration = p.iteration;
      sample.stepsPerSecond = finite(p.iterationsPerSecond);
      sample.logScore = finite(p.logScore);
      sample.edgeMarginals = square(p.edgeMarginals);
      break;
    }
  }
  if (sample.fraction !== undefined) sample.fraction = Math.min(1, Math.max(0, sample.fraction));
  return sample;
}
