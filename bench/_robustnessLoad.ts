/**
 * Child process of `npm run bench -- robustness`: reads one large CSV the way the window does
 * (the inspect job in a worker thread of a job host) and prints one JSON line: the outcome, the
 * time, the process's peak RSS (main thread + worker) and the longest stall of the main
 * thread's event loop while the file was read (what a user would feel as a frozen window).
 * Usage: node --import tsx bench/_robustnessLoad.ts FILE
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { JobFailure, JobHost } from '../src/jobs/host.ts';

export interface LargeLoadResult {
  outcome: 'loaded' | 'error' | 'crash';
  code?: string;
  message?: string;
  rows?: number;
  variables?: number;
  seconds: number;
  peakRssMb: number;
  /** RSS before the file is opened (Node, tsx and the job host), for comparison. */
  restRssMb: number;
  maxLoopDelayMs: number;
}

const file = process.argv[2];
if (file) {
  const host = new JobHost({ maxConcurrent: 1 });
  const restRssMb = process.memoryUsage().rss / 1024 / 1024;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  let result: Omit<LargeLoadResult, 'seconds' | 'peakRssMb' | 'restRssMb' | 'maxLoopDelayMs'>;
  try {
    const report = await host.wait<'inspect'>(
      host.submit('inspect', { datasetId: 'data-000000000000', data: { path: file, name: path.basename(file), options: {} } }),
    );
    result = { outcome: 'loaded', rows: report.rowsUsed, variables: report.variables.length };
  } catch (e) {
    const info = e instanceof JobFailure ? e.info : { code: 'INTERNAL', message: String(e) };
    result = { outcome: info.code === 'INTERNAL' ? 'crash' : 'error', code: info.code, message: info.message };
  }
  delay.disable();
  const out: LargeLoadResult = {
    ...result,
    seconds: (performance.now() - t0) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    restRssMb,
    maxLoopDelayMs: delay.max / 1e6,
  };
  await host.shutdown();
  process.stdout.write(JSON.stringify(out) + '\n');
}
