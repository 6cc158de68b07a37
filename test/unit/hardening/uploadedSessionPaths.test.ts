/**
 * Issue 16, item 4: an uploaded session's `data.path` probed the server's files — it answered
 * `changed` or `missing` for any path (/etc/passwd, /proc/self/environ) and, with the right
 * SHA-256, opened that file as data. An uploaded session now never reads a server path: its
 * data is what it carries (embedded) or what the user uploads or picks to relink it, checked by
 * hash. Through the browser-mode API handlers, the ones the upload route calls.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { makeDataReference, sha256Hex } from '../../../src/gflownet/session/dataReference.ts';
import { emptySession, type DataReference } from '../../../src/gflownet/session/schema.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import type { ApiHandlers } from '../../../src/shared/api.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-uploaded-'));
const hosts: JobHost[] = [];
const stores: DataStore[] = [];
afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The real store, recording every server path registered as a data set. */
class RecordingStore extends DataStore {
  readonly registered: string[] = [];
  override register(filePath: string, sizeBytes: number, name?: string): ReturnType<DataStore['register']> {
    this.registered.push(filePath);
    return super.register(filePath, sizeBytes, name);
  }
}

function browserApi(): { api: ApiHandlers; data: RecordingStore } {
  const host = new JobHost({ maxConcurrent: 1 });
  const data = new RecordingStore();
  hosts.push(host);
  stores.push(data);
  return { api: createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(PROJECT_ROOT, 'samples') }), data };
}

function upload(api: ApiHandlers, data: DataReference): ReturnType<ApiHandlers['openSession']> {
  const text = JSON.stringify({ ...emptySession(), data });
  return api.openSession({ source: 'upload', fileName: 'probe.dagflow', content: new TextEncoder().encode(text) });
}

// A file on the server that the uploader knows the bytes of (so also its SHA-256).
const serverFile = path.join(dir, 'server-side.csv');
const csv = readFileSync(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
writeFileSync(serverFile, csv);

describe('an uploaded session never reads a server path', () => {
  it('a server file with the right SHA-256 is not opened: the data is to be relinked', async () => {
    const { api, data } = browserApi();
    const opened = await upload(api, { path: serverFile, sha256: sha256Hex(csv), bytes: csv.byteLength });
    expect(opened?.data).toEqual({ status: 'missing', name: 'server-side.csv' });
    expect(data.registered).not.toContain(serverFile);
  });

  it('existing and missing server paths answer the same: no oracle for /etc/passwd or /proc/self/environ', async () => {
    const { api } = browserApi();
    const answers = [];
    for (const probe of ['/etc/passwd', '/proc/self/environ', path.join(dir, 'no-such-file')]) {
      answers.push((await upload(api, { path: probe, sha256: '0'.repeat(64), bytes: 1 }))?.data.status);
    }
    expect(answers).toEqual(['missing', 'missing', 'missing']);
  });

  it('relinked to data the user uploads, accepted by its SHA-256', async () => {
    const { api } = browserApi();
    await upload(api, { path: serverFile, sha256: sha256Hex(csv), bytes: csv.byteLength });
    const uploaded = (await api.openData({ source: 'upload', fileName: 'asia.csv', content: new Uint8Array(csv) }))!;
    const preview = await api.locateSessionData({ source: 'opened', datasetId: uploaded.datasetId });
    expect(preview?.name).toBe('asia.csv');
  });

  it('data the session carries is still opened', async () => {
    const { api } = browserApi();
    const ref = await makeDataReference(serverFile, null, { embed: true });
    const opened = await upload(api, { ...ref, path: '/nowhere/asia.csv' });
    expect(opened?.data.status).toBe('embedded');
  });
});
