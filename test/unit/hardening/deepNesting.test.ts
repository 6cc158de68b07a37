/**
 * Issue 16, item 9, through browser mode: a session nested 50 k deep uploaded, DOT with 100 k
 * nested braces and GraphML 100 k elements deep sent to importGraph. Each used to reach a
 * recursive parser and fail with "Maximum call stack size exceeded"; now each is refused with
 * the depth bound, and the server goes on serving. (The readers themselves: the corpus.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { readDot } from '../../../src/gflownet/graphio/dotReader.ts';
import { readGraphml } from '../../../src/gflownet/graphio/graphml.ts';
import { bracketsTooDeep, MAX_NESTING_DEPTH, xmlTooDeep } from '../../../src/gflownet/io/nesting.ts';
import { emptySession } from '../../../src/gflownet/session/schema.ts';
import { parseSession } from '../../../src/gflownet/session/sessionFile.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import { startBrowserServer, type RunningServer } from '../../../src/server/server.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const base = mkdtempSync(path.join(tmpdir(), 'dagflow-deep-'));
const rendererDir = path.join(base, 'renderer');
mkdirSync(rendererDir, { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
const host = new JobHost({ maxConcurrent: 1 });
const data = new DataStore();
const token = 'deep-token-77';
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

interface Envelope {
  ok: boolean;
  error?: { message: string };
}

async function post(route: string, body: string, contentType = 'application/json'): Promise<{ status: number; envelope: Envelope }> {
  const res = await fetch(`http://127.0.0.1:${server.port}${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body,
  });
  return { status: res.status, envelope: (await res.json()) as Envelope };
}

const tooDeep = `nested more than ${MAX_NESTING_DEPTH} levels deep`;

describe('deeply nested files through browser mode', () => {
  it('an uploaded session nested 50,000 deep', async () => {
    const text = `{"format":"dagflow-session","version":1,"data":null,"settings":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},"runs":[],"views":{}}`;
    const { status, envelope } = await post('/api/openSession/upload?fileName=deep.dagflow', text, 'application/octet-stream');
    expect(status).toBe(200);
    expect(envelope.ok).toBe(false);
    expect(envelope.error?.message).toContain(tooDeep);
  });

  it('importGraph of DOT with 100,000 nested braces and of GraphML 100,000 elements deep', async () => {
    const dot = `digraph {\n A -> B;\n ${'{'.repeat(100_000)}${'}'.repeat(100_000)}\n}`;
    const graphml = `<graphml><graph edgedefault="directed">\n${'<g>'.repeat(100_000)}${'</g>'.repeat(100_000)}</graph></graphml>`;
    for (const [fileName, text] of [
      ['deep.dot', dot],
      ['deep.graphml', graphml],
    ] as const) {
      const { status, envelope } = await post(
        '/api/importGraph',
        JSON.stringify({ variables: ['A', 'B'], text, fileName, purpose: 'truth' }),
      );
      expect(status, fileName).toBe(200);
      expect(envelope.ok, fileName).toBe(false);
      expect(envelope.error?.message, fileName).toContain(tooDeep);
      expect(envelope.error?.message, fileName).not.toContain('call stack');
    }
  });

  it('keeps serving afterwards', async () => {
    const { status, envelope } = await post('/api/getAppInfo', '');
    expect(status).toBe(200);
    expect(envelope.ok).toBe(true);
  });
});

describe('the depth bound itself', () => {
  it('lets real files through: braces and tags inside strings, comments and CDATA do not count', () => {
    const session = { ...emptySession(), settings: { note: '{'.repeat(5000) + '['.repeat(5000) } };
    expect(parseSession(JSON.stringify(session)).session.settings).toEqual(session.settings);
    expect(bracketsTooDeep(`digraph { "${'{'.repeat(5000)}" -> B }`, '{', '}')).toBeNull();
    expect(
      xmlTooDeep(`<graphml><!-- ${'<g>'.repeat(5000)} --><![CDATA[${'<g>'.repeat(5000)}]]><graph a="${'<g>'.repeat(10)}"/></graphml>`),
    ).toBeNull();
  });

  it('parses nesting just under the bound, and refuses one level more', () => {
    const depth = MAX_NESTING_DEPTH - 1;
    expect(readDot(`digraph {\n${'{'.repeat(depth - 1)} A -> B ${'}'.repeat(depth - 1)}\n}`, 'ok.dot').edges).toHaveLength(1);
    expect(
      readGraphml(
        `<graphml><graph edgedefault="directed"><node id="A"/>${'<data>'.repeat(10)}${'</data>'.repeat(10)}</graph></graphml>`,
        'ok.graphml',
      ).nodes,
    ).toHaveLength(1);
    expect(bracketsTooDeep('{'.repeat(MAX_NESTING_DEPTH), '{', '}')).toBeNull();
    expect(bracketsTooDeep('{'.repeat(MAX_NESTING_DEPTH + 1), '{', '}')).toEqual({ line: 1, depth: MAX_NESTING_DEPTH + 1 });
    expect(xmlTooDeep('<a>\n'.repeat(MAX_NESTING_DEPTH + 1))).toEqual({ line: MAX_NESTING_DEPTH + 1, depth: MAX_NESTING_DEPTH + 1 });
  });
});
