/**
 * The job host: runs engine jobs in worker threads with bounded concurrency, streams their
 * progress, cancels them (cooperatively, then by terminating the thread after a grace period),
 * and turns a job that throws or whose thread dies into an error event while everything else
 * keeps running. Used by the Electron main process, the browser-mode server and the CLI.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { JobKindName, JobParams, JobProgress, JobResult } from './kinds/index.ts';
import type { JobEvent, JobStatus, JobSummary, KindedProgress } from '../shared/jobTypes.ts';
import type { JobErrorInfo, WorkerToHostMessage } from './protocol.ts';

export type { JobEvent, JobStatus, JobSummary } from '../shared/jobTypes.ts';

export interface WorkerEntry {
  file: URL;
  execArgv: string[];
}

export interface JobHostOptions {
  /** Jobs running at once; the rest wait in order. Default: the number of cores. */
  maxConcurrent?: number;
  /** Worker script; default: worker.ts beside this file under tsx, or the bundled worker.js. */
  worker?: WorkerEntry;
  /** Grace period after a cancel before the thread is terminated. */
  cancelGraceMs?: number;
  /** Extra kinds by module URL (tests only). */
  extraKinds?: Record<string, string>;
}

interface Entry {
  summary: JobSummary;
  kind: string;
  params: unknown;
  worker?: Worker;
  cancelTimer?: NodeJS.Timeout;
  settle: { resolve: (value: unknown) => void; reject: (error: JobFailure) => void };
  done: Promise<unknown>;
}

/** Rejection value of a job's promise: the error event's info, plus whether it was a cancel. */
export class JobFailure extends Error {
  constructor(
    readonly info: JobErrorInfo,
    readonly cancelled: boolean,
  ) {
    super(info.message);
  }
}

export function defaultWorkerEntry(): WorkerEntry {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from source (tsx): a tiny .mjs entry installs the loader in the worker thread.
    return { file: new URL('./worker-from-source.mjs', here), execArgv: [] };
  }
  // Bundled (electron-vite): worker.js is emitted beside the main bundle.
  return { file: new URL('./worker.js', here), execArgv: [] };
}

export class JobHost {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private readonly maxConcurrent: number;
  private readonly worker: WorkerEntry;
  private readonly cancelGraceMs: number;
  private readonly extraKinds: Record<string, string>;
  private nextId = 1;
  private running = 0;

