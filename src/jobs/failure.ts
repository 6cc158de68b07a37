/**
 * A failed job's error as its caller rethrows it: a user error comes back as the DagflowError
 * the engine threw (message, location and hint apart, so nothing is said twice); anything else
 * as an internal error with the worker's one-line message.
 */
import { DagflowError, type ErrorCode } from '../gflownet/core/errors.ts';
import type { JobErrorInfo } from './protocol.ts';

export function errorOfJob(info: JobErrorInfo | undefined, fallback = 'the job failed'): DagflowError {
  if (!info) return new DagflowError('INTERNAL', fallback);
  const code = (info.code as ErrorCode) ?? 'INTERNAL';
  return info.text === undefined ? new DagflowError(code, info.message) : new DagflowError(code, info.text, info.location ?? {}, info.hint);
}
