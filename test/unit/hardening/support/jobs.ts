/** Helpers for fault and load tests on the real job host: problem parameters, waiting for events, killing a worker. */
import type { Worker } from 'node:worker_threads';
import type { JobEvent, JobHost } from '../../../../src/jobs/host.ts';
import type { ProblemSpec } from '../../../../src/gflownet/problem/spec.ts';

/** The problem part of an exact, train or mcmc job for a continuous data file, scored by BGe. */
export function continuousProblem(file: string, name = 'data.csv'): { problem: ProblemSpec } {
  return { problem: { data: { path: file, name, options: {} }, score: { score: 'bge' }, prior: { kind: 'uniform' }, knowledge: {} } };
}

/** Resolves with the first event of job `id` that `match` accepts (events before the call are missed: subscribe first). */
export function nextEvent(host: JobHost, id: string, match: (e: JobEvent) => boolean, timeoutMs = 60_000): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`job ${id}: no matching event within ${timeoutMs} ms (status ${host.get(id)?.status})`));
    }, timeoutMs);
    const off = host.onEvent((e) => {
      const of = 'jobId' in e ? e.jobId : e.job.id;
      if (of === id && match(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

export const progressWhere =
  (test: (progress: Record<string, unknown>) => boolean) =>
  (e: JobEvent): boolean =>
    e.type === 'progress' && typeof e.progress === 'object' && e.progress !== null && test(e.progress as Record<string, unknown>);

/** The settled status of a job, waiting for it. */
export async function settled(host: JobHost, id: string): Promise<{ status: string; message?: string }> {
  try {
    await host.wait(id);
  } catch {
    // the status says how it ended
  }
  const job = host.get(id)!;
  return { status: job.status, message: job.error?.message };
}

/**
 * Kills a job's worker thread from outside, as a native crash or the OS would. The host keeps
 * its workers private; a test reaches in on purpose.
 */
export async function killWorker(host: JobHost, id: string): Promise<void> {
  const entries = (host as unknown as { entries: Map<string, { worker?: Worker }> }).entries;
  const worker = entries.get(id)?.worker;
  if (!worker) throw new Error(`job ${id} has no live worker`);
  await worker.terminate();
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
