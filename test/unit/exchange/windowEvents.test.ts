import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost, type JobEvent } from '../../../src/jobs/host.ts';
import { forwardToWindow } from '../../../src/jobs/windowEvents.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { forwardJobEvents } from '../../../src/main/electron/ipc.ts';
import { startBrowserServer } from '../../../src/server/server.ts';

const host = new JobHost({ maxConcurrent: 1 });
const data = new DataStore();
afterAll(async () => {
  await host.shutdown();
  data.dispose();
});

const selftest = (): string => host.submit('selftest', { sizes: [16], secondsPerSize: 0.01 }, 'tiny self-test');

describe('job events to the window', () => {
  it('keeps results (large sample arrays) off the window; status, progress and errors go through', () => {
    expect(forwardToWindow({ type: 'result', jobId: 'job-1', result: { samples: [1, 2, 3] } })).toBe(false);
    expect(forwardToWindow({ type: 'progress', jobId: 'job-1', kind: 'exact', progress: { phase: 'forward', done: 1, total: 2 } })).toBe(
      true,
    );
    expect(forwardToWindow({ type: 'error', jobId: 'job-1', error: { message: 'x', code: 'INTERNAL' } } as JobEvent)).toBe(true);
  });

  it('IPC: a finished job sends its status events but no result event', async () => {
    const sent: JobEvent[] = [];
    const wc = { isDestroyed: () => false, send: (_channel: string, event: JobEvent) => void sent.push(event) };
    const off = forwardJobEvents(host, () => [wc as never]);
    const id = selftest();
    await host.wait(id);
    off();
    const mine = sent.filter((e) => (e.type === 'status' ? e.job.id === id : e.jobId === id));
    expect(mine.some((e) => e.type === 'status' && e.job.status === 'done')).toBe(true);
    expect(mine.some((e) => e.type === 'result')).toBe(false);
  }, 30_000);

  it('browser mode: the event stream carries the job to done without its result', async () => {
    const rendererDir = mkdtempSync(path.join(tmpdir(), 'dagflow-renderer-'));
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const handlers = createApiHandlers({ transport: 'browser', host, data, samplesDir: 'samples' });
    const server = await startBrowserServer({ handlers, host, rendererDir, token: 'events-token' });
    try {
      const controller = new AbortController();
      const res = await fetch(`http://127.0.0.1:${server.port}/api/events`, {
        headers: { Authorization: 'Bearer events-token' },
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const id = selftest();
      let text = '';
      while (!text.includes(`"id":"${id}"`) || !/"status":"done"/.test(text.split(`"id":"${id}"`).slice(1).join(''))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await host.wait(id);
      controller.abort();
      const events = text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as JobEvent);
      expect(events.some((e) => e.type === 'status' && e.job.id === id && e.job.status === 'done')).toBe(true);
      expect(events.some((e) => e.type === 'result')).toBe(false);
    } finally {
      await server.close();
    }
  }, 30_000);
});
