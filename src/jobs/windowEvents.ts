/**
 * Which job events the window receives (SSE in browser mode, IPC in the desktop app). Results
 * are not sent: they can hold large sample arrays, and the window reads every result through
 * the run store's views (getPosterior, compareRuns, exports) or the operation that waited for it.
 */
import type { JobEvent } from './host.ts';

export function forwardToWindow(event: JobEvent): boolean {
  if (event.type === 'result') return false;
  if (event.type === 'status' && event.job.kind === 'preview') return false;
  return true;
}
