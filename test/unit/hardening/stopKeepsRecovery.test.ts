/**
 * Issue 16, item 6: Ctrl+C (SIGTERM) of browser mode deleted unsaved work — the stop removed the
 * process's recovery file although the session was never saved. The stop now writes pending
 * changes and keeps the file (offered at the next start), unless the session was saved since
 * its last change. These call the function cli/serve.ts calls on SIGINT/SIGTERM; the real
 * signal to the real server is in test/e2e/stopKeepsRecovery.spec.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { recoveryPath } from '../../../src/app/session/recovery.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import type { ApiHandlers } from '../../../src/shared/api.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const base = mkdtempSync(path.join(tmpdir(), 'dagflow-stop-'));
const hosts: JobHost[] = [];
const stores: DataStore[] = [];
afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
  rmSync(base, { recursive: true, force: true });
});

interface BrowserSide {
  api: ApiHandlers;
  stop: () => Promise<string[]>;
}

function browserSide(folder: string, pid: number, startedAt: number): BrowserSide {
  const host = new JobHost({ maxConcurrent: 1 });
  const data = new DataStore();
  hosts.push(host);
  stores.push(data);
  let stop: () => Promise<string[]> = async () => [];
  // A long quiet time: only the stop itself can have written the last change.
  const api = createApiHandlers({
    transport: 'browser',
    host,
    data,
    samplesDir: path.join(PROJECT_ROOT, 'samples'),
    sessionDebounceMs: 60_000,
    recovery: { folder, pid, startedAt },
    onStopSession: (s) => (stop = s),
  });
  return { api, stop: () => stop() };
}

async function untitled(api: ApiHandlers, note: string): Promise<void> {
  const csv = readFileSync(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
  const opened = (await api.openData({ source: 'upload', fileName: 'asia.csv', content: new Uint8Array(csv) }))!;
  await api.updateSession({ datasetId: opened.datasetId, settings: { note }, views: {}, reference: null });
}

describe('stopping browser mode keeps unsaved work', () => {
  it('an unsaved session is written and kept by the stop, and offered to the next process', async () => {
    const folder = path.join(base, 'unsaved');
    const first = browserSide(folder, 999_999_201, 1);
    await untitled(first.api, 'never saved');
    const file = recoveryPath(folder, '999999201-1');
    const kept = await first.stop();
    expect(kept).toEqual([file]);
    expect(JSON.parse(readFileSync(file, 'utf8')).settings).toEqual({ note: 'never saved' });

    const next = browserSide(folder, 999_999_202, 2);
    expect((await next.api.listRecoverableSessions(undefined)).map((s) => s.id)).toEqual(['999999201-1']);
  });

  it('a session downloaded since its last change is not kept', async () => {
    const folder = path.join(base, 'saved');
    const side = browserSide(folder, 999_999_203, 3);
    await untitled(side.api, 'saved');
    await side.api.saveSession({});
    expect(await side.stop()).toEqual([]);
    expect(existsSync(recoveryPath(folder, '999999203-3'))).toBe(false);
  });

  it('a change after the download is kept again', async () => {
    const folder = path.join(base, 'changed');
    const side = browserSide(folder, 999_999_204, 4);
    await untitled(side.api, 'saved');
    await side.api.saveSession({});
    await side.api.updateSession({ datasetId: null, settings: { note: 'changed after saving' }, views: {}, reference: null });
    const kept = await side.stop();
    expect(kept).toHaveLength(1);
    expect(JSON.parse(readFileSync(kept[0]!, 'utf8')).settings).toEqual({ note: 'changed after saving' });
  });
});
