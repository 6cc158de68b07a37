/**
 * Load: ten jobs submitted at once run with bounded concurrency and all finish; a large CSV
 * read by the window's inspect job keeps the main thread (the UI's event loop) responsive
 * with bounded memory; a 100-variable data set gets an answer on what is possible at once.
 * (The 1,000,000-row file and the 200 MB file are measured by `npm run bench -- robustness`.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { adviseFeasibility } from '../../../src/gflownet/advice/feasibility.ts';
import { JobHost, type JobEvent } from '../../../src/jobs/host.ts';
import { runCliCaptured } from './support/cliInProcess.ts';
import { largeCsv } from './support/generated.ts';
import { continuousProblem, settled } from './support/jobs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-load-'));
const host = new JobHost();
afterAll(async () => {
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('ten jobs at once', () => {
  it('are queued, run at most (number of cores) at a time, and all finish', async () => {
    const data = largeCsv(dir, 200, 4).file;
    let running = 0;
    let peak = 0;
    const seen = new Set<string>();
    const off = host.onEvent((e: JobEvent) => {
      if (e.type !== 'status' || !seen.has(e.job.id)) return;
      if (e.job.status === 'running') peak = Math.max(peak, ++running);
      else if (e.job.status !== 'queued') running--;
    });
    const ids: string[] = [];
    for (let k = 0; k < 10; k++) {
      const id = host.submit('exact', continuousProblem(data, `data-${k}.csv`));
      seen.add(id);
      ids.push(id);
    }
    // Statuses reported before the listener knew the ids: count what is running now.
    running = ids.filter((id) => host.get(id)?.status === 'running').length;
    peak = Math.max(peak, running);
    expect(ids.filter((id) => host.get(id)?.status === 'queued').length).toBeGreaterThanOrEqual(10 - availableParallelism());
    const ends = await Promise.all(ids.map((id) => settled(host, id)));
    off();
    expect(ends.map((e) => e.status)).toEqual(new Array(10).fill('done'));
    expect(peak).toBeLessThanOrEqual(availableParallelism());
    expect(peak).toBeGreaterThanOrEqual(Math.min(2, availableParallelism()));
  }, 180_000);
});

describe('a large CSV', () => {
  it('loads in a worker with the UI thread responsive and memory bounded', async () => {
    const { file, bytes } = largeCsv(dir, 100_000, 20);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 25);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const id = host.submit('inspect', { datasetId: 'data-0123456789ab', data: { path: file, name: 'large.csv', options: {} } });
    const report = await host.wait<'inspect'>(id);
    delay.disable();
    clearInterval(sampler);
    expect(report.rowsUsed).toBe(100_000);
    expect(report.variables).toHaveLength(20);
    // The main thread only relays messages: no stall a user would notice.
    expect(delay.max / 1e6).toBeLessThan(250);
    // Typed columns, not text: well under 20 bytes of memory per byte of file.
    expect(rssPeak - rssBefore).toBeLessThan(20 * bytes);
  }, 180_000);
});

describe('100 variables', () => {
  it('get a clear answer on what is possible, at once', async () => {
    const advice = adviseFeasibility(100);
    const by = Object.fromEntries(advice.samplers.map((s) => [s.sampler, s]));
    expect(by['exact-enumeration']!.possible).toBe(false);
    expect(by['exact-dp']!.possible).toBe(false);
    expect(by.order).toMatchObject({ possible: true, maxParents: 1 });
    expect(by.partition).toMatchObject({ possible: true, maxParents: 1 });
    expect(by.mc3).toMatchObject({ possible: true, maxParents: 4 });
    expect(by.gflownet!.possible).toBe(true);
    expect(advice.summary).toBe(
      '100 variables: no exact answer (limit 20); use order or partition MCMC (in a candidate-parent space), MC3 with --max-parents 4, or the GFlowNet with a time limit',
    );
    // With a parent bound the table can go deeper where it fits, never beyond the bound.
    expect(adviseFeasibility(40, { maxParents: 2 }).samplers.find((s) => s.sampler === 'order')?.maxParents).toBe(2);
    expect(adviseFeasibility(11).samplers.find((s) => s.sampler === 'exact-dp')?.possible).toBe(true);
  });

  it('dagflow advise answers for a 100-column file in seconds', async () => {
    const file = largeCsv(dir, 300, 100).file;
    const t0 = performance.now();
    const run = await runCliCaptured(['advise', '--data', file, '--json']);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(run.exitCode, run.stderr).toBe(0);
    const advice = JSON.parse(run.stdout) as { variables: number; samplers: Array<{ sampler: string; possible: boolean }> };
    expect(advice.variables).toBe(100);
    expect(advice.samplers.filter((s) => s.possible).map((s) => s.sampler)).toEqual(['order', 'partition', 'mc3', 'gflownet']);
  }, 60_000);
});
