/**
 * The loop both GFlowNet trainers run: iterate until the budget ends, checkpoint every so many
 * training seconds and when cancelled, yield to the event loop about every 100 ms (so a cancel
 * message or a timer can arrive; a cancel stops it within a second), and report progress at a
 * fixed wall-clock interval.
 */
import { jobCancelled } from '../core/job.ts';

/** What the loop needs of a trainer. */
export interface Iterating<State> {
  iteration(): number;
  /** Training seconds so far (across resumes). */
  readonly seconds: number;
  exportState(): State;
}

export interface IterateOptions<State> {
  signal: AbortSignal;
  /** True when the budget has ended. */
  done(): boolean;
  checkpoint?: { everySeconds: number; save(state: State): void };
  /** Milliseconds between progress reports. */
  reportEveryMs: number;
  report(): void | Promise<void>;
}

export async function iterateUntilDone<State>(trainer: Iterating<State>, options: IterateOptions<State>): Promise<void> {
  let lastReport = performance.now();
  let lastYield = lastReport;
  let lastCheckpoint = trainer.seconds;
  while (!options.done()) {
    if (options.signal.aborted) {
      options.checkpoint?.save(trainer.exportState());
      throw jobCancelled();
    }
    if (options.checkpoint && trainer.seconds - lastCheckpoint >= options.checkpoint.everySeconds) {
      options.checkpoint.save(trainer.exportState());
      lastCheckpoint = trainer.seconds;
    }
    trainer.iteration();
    const now = performance.now();
    if (now - lastYield > 100) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    if (now - lastReport >= options.reportEveryMs) {
      await options.report();
      lastReport = performance.now();
    }
  }
}
