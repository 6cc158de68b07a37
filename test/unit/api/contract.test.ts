import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { registerIpcHandlers } from '../../../src/main/electron/ipc.ts';
import { buildPreloadApi } from '../../../src/preload/api.ts';
import { startBrowserServer, type RunningServer } from '../../../src/server/server.ts';
import { API_OPERATIONS, ipcChannel, type ApiEnvelope } from '../../../src/shared/api.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const host = new JobHost({ maxConcurrent: 1 });
const data = new DataStore();
const handlers = createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(root, 'samples') });
const rendererDir = mkdtempSync(path.join(tmpdir(), 'dagflow-renderer-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
const token = 'test-token-123';
let server: RunningServer;

beforeAll(async () => {
  server = await startBrowserServer({ handlers, host, rendererDir, token });
});
afterAll(async () => {
  await server.close();
  await host.shutdown();
  data.dispose();
});

async function call(op: string, body: unknown): Promise<{ status: number; envelope?: ApiEnvelope<unknown> }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${op}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  return { status: res.status, envelope: res.status === 200 ? ((await res.json()) as ApiEnvelope<unknown>) : undefined };
}

describe('API contract', () => {
  it('has a Node-side handler for every operation', () => {
    for (const op of API_OPERATIONS) expect(typeof handlers[op], op).toBe('function');
    expect(Object.keys(handlers).sort()).toEqual([...API_OPERATIONS].sort());
  });

  it('registers one IPC channel per operation', () => {
    const channels: string[] = [];
    registerIpcHandlers({ handle: (channel: string) => void channels.push(channel) } as never, handlers, () => true);
    expect(channels.sort()).toEqual(API_OPERATIONS.map(ipcChannel).sort());
  });

  it('exposes every operation and the event subscriptions in the preload', async () => {
    const invoked: string[] = [];
    const api = buildPreloadApi(
      async (channel) => {
        invoked.push(channel);
        return { ok: true, value: null };
      },
      () => () => {},
    );
    for (const op of API_OPERATIONS) await (api[op] as (r?: unknown) => Promise<unknown>)(undefined);
    expect(invoked).toEqual(API_OPERATIONS.map(ipcChannel));
    expect(typeof api.onJobEvent(() => {})).toBe('function');
    expect(typeof api.onMenuCommand(() => {})).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('routes every operation over HTTP to its handler', async () => {
    // Valid example requests for the foundation's operations; every other operation must at
    // least be routed and answer with an envelope (a validation error for an empty request).
    const examples: Record<string, unknown> = {
      openData: { source: 'sample', name: 'asia_n1000.csv' },
      startJob: { kind: 'selftest', params: { sizes: [16], secondsPerSize: 0.01 } },
      cancelJob: { jobId: 'job-999' },
    };
    const noArgument = new Set(['getAppInfo', 'listSamples', 'listJobs']);
    for (const op of API_OPERATIONS) {
      const { status, envelope } = await call(op, examples[op]);
      expect(status, op).toBe(200);
      expect(envelope, op).toBeDefined();
      if (op in examples || noArgument.has(op)) expect(envelope?.ok, `${op}: ${JSON.stringify(envelope)}`).toBe(true);
    }
  });

  it('refuses malformed arguments on every operation that takes one, and extra arguments on the others', async () => {
    const bad: Record<string, unknown[]> = {
      getAppInfo: [{ x: 1 }, 'a'],
      listSamples: [[1]],
      listJobs: [3],
      openData: [
        null,
        {},
        { source: 'sample', name: '../etc/passwd' },
        { source: 'sample', name: 'x'.repeat(300) },
        { source: 'upload', fileName: 'a.csv', content: 'not bytes' },
        { source: 'recent', index: -1 },
        { source: 'dialog', extra: 1 },
      ],
      startJob: [
        { kind: 'rm -rf' },
        { kind: 'selftest', params: { sizes: [1e9] } },
        { kind: 'selftest', params: { secondsPerSize: 'slow' } },
        { kind: 'preview', params: { path: '/etc/passwd' } },
      ],
      cancelJob: [{ jobId: 5 }, { jobId: '../job' }, {}],
      exportRun: [
        { runId: 'run-1', format: 'exe' },
        { runId: 'run-1', format: 'dot', threshold: -1 },
      ],
      saveExport: [{ runId: 'run-1', format: 'dot', path: '/etc/passwd' }],
      importGraph: [
        { variables: ['A'], text: '', fileName: 'g.csv', purpose: 'truth' },
        { variables: ['A', 'B'], text: '', fileName: '/etc/g.csv', purpose: 'truth' },
      ],
      updateSession: [
        { datasetId: 3, settings: {}, views: {} },
        { settings: 'x', views: {} },
      ],
      saveSession: [{ path: '/tmp/x.dagflow' }, { embedData: 1 }],
      openSession: [
        { source: 'path', path: '/etc/passwd' },
        { source: 'upload', fileName: 'a.dagflow', content: 'not bytes' },
      ],
      locateSessionData: [
        { source: 'path', path: '/etc/passwd' },
        { source: 'opened', datasetId: '../x' },
      ],
    };
    for (const op of API_OPERATIONS) {
      for (const body of bad[op] ?? []) {
        const { envelope } = await call(op, body);
        expect(envelope?.ok, `${op} ${JSON.stringify(body)}`).toBe(false);
        if (envelope && !envelope.ok) expect(envelope.error.code).toBe('BAD_REQUEST');
      }
    }
  });

  it('takes a session file as raw bytes (it can exceed a JSON request) and answers with the session problem', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/openSession/upload?fileName=x.dagflow`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body: '{"format":"dagflow-session","version":1,',
    });
    expect(await res.json()).toMatchObject({ ok: false, error: { problem: 'corrupt', location: { file: 'x.dagflow' } } });
  });

  it('tells browser-mode users there is no native dialog', async () => {
    const { envelope } = await call('openData', { source: 'dialog' });
    expect(envelope).toMatchObject({ ok: false, error: { message: expect.stringContaining('browser mode') } });
  });
});
