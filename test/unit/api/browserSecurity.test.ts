import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { MAX_JSON_BYTES, startBrowserServer, type RunningServer } from '../../../src/server/server.ts';
import { API_OPERATIONS } from '../../../src/shared/api.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const host = new JobHost({ maxConcurrent: 1 });
const data = new DataStore();
const base = mkdtempSync(path.join(tmpdir(), 'dagflow-sec-'));
const rendererDir = path.join(base, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(path.join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
writeFileSync(path.join(base, 'secret.txt'), 'do not serve');
const token = 'tok-abc_DEF-123';
let server: RunningServer;

beforeAll(async () => {
  server = await startBrowserServer({
    handlers: createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(root, 'samples') }),
    host,
    rendererDir,
    token,
  });
});
afterAll(async () => {
  await server.close();
  await host.shutdown();
});

/** Raw request (fetch would normalise ../ and forbid some headers). */
function raw(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
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
      },
    );
    req.on('error', (e) =>
      e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? resolve({ status: 413, headers: {}, body: '' }) : reject(e),
    );
    if (body) req.write(body);
    req.end();
  });
}

const auth = { Authorization: `Bearer ${token}` };
const everyRoute: Array<[string, string]> = [
  ['GET', '/'],
  ['GET', '/index.html'],
  ['GET', '/assets/a.js'],
  ['GET', '/api/events'],
  ['POST', '/api/openData/upload?fileName=a.csv'],
  ...API_OPERATIONS.map((op) => ['POST', `/api/${op}`] as [string, string]),
];

describe('browser mode security', () => {
  it('binds to loopback by default', () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('refuses every route without the token (401) and with a wrong one (403)', async () => {
    for (const [method, target] of everyRoute) {
      expect((await raw(method, target)).status, `${method} ${target}`).toBe(401);
      expect((await raw(method, target, { Authorization: 'Bearer nope' })).status, `${method} ${target}`).toBe(403);
      expect((await raw(method, target, { Cookie: `dagflow_token_${server.port}=nope` })).status, `${method} ${target}`).toBe(403);
    }
  });

  it('exchanges the URL token for an HttpOnly SameSite cookie that then works', async () => {
    const first = await raw('GET', `/?token=${token}`);
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw('GET', '/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses requests from another origin or for another host name (DNS rebinding), even with the token', async () => {
    expect((await raw('POST', '/api/getAppInfo', { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw('GET', '/api/events', { ...auth, Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await raw('GET', '/', { ...auth, Host: 'evil.example' })).status).toBe(403);
    expect((await raw('POST', '/api/listSamples', { ...auth, Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('serves no file outside the renderer folder', async () => {
    for (const target of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/%00index.html',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    ]) {
      const res = await raw('GET', target, auth);
      expect(res.body, target).not.toContain('do not serve');
      expect(res.status, target).toBe(404);
    }
  });

  it('limits body sizes', async () => {
    const big = Buffer.alloc(MAX_JSON_BYTES + 10, 0x20);
    expect(
      (await raw('POST', '/api/getAppInfo', { ...auth, 'Content-Type': 'application/json', 'Content-Length': String(big.length) }, big))
        .status,
    ).toBe(413);
    expect(
      (await raw('POST', '/api/openData/upload?fileName=x.csv', { ...auth, 'Content-Length': String(600 * 1024 * 1024) })).status,
    ).toBe(413);
  });

  it('answers an unknown operation with 404 and non-JSON with 400', async () => {
    expect((await raw('POST', '/api/deleteEverything', auth)).status).toBe(404);
    expect((await raw('POST', '/api/listJobs', auth, '{not json')).status).toBe(400);
  });
});
