/**
 * Security of browser mode and of the Electron IPC, beyond the checks in test/unit/api: every
 * route with every method and no token, origins on the event stream (and a WebSocket upgrade
 * attempt), bodies over the limit without a declared length, JSON nested to blow the stack,
 * path traversal including a symlink that leads out of the app folder, and every IPC handler
 * called with wrong types, wrong sizes and from a foreign page — without its handler ever running.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { registerIpcHandlers } from '../../../src/main/electron/ipc.ts';
import { MAX_JSON_BYTES, startBrowserServer, type RunningServer } from '../../../src/server/server.ts';
import { API_OPERATIONS, ipcChannel, type ApiEnvelope, type ApiHandlers, type ApiOperation } from '../../../src/shared/api.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const base = mkdtempSync(path.join(tmpdir(), 'dagflow-security-'));
const rendererDir = path.join(base, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app page</title>');
writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
symlinkSync(path.join(base, 'secret.txt'), path.join(rendererDir, 'assets', 'linked.txt'));
symlinkSync(base, path.join(rendererDir, 'escape'));

const host = new JobHost({ maxConcurrent: 1 });
const data = new DataStore();
const token = 'sec-token-4f2a9c';
let server: RunningServer;

beforeAll(async () => {
  server = await startBrowserServer({
    handlers: createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(PROJECT_ROOT, 'samples') }),
    host,
    rendererDir,
    token,
  });
});
afterAll(async () => {
  await server.close();
  await host.shutdown();
  data.dispose();
  rmSync(base, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function raw(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: Buffer | string | Buffer[],
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent: false,
        host: '127.0.0.1',
        port: server.port,
        method,
        path: target,
        headers: { Host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        // The event stream never ends: its status and headers are the answer.
        if (res.headers['content-type'] === 'text/event-stream') {
          resolve({ status: res.statusCode!, headers: res.headers, body: '' });
          res.destroy();
        }
      },
    );
    req.on('error', (e) => (/EPIPE|ECONNRESET/.test(e.message) ? resolve({ status: 413, headers: {}, body: '' }) : reject(e)));
    if (Array.isArray(body)) for (const b of body) req.write(b);
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

const auth = { Authorization: `Bearer ${token}` };
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const ROUTES = [
  '/',
  '/index.html',
  '/assets/app.js',
  '/assets/linked.txt',
  '/nope',
  '/api',
  '/api/',
  '/api/events',
  '/api/openData/upload?fileName=a.csv',
  '/api/doesNotExist',
  ...API_OPERATIONS.map((op) => `/api/${op}`),
];

describe('browser mode: the token', () => {
  it('every route, every method: refused without the token, and nothing of the app leaks', async () => {
    for (const route of ROUTES) {
      for (const method of METHODS) {
        const res = await raw(method, route);
        expect(res.status, `${method} ${route}`).toBe(401);
        expect(res.body, `${method} ${route}`).not.toContain('app page');
        expect(res.body).not.toContain('TOP SECRET');
      }
    }
  });

  it('a wrong token in the header, the cookie or the address is refused too', async () => {
    for (const route of ['/', '/api/getAppInfo', '/api/events']) {
      const method = route.startsWith('/api/') && route !== '/api/events' ? 'POST' : 'GET';
      expect((await raw(method, route, { Authorization: `Bearer ${token}x` })).status).toBe(403);
      expect((await raw(method, route, { Authorization: `Bearer ${token.slice(0, -1)}` })).status).toBe(403);
      expect((await raw(method, route, { Cookie: `dagflow_token_${server.port}=${token.toUpperCase()}` })).status).toBe(403);
      expect((await raw(method, `${route}${route.includes('?') ? '&' : '?'}token=guess`)).status).toBe(403);
      expect((await raw(method, route, { Authorization: `Basic ${token}` })).status).toBe(401);
    }
  });
});

describe('browser mode: origins on the event stream and sockets', () => {
  const foreign = (port: number): string[] => [
    'null',
    'http://evil.example',
    `http://localhost.evil.example:${port}`,
    `http://127.0.0.1:${port}.evil.example`,
    `http://127.0.0.1:${port + 1}`,
    'file://',
    'chrome-extension://abc',
  ];

  it('refuses the event stream to any other origin, even with the token', async () => {
    for (const origin of foreign(server.port))
      expect((await raw('GET', '/api/events', { ...auth, Origin: origin })).status, origin).toBe(403);
    const own = await raw('GET', '/api/events', { ...auth, Origin: `http://127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toBe('text/event-stream');
  });

  it('never switches protocols for a WebSocket upgrade, with or without the token', async () => {
    for (const headers of [{}, { ...auth, Origin: 'http://evil.example' }, auth]) {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          const extra = Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('');
          socket.write(
            `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
          );
        });
        let text = '';
        socket.on('data', (b) => {
          text += b.toString();
          socket.destroy();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
        setTimeout(() => socket.destroy(), 3000);
      });
      expect(answer.startsWith('HTTP/1.1 101')).toBe(false);
    }
  });
});

describe('browser mode: request bodies', () => {
  it('refuses a JSON body over the limit sent without a declared length (chunked)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const chunks = Array.from({ length: Math.ceil(MAX_JSON_BYTES / chunk.length) + 2 }, () => chunk);
    const res = await raw('POST', '/api/listJobs', { ...auth, 'Transfer-Encoding': 'chunked' }, chunks);
    expect(res.status).toBe(413);
  });

  it('answers JSON nested deep enough to overflow a parser with 400, and keeps serving', async () => {
    const res = await raw('POST', '/api/listJobs', { ...auth, 'Content-Type': 'application/json' }, '['.repeat(500_000));
    expect(res.status).toBe(400);
    const deep = await raw(
      'POST',
      '/api/getPosterior',
      { ...auth, 'Content-Type': 'application/json' },
      `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
    );
    expect(deep.status).toBe(200);
    expect(JSON.parse(deep.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await raw('POST', '/api/listJobs', auth)).status).toBe(200);
  });
});

describe('browser mode: files', () => {
  it('serves no file outside the app folder, whatever the encoding of the path', async () => {
    const attempts = [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%252e%252e/secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '//secret.txt',
      `/${base}/secret.txt`,
      '/assets/linked.txt',
      '/escape/secret.txt',
      '/index.html%00.txt',
      '/assets/%ZZ',
    ];
    for (const target of attempts) {
      const res = await raw('GET', target, auth);
      expect(res.body, target).not.toContain('TOP SECRET');
      // "//secret.txt" is a host-relative URL: its path is "/", the app page itself.
      if (target === '//secret.txt') expect(res.body).toContain('app page');
      else expect(res.status, target).toBe(404);
    }
    expect((await raw('GET', '/assets/app.js', auth)).status).toBe(200);
  });

  it('binds to loopback by default', () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });
});

// ---------------------------------------------------------------- Electron IPC

type IpcListener = (event: unknown, request: unknown) => Promise<ApiEnvelope<unknown>>;

/** A fake ipcMain and handlers that only record that they ran. */
function ipcHarness(trusted: boolean): {
  call: (op: ApiOperation, request: unknown) => Promise<ApiEnvelope<unknown>>;
  ran: ApiOperation[];
} {
  const listeners = new Map<string, IpcListener>();
  const ran: ApiOperation[] = [];
  const handlers = Object.fromEntries(API_OPERATIONS.map((op) => [op, async () => void ran.push(op)])) as unknown as ApiHandlers;
  registerIpcHandlers(
    { handle: (channel: string, listener: IpcListener) => void listeners.set(channel, listener) } as never,
    handlers,
    () => trusted,
  );
  return { call: (op, request) => listeners.get(ipcChannel(op))!({ senderFrame: { url: 'file:///app/index.html' } }, request), ran };
}

