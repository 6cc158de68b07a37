/** Job summaries and events as the UI sees them (mirrors src/jobs/host.ts without importing Node). */
import type { FieldKey } from './fields.ts';
import type { KindedProgress } from './progress.ts';

export type { KindedProgress } from './progress.ts';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobErrorView {
  message: string;
  code: string;
  location?: { file?: string; row?: number; column?: string; field?: FieldKey; flag?: string };
}

export interface JobSummary {
  id: string;
  kind: string;
  label: string;
  status: JobStatus;
  submittedAt: number;
  startedAt?: number;
  endedAt?: number;
  /** The last progress report (its shape is the one src/shared/progress.ts gives for `kind`). */
  lastProgress?: KindedProgress['progress'];
  error?: JobErrorView;
}

export type JobEvent =
  | { type: 'status'; job: JobSummary }
  | ({ type: 'progress'; jobId: string } & KindedProgress)
  | { type: 'log'; jobId: string; message: string }
  | { type: 'result'; jobId: string; result: unknown }
  | { type: 'error'; jobId: string; error: JobErrorView };
