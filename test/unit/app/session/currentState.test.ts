/**
 * getSessionState: what the Node side holds of the window's session, for a reloaded page to
 * show again (issue 15 item 7) — the data set's preview, the window's last settings and views,
 * the runs; and the data a reopened session still waits for.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../../src/jobs/host.ts';
import { DataStore } from '../../../../src/app/dataStore.ts';
import { dispatchApi } from '../../../../src/app/dispatch.ts';
import { createApiHandlers } from '../../../../src/app/handlers.ts';
import type { ApiHandlers } from '../../../../src/shared/api.ts';
import type { ModelSpec } from '../../../../src/shared/workflow.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };
const hosts: JobHost[] = [];
const stores: DataStore[] = [];

/** Handlers as browser mode has them. */
function make(): ApiHandlers {
  const host = new JobHost({ maxConcurrent: 1 });
  const data = new DataStore();
  hosts.push(host);
  stores.push(data);
  return createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(root, 'samples'), sessionDebounceMs: 10 });
}

afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
});

describe('getSessionState', () => {
  it('is blank before anything is opened, and takes no argument', async () => {
    const api = make();
    expect(await api.getSessionState(undefined)).toEqual({
      settings: {},
      views: {},
      reference: null,
      runs: [],
      data: { status: 'none' },
      status: { fileName: null, autosave: false },
    });
    const refused = await dispatchApi(api, 'getSessionState', { datasetId: 'x' });
    expect(refused.ok).toBe(false);
  });

  it('gives back the opened data, the window’s last state and the runs', async () => {
    const api = make();
    const opened = (await api.openData({
      source: 'upload',
      fileName: path.basename(fixture),
      content: new Uint8Array(readFileSync(fixture)),
    }))!;
    const run = await api.startRun({
      datasetId: opened.datasetId,
      data: { standardize: false },
      model: bge,
      sampler: { method: 'exact' },
    });
    const settings = { dataOptions: { standardize: false, missing: 'drop' }, model: { score: 'bge' } };
    const views = { screen: 'model', threshold: 0.3, graphLayout: 'circle' };
    await api.updateSession({ datasetId: opened.datasetId, settings, views, reference: { source: 't.dot', edges: [['X1', 'X2']] } });
    // A window that sends no data set (a new page's start state) does not unset the opened one.
    await api.updateSession({ datasetId: null, settings, views, reference: { source: 't.dot', edges: [['X1', 'X2']] } });
    const current = await api.getSessionState(undefined);
    expect(current.settings).toEqual(settings);
    expect(current.views).toEqual(views);
    expect(current.reference).toEqual({ source: 't.dot', edges: [['X1', 'X2']] });
    expect(current.runs.map((r) => r.runId)).toEqual([run.runId]);
    expect(current.data.status).toBe('found');
    if (current.data.status === 'found') {
      expect(current.data.preview).toMatchObject({ datasetId: opened.datasetId, name: 'lingauss_d5_n100.csv', rowCount: opened.rowCount });
      expect(current.data.preview.columns).toEqual(opened.columns);
    }
  }, 60_000);

  it('names the data a reopened session waits for', async () => {
    const first = make();
    const opened = (await first.openData({
      source: 'upload',
      fileName: path.basename(fixture),
      content: new Uint8Array(readFileSync(fixture)),
    }))!;
    await first.updateSession({ datasetId: opened.datasetId, settings: {}, views: { screen: 'import' }, reference: null });
    const saved = (await first.saveSession({}))!;
    const fresh = make();
    await fresh.openSession({ source: 'upload', fileName: saved.fileName, content: new TextEncoder().encode(saved.content!) });
    // An uploaded session's data path is never followed: the window asks for the file, also after a reload.
    expect((await fresh.getSessionState(undefined)).data).toEqual({ status: 'missing', name: 'lingauss_d5_n100.csv' });
  }, 60_000);
});