const NO_ARGUMENT = new Set<ApiOperation>(['getAppInfo', 'listSamples', 'listJobs', 'listRuns', 'getCapabilities']);
const huge = 'x'.repeat(2 * 1024 * 1024);
const deep = JSON.parse(`${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`) as unknown;
const WRONG: ReadonlyArray<[string, unknown]> = [
  ['a number', 42],
  ['a string', 'run-1'],
  ['a huge string', huge],
  ['an array', [1, 2, 3]],
  ['a long array', new Array(200_000).fill(0)],
  ['true', true],
  ['a function-like object', { toString: 'x', valueOf: 1 }],
  ['an object with a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "runId": "run-1"}')],
  ['an object nested 2000 deep', deep],
  ['bytes', new Uint8Array(16)],
  ['an object with unexpected fields', { evil: '../../etc/passwd', datasetId: 'data-0123456789ab', runId: 'run-1', jobId: 'job-1' }],
  [
    'huge values in plausible fields',
    {
      datasetId: huge,
      runId: huge,
      jobId: huge,
      name: huge,
      source: 'sample',
      format: huge,
      topDags: 1e12,
      edges: new Array(100_000).fill([0, 1]),
    },
  ],
];

describe('Electron IPC', () => {
  it('every handler refuses wrong types and sizes before anything runs', async () => {
    const { call, ran } = ipcHarness(true);
    for (const op of API_OPERATIONS) {
      for (const [what, request] of WRONG) {
        const envelope = await call(op, request);
        expect(envelope.ok, `${op} with ${what}`).toBe(false);
        if (!envelope.ok) expect(envelope.error.code, `${op} with ${what}: ${envelope.error.message}`).toBe('BAD_REQUEST');
      }
    }
    expect(ran).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('operations without an argument run when called without one (so the harness can tell)', async () => {
    const { call, ran } = ipcHarness(true);
    for (const op of NO_ARGUMENT) expect((await call(op, undefined)).ok, op).toBe(true);
    expect(ran.sort()).toEqual([...NO_ARGUMENT].sort());
  });

  it('every handler refuses a caller that is not the app page, even with a valid request', async () => {
    const { call, ran } = ipcHarness(false);
    for (const op of API_OPERATIONS) {
      const envelope = await call(op, undefined);
      expect(envelope, op).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(ran).toEqual([]);
  });
});
