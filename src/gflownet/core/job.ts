/**
 * What a long-running engine function receives from whoever runs it (a worker thread of the
 * job host, the CLI, a test): a way to report progress and a signal to stop. Engine code checks
 * `signal.aborted` often enough to stop within a second and throws `jobCancelled()` then.
 */
import { DagflowError } from './errors.ts';

export interface JobContext<Progress = unknown> {
  readonly signal: AbortSignal;
  progress(update: Progress): void;
  log(message: string): void;
}

export function jobCancelled(): DagflowError {
  return new DagflowError('CANCELLED', 'cancelled by the user');
}

/** A context for callers that want neither progress nor cancellation (tests, quick CLI runs). */
export function quietJobContext<P = unknown>(signal: AbortSignal = new AbortController().signal): JobContext<P> {
  return { signal, progress: () => {}, log: () => {} };
}

/** A reporter that passes on at most one update per `intervalMs` (reading loops call it per chunk). */
export function throttled<A extends unknown[]>(report: (...args: A) => void, intervalMs = 250): (...args: A) => void {
  let last = 0;
  return (...args: A) => {
    const now = Date.now();
    if (now - last > intervalMs) {
      last = now;
      report(...args);
    }
  };
}
