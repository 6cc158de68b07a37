/**
 * Issue 16, items 2 and 5: two browser-mode servers on 127.0.0.1 share one browser cookie jar
 * (cookies ignore the port), so each server's token cookie carries the port in its name: the
 * second server no longer replaces the first one's cookie, and neither accepts the other's.
 * And the Origin must be exactly this server (`http://` + one of its host names and its port):
 * `https://` on the same host and port, or look-alikes, are refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { startBrowserServer, type RunningServer } from '../../../src/server/server.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const base = mkdtempSync(path.join(tmpdir(), 'dagflow-identity-'));
const rendererDir = path.join(base, 'renderer');
mkdirSync(rendererDir, { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app page</title>');

const host = new JobHost({ maxConcurrent: 1 });
const data = new DataStore();
let first: RunningServer;
let second: RunningServer;

async function start(token: string): Promise<RunningServer> {
  return startBrowserServer({
    handlers: createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(PROJECT_ROOT, 'samples') }),
    host,
    rendererDir,
    token,
  });
}

beforeAll(async () => {
  first = await start('first-token-111');
  second = await start('second-token-222');
});
afterAll(async () => {
  await first.close();
  await second.close();
  await host.shutdown();
  data.dispose();
  rmSync(base, { recursive: true, force: true });
});

interface Answer {
  status: number;
  setCookie: string;
  body: string;
}

function get(server: RunningServer, target: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent: false,
        host: '127.0.0.1',
        port: server.port,
        method: 'GET',
        path: target,
        headers: { Host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, setCookie: String(res.headers['set-cookie'] ?? ''), body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** What a browser would keep of a Set-Cookie: `name=value`. */
function pair(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

describe('browser mode: one cookie per server', () => {
  it('two servers on 127.0.0.1 each set a cookie of their own name, and both work from one cookie jar', async () => {
    const a = pair((await get(first, '/?token=first-token-111')).setCookie);
    const b = pair((await get(second, '/?token=second-token-222')).setCookie);
    expect(a.split('=')[0]).not.toBe(b.split('=')[0]);
    expect(a).toContain(String(first.port));
    // The browser sends every cookie of 127.0.0.1 to both ports.
    const jar = `${a}; ${b}`;
    expect((await get(first, '/', { Cookie: jar })).status).toBe(200);
    expect((await get(second, '/', { Cookie: jar })).status).toBe(200);
  });

  it("a server ignores the other server's cookie", async () => {
    const a = pair((await get(first, '/?token=first-token-111')).setCookie);
    expect((await get(second, '/', { Cookie: a })).status).toBe(401);
    // Even under this server's cookie name, the other server's token is wrong.
    const renamed = a.replace(/^[^=]+/, `dagflow_token_${second.port}`);
    expect((await get(second, '/', { Cookie: renamed })).status).toBe(403);
  });
});

describe('browser mode: the exact origin', () => {
  const auth = { Authorization: 'Bearer first-token-111' };

  it('accepts its own http origin under each of its names', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      expect((await get(first, '/', { ...auth, Origin: `http://${name}:${first.port}` })).status, name).toBe(200);
    }
  });

  it('refuses https on the same host and port, and look-alike origins', async () => {
    const port = first.port;
    for (const origin of [
      `https://127.0.0.1:${port}`,
      `https://localhost:${port}`,
      `HTTP://127.0.0.1:${port}x`,
      `ws://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}/`,
      `http://user@127.0.0.1:${port}`,
      `127.0.0.1:${port}`,
      `http://127.0.0.1:${second.port}`,
    ]) {
      expect((await get(first, '/', { ...auth, Origin: origin })).status, origin).toBe(403);
    }
  });

  it('quotes a hostile Host or Origin in its refusal: no control characters, bounded length', async () => {
    const answer = await get(first, '/', { ...auth, Origin: `http://evil.example/${'x'.repeat(5000)}` });
    expect(answer.status).toBe(403);
    expect(answer.body.length).toBeLessThan(200);
    expect(answer.body).toMatch(/^requests from "http:\/\/evil\.example\/x+…" are not allowed\n$/);
  });
});
