/**
 * Issue 16, item 6, with the real signal: an untitled session with data open, browser mode
 * stopped with SIGTERM (what Ctrl+C and service managers send) before the autosave's quiet time
 * is over. The recovery file used to be deleted on such a stop; now it is written and kept, the
 * server says where, and the next server offers it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect, test } from 'playwright/test';
import { PROJECT_ROOT, startBrowserMode, type BrowserModeServer } from './support/browserMode.ts';

const servers: BrowserModeServer[] = [];
test.afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function call<T>(server: BrowserModeServer, route: string, body: BodyInit, contentType = 'application/json'): Promise<T> {
  const res = await fetch(`${server.origin}${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': contentType },
    body,
  });
  const envelope = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${route}: ${envelope.error?.message}`);
  return envelope.value as T;
}

test('SIGTERM keeps the unsaved session in the recovery folder and says where', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'dagflow-e2e-stop-'));
  const first = await startBrowserMode(['--recovery-dir', folder]);
  servers.push(first);
  const csv = readFileSync(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
  const opened = await call<{ datasetId: string }>(first, '/api/openData/upload?fileName=asia.csv', csv, 'application/octet-stream');
  await call(
    first,
    '/api/updateSession',
    JSON.stringify({ datasetId: opened.datasetId, settings: { note: 'never saved' }, views: {}, reference: null }),
  );

  await first.stop();
  const files = readdirSync(folder).filter((f) => /^untitled-.*\.dagflow$/.test(f));
  expect(files).toHaveLength(1);
  const kept = path.join(folder, files[0]!);
  expect(existsSync(kept)).toBe(true);
  expect(JSON.parse(readFileSync(kept, 'utf8')).settings).toEqual({ note: 'never saved' });
  expect(first.output()).toContain(`The unsaved session is kept in ${kept}`);

  const second = await startBrowserMode(['--recovery-dir', folder]);
  servers.push(second);
  const offered = await call<Array<{ id: string; dataFile: string | null }>>(second, '/api/listRecoverableSessions', '');
  expect(offered).toHaveLength(1);
  expect(offered[0]!.dataFile).toBe('asia.csv');
});