  constructor(options: JobHostOptions = {}) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? availableParallelism());
    this.worker = options.worker ?? defaultWorkerEntry();
    this.cancelGraceMs = options.cancelGraceMs ?? 1000;
    this.extraKinds = options.extraKinds ?? {};
  }

  onEvent(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queue a job; returns its id at once. `now`: start it even beyond maxConcurrent — for chains
   * bounded by a time limit, which must run at the same time (sharing the cores) or the limit
   * would not bound the run, as `dagflow mcmc --time-limit` runs them.
   */
  submit<K extends JobKindName>(kind: K, params: JobParams<K>, label?: string, options?: { now?: boolean }): string;
  submit(kind: string, params: unknown, label?: string, options?: { now?: boolean }): string;
  submit(kind: string, params: unknown, label?: string, options: { now?: boolean } = {}): string {
    const id = `job-${this.nextId++}`;
    let settle!: Entry['settle'];
    const done = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    // A job nobody awaits must not become an unhandled rejection.
    done.catch(() => {});
    const summary: JobSummary = { id, kind, label: label ?? kind, status: 'queued', submittedAt: Date.now() };
    this.entries.set(id, { summary, kind, params, settle, done });
    this.queue.push(id);
    this.emit({ type: 'status', job: { ...summary } });
    if (options.now) {
      this.queue.pop();
      this.start(this.entries.get(id)!);
    }
    this.pump();
    return id;
  }

  /** Resolves with the job's result; rejects with a JobFailure on error or cancel. */
  wait<K extends JobKindName>(id: string): Promise<JobResult<K>> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.reject(new Error(`no job ${id}`));
    return entry.done as Promise<JobResult<K>>;
  }

  cancel(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    const { status } = entry.summary;
    if (status === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.finish(entry, 'cancelled', undefined, { message: 'cancelled by the user', code: 'CANCELLED' });
      return true;
    }
    if (status !== 'running' || !entry.worker) return false;
    entry.worker.postMessage({ type: 'cancel' });
    entry.cancelTimer ??= setTimeout(() => {
      // The job did not stop in time: end the thread; the run still counts as cancelled.
      void entry.worker?.terminate();
      this.finish(entry, 'cancelled', undefined, { message: 'cancelled by the user', code: 'CANCELLED' });
    }, this.cancelGraceMs);
    return true;
  }

  list(): JobSummary[] {
    return [...this.entries.values()].map((e) => ({ ...e.summary }));
  }

  get(id: string): JobSummary | undefined {
    const e = this.entries.get(id);
    return e ? { ...e.summary } : undefined;
  }

  /** Worker threads alive now (a leak check for tests). */
  liveWorkers(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.worker) n++;
    return n;
  }

  async shutdown(): Promise<void> {
    for (const id of [...this.queue]) this.cancel(id);
    await Promise.all([...this.entries.values()].map(async (e) => e.worker?.terminate()));
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed window) must not stop the job or the other listeners.
      }
    }
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const entry = this.entries.get(id)!;
      this.start(entry);
    }
  }

  private start(entry: Entry): void {
    this.running++;
    entry.summary.status = 'running';
    entry.summary.startedAt = Date.now();
    this.emit({ type: 'status', job: { ...entry.summary } });
    let worker: Worker;
    try {
      worker = new Worker(this.worker.file, { execArgv: this.worker.execArgv });
    } catch (e) {
      this.finish(entry, 'failed', undefined, { message: `could not start a worker thread: ${(e as Error).message}`, code: 'INTERNAL' });
      return;
    }
    entry.worker = worker;
    const id = entry.summary.id;
    worker.on('message', (message: WorkerToHostMessage) => {
      switch (message.type) {
        case 'progress':
          {
            // The kind module reports the shape src/shared/progress.ts gives for its kind (its context is typed so).
            const report = { kind: entry.kind, progress: message.progress } as KindedProgress;
            entry.summary.lastProgress = report.progress;
            this.emit({ type: 'progress', jobId: id, ...report });
          }
          break;
        case 'log':
          this.emit({ type: 'log', jobId: id, message: message.message });
          break;
        case 'result':
          this.finish(entry, 'done', message.result);
          break;
        case 'error':
          this.finish(entry, 'failed', undefined, message.error);
          break;
        case 'cancelled':
          this.finish(entry, 'cancelled', undefined, { message: 'cancelled by the user', code: 'CANCELLED' });
          break;
      }
    });
    worker.on('error', (err) => {
      this.finish(entry, 'failed', undefined, { message: `the job crashed: ${err.message}`, code: 'INTERNAL', stack: err.stack });
    });
    worker.on('exit', (code) => {
      entry.worker = undefined;
      if (entry.summary.status === 'running') {
        this.finish(entry, 'failed', undefined, {
          message: `the job's worker thread stopped unexpectedly (exit code ${code})`,
          code: 'INTERNAL',
        });
      }
    });
    worker.postMessage({ type: 'start', kind: entry.kind, moduleUrl: this.extraKinds[entry.kind], params: entry.params });
  }

  private finish(entry: Entry, status: Exclude<JobStatus, 'queued' | 'running'>, result?: unknown, error?: JobErrorInfo): void {
    const wasRunning = entry.summary.status === 'running';
    if (entry.summary.status !== 'running' && entry.summary.status !== 'queued') return;
    if (entry.cancelTimer) clearTimeout(entry.cancelTimer);
    entry.summary.status = status;
    entry.summary.endedAt = Date.now();
    if (error && status === 'failed') entry.summary.error = { message: error.message, code: error.code, location: error.location };
    if (status === 'done') {
      this.emit({ type: 'result', jobId: entry.summary.id, result });
      entry.settle.resolve(result);
    } else {
      if (status === 'failed') this.emit({ type: 'error', jobId: entry.summary.id, error: entry.summary.error! });
      entry.settle.reject(new JobFailure(error ?? { message: status, code: 'INTERNAL' }, status === 'cancelled'));
    }
    this.emit({ type: 'status', job: { ...entry.summary } });
    if (wasRunning) {
      this.running--;
      // Let the thread exit on its own after its terminal message; make sure it does.
      const w = entry.worker;
      if (w) setTimeout(() => void w.terminate(), 2000).unref();
    }
    this.pump();
  }
}

export interface RunJobOptions<P> {
  onProgress?: (progress: P) => void;
  onLog?: (message: string) => void;
  signal?: AbortSignal;
  host?: JobHost;
}

let sharedHost: JobHost | undefined;

/** Run one job in a worker thread and wait for it (CLI and scripts). */
export async function runJob<K extends JobKindName>(
  kind: K,
  params: JobParams<K>,
  options: RunJobOptions<JobProgress<K>> = {},
): Promise<JobResult<K>> {
  const host = options.host ?? (sharedHost ??= new JobHost());
  const id = host.submit(kind, params);
  const off = host.onEvent((event) => {
    if (event.type === 'progress' && event.jobId === id) options.onProgress?.(event.progress as JobProgress<K>);
    if (event.type === 'log' && event.jobId === id) options.onLog?.(event.message);
  });
  const onAbort = (): void => void host.cancel(id);
  options.signal?.addEventListener('abort', onAbort);
  try {
    return await host.wait<K>(id);
  } finally {
    off();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
