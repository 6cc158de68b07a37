import { afterAll, describe, expect, it } from 'vitest';
import { type JobFailure, JobHost, type JobEvent } from '../../../src/jobs/host.ts';

const faults = new URL('../../fixtures/jobs/faults.ts', import.meta.url).href;
const host = new JobHost({ maxConcurrent: 2, cancelGraceMs: 300, extraKinds: { faults } });
afterAll(() => host.shutdown());

function collect(id: string): JobEvent[] {
  const events: JobEvent[] = [];
  host.onEvent((e) => {
    if (('jobId' in e && e.jobId === id) || (e.type === 'status' && e.job.id === id)) events.push(e);
  });
  return events;
}

async function failure(id: string): Promise<JobFailure> {
  try {
    await host.wait(id);
  } catch (e) {
    return e as JobFailure;
  }
  throw new Error('job did not fail');
}

describe('job host', () => {
  it('runs the backend self-test in a worker and streams its progress', async () => {
    const id = host.submit('selftest', { sizes: [32, 64], secondsPerSize: 0.05 });
    const events = collect(id);
    const result = await host.wait<'selftest'>(id);
    expect(result.rates.map((r) => r.size)).toEqual([32, 64]);
    expect(result.peakGflops).toBeGreaterThan(0);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(result.backend);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(2);
    expect(host.get(id)?.status).toBe('done');
  });

  it('turns a thrown exception into an error event and keeps running', async () => {
    const id = host.submit('faults', { mode: 'throw' });
    const events = collect(id);
    const f = await failure(id);
    expect(f.cancelled).toBe(false);
    expect(f.info.message).toBe('internal error: boom');
    expect(events.some((e) => e.type === 'error')).toBe(true);
    expect(host.get(id)?.status).toBe('failed');
  });

  it('keeps the location of a user error', async () => {
    const f = await failure(host.submit('faults', { mode: 'user-error' }));
    expect(f.info.code).toBe('NON_NUMERIC');
    expect(f.info.location).toEqual({ file: 'x.csv', row: 48211, column: 'Raf' });
    expect(f.info.message).toContain('row 48211');
  });

  it('survives a worker that exits the process', async () => {
    const f = await failure(host.submit('faults', { mode: 'exit' }));
    expect(f.info.message).toMatch(/stopped unexpectedly \(exit code 3\)/);
    // The host still runs jobs afterwards.
    await expect(host.wait(host.submit('faults', { mode: 'echo' }))).resolves.toEqual({ echoed: { mode: 'echo' } });
  });

  it('cancels a cooperative job within a second', async () => {
    const id = host.submit('faults', { mode: 'cooperative' });
    const events = collect(id);
    while (!events.some((e) => e.type === 'progress')) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    host.cancel(id);
    const f = await failure(id);
    expect(f.cancelled).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(host.get(id)?.status).toBe('cancelled');
  });

  it('terminates a job that ignores cancellation after the grace period', async () => {
    const id = host.submit('faults', { mode: 'busy-loop' });
    while (host.get(id)?.status !== 'running') await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    host.cancel(id);
    const f = await failure(id);
    expect(f.cancelled).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('queues beyond the concurrency bound and finishes every job', async () => {
    const ids = Array.from({ length: 6 }, () => host.submit('faults', { mode: 'echo' }));
    expect(ids.map((id) => host.get(id)!.status).filter((s) => s === 'running').length).toBeLessThanOrEqual(2);
    await Promise.all(ids.map((id) => host.wait(id)));
    expect(ids.every((id) => host.get(id)?.status === 'done')).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    expect(host.liveWorkers()).toBe(0);
  });
});
