/**
 * Entry of every job worker thread: imports the job-kind module the host names, runs it with a
 * JobContext wired to the parent port, and reports one terminal message (result, error or
 * cancelled). Free of Electron imports: the same file runs under the CLI, the server and the app.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { DagflowError, userMessage } from '../gflownet/core/errors.ts';
import type { JobContext } from '../gflownet/core/job.ts';
import { jobKinds, type JobKindModule } from './kinds/index.ts';
import type { HostToWorkerMessage, WorkerToHostMessage } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('src/jobs/worker.ts must run in a worker thread');

const abort = new AbortController();
let started = false;

/**
 * Synchronous job code (an MCMC chain) never hands the event loop back, so the 'cancel' message
 * would wait until the job ends. Reading `signal.aborted` therefore also takes a pending cancel
 * off the port, at most every 20 ms, so such code stops within a second like the rest.
 */
const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;
let lastPoll = 0;
Object.defineProperty(abort.signal, 'aborted', {
  get(this: AbortSignal): boolean {
    if (!abortedGetter.call(this) && started) {
      const now = performance.now();
      if (now - lastPoll >= 20) {
        lastPoll = now;
        for (let m = receiveMessageOnPort(port!); m !== undefined; m = receiveMessageOnPort(port!)) {
          if ((m.message as HostToWorkerMessage).type === 'cancel') abort.abort();
        }
      }
    }
    return abortedGetter.call(this);
  },
});

function send(message: WorkerToHostMessage): void {
  port!.postMessage(message);
}

port.on('message', (message: HostToWorkerMessage) => {
  if (message.type === 'cancel') {
    abort.abort();
    return;
  }
  if (message.type === 'start' && !started) {
    started = true;
    void runJob(message.kind, message.moduleUrl, message.params);
  }
});

async function loadKind(kind: string, moduleUrl: string | undefined): Promise<JobKindModule> {
  if (moduleUrl) return (await import(moduleUrl)) as JobKindModule;
  const load = (jobKinds as Record<string, (() => Promise<JobKindModule>) | undefined>)[kind];
  if (!load) throw new DagflowError('BAD_OPTION', `unknown job kind "${kind}"`);
  return load();
}

async function runJob(kind: string, moduleUrl: string | undefined, params: unknown): Promise<void> {
  const ctx: JobContext = {
    signal: abort.signal,
    progress: (progress) => send({ type: 'progress', progress }),
    log: (text) => send({ type: 'log', message: text }),
  };
  try {
    const mod = await loadKind(kind, moduleUrl);
    const result = await mod.run(params, ctx);
    send(abort.signal.aborted ? { type: 'cancelled' } : { type: 'result', result });
  } catch (e) {
    if (abort.signal.aborted || (e instanceof DagflowError && e.code === 'CANCELLED')) {
      send({ type: 'cancelled' });
    } else {
      const err = e instanceof DagflowError ? e : undefined;
      send({
        type: 'error',
        error: {
          message: userMessage(e),
          code: err?.code ?? 'INTERNAL',
          location: err ? { ...err.location } : undefined,
          ...(err ? { text: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }) } : {}),
          stack: e instanceof Error ? e.stack : undefined,
        },
      });
    }
  } finally {
    port!.close();
  }
}
