/** Messages between the job host (any Node thread) and a job worker thread. Structured-clone-able only. */
import type { FieldKey } from '../shared/fields.ts';

export interface JobStartMessage {
  type: 'start';
  /** A name from kinds/index.ts; the worker imports the module itself. */
  kind: string;
  /** Only for kinds a test registered on its own host; never taken from a client. */
  moduleUrl?: string;
  params: unknown;
}

export interface JobCancelMessage {
  type: 'cancel';
}

export type HostToWorkerMessage = JobStartMessage | JobCancelMessage;

export interface JobErrorInfo {
  /** One line for the user; never a stack trace. */
  message: string;
  code: string;
  location?: { file?: string; row?: number; column?: string; field?: FieldKey; flag?: string };
  /** A user error's own parts (message without the location, and the hint), so the receiver can rebuild it exactly. */
  text?: string;
  hint?: string;
  /** Kept for logs and bug reports, not shown in the UI. */
  stack?: string;
}

export type WorkerToHostMessage =
  | { type: 'progress'; progress: unknown }
  | { type: 'log'; message: string }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: JobErrorInfo }
  | { type: 'cancelled' };
