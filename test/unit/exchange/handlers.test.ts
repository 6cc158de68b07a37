import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { dispatchApi } from '../../../src/app/dispatch.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import type { NativeDialogs } from '../../../src/app/nativeDialogs.ts';
import type { ApiHandlers } from '../../../src/shared/api.ts';
import { EXPORT_FORMAT_IDS } from '../../../src/shared/exchange.ts';
import type { ModelSpec, RunSummaryView } from '../../../src/shared/workflow.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };
const hosts: JobHost[] = [];
const stores: DataStore[] = [];
let dir: string;

/** Handlers as browser mode has them, or with fake native dialogs that answer from a queue (desktop). */
function make(dialogAnswers?: Array<string | null>): ApiHandlers {
  const host = new JobHost({ maxConcurrent: 2 });
  const data = new DataStore();
  hosts.push(host);
  stores.push(data);
  const next = async (): Promise<string | null> => (dialogAnswers!.length > 0 ? dialogAnswers!.shift()! : null);
  const dialogs: NativeDialogs | undefined = dialogAnswers ? { saveFile: next, openFile: next } : undefined;
  return createApiHandlers({
    transport: dialogAnswers ? 'electron' : 'browser',
    host,
    data,
    samplesDir: path.join(root, 'samples'),
    dialogs,
    showOpenDialog: dialogAnswers ? next : undefined,
    sessionDebounceMs: 20,
  });
}

async function finished(api: ApiHandlers, runId: string): Promise<RunSummaryView> {
  for (;;) {
    const run = (await api.listRuns(undefined)).find((r) => r.runId === runId)!;
    if (run.status !== 'running' && run.status !== 'queued') return run;
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Browser mode uploads the fixture; with `viaDialog` the desktop dialog (fake) names a file on disk. */
async function mc3Run(api: ApiHandlers, viaDialog = false): Promise<{ runId: string; datasetId: string }> {
  const opened = (await api.openData(
    viaDialog
      ? { source: 'dialog' }
      : { source: 'upload', fileName: path.basename(fixture), content: new Uint8Array(readFileSync(fixture)) },
  ))!;
  const run = await api.startRun({
    datasetId: opened.datasetId,
    data: { standardize: false },
    model: bge,
    sampler: { method: 'mc3', iterations: 3000, chains: 1, seed: 5, thin: 5 },
  });
  expect((await finished(api, run.runId)).status).toBe('done');
  return { runId: run.runId, datasetId: opened.datasetId };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dagflow-exchange-'));
});
afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('exports from the window', () => {
  it('renders every format of a sampled run at the threshold; PNG as base64', async () => {
    const api = make();
    const { runId } = await mc3Run(api);
    const view = await api.getPosterior({ runId, topDags: 0 });
    const above = view.marginals.filter((p, k) => Math.floor(k / 5) !== k % 5 && p >= 0.3).length;
    for (const format of EXPORT_FORMAT_IDS) {
      if (format === 'bif' || format === 'xmlbif') {
        // Conditional tables need discrete data; this run is continuous.
        await expect(api.exportRun({ runId, format, threshold: 0.3 })).rejects.toThrow(/discrete networks/);
        continue;
      }
      const file = await api.exportRun({ runId, format, threshold: 0.3 });
      expect(file.fileName, format).toMatch(new RegExp(`^lingauss_d5_n100-mc3-${runId}-`));
      if (format === 'png') {
        expect(file.text).toBeUndefined();
        expect([...Buffer.from(file.base64!, 'base64').subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      } else expect(file.text!.length, format).toBeGreaterThan(10);
    }
    const graphml = await api.exportRun({ runId, format: 'graphml', threshold: 0.3 });
    expect(graphml.edges).toBe(above);
    expect(graphml.text!.match(/<edge /g) ?? []).toHaveLength(above);
    // Threshold 0 in the window means every edge with P > 0.
    const all = await api.exportRun({ runId, format: 'dot', threshold: 0 });
    expect(all.edges).toBe(view.marginals.filter((p, k) => Math.floor(k / 5) !== k % 5 && p > 0).length);
    await expect(api.saveExport({ runId, format: 'dot' })).rejects.toThrow(/no native save dialog in browser mode/);
  }, 60_000);

  it('refuses sample formats for the exact posterior, and writes through the desktop dialog atomically', async () => {
    const target = path.join(dir, 'chosen.graphml');
    const api = make([target, null]);
    const opened = (await api.openData({
      source: 'upload',
      fileName: 'lingauss_d5_n100.csv',
      content: new Uint8Array(readFileSync(fixture)),
    }))!;
    const exact = await api.startRun({
      datasetId: opened.datasetId,
      data: { standardize: false },
      model: bge,
      sampler: { method: 'exact' },
    });
    expect((await finished(api, exact.runId)).status).toBe('done');
    await expect(api.exportRun({ runId: exact.runId, format: 'samples-csv' })).rejects.toThrow(/no DAG samples/);
    const saved = await api.saveExport({ runId: exact.runId, format: 'graphml', threshold: 0.5 });
    expect(saved).toMatchObject({ fileName: 'chosen.graphml' });
    expect(readFileSync(target, 'utf8').match(/<edge /g) ?? []).toHaveLength(saved!.edges!);
    // Dismissed dialog: nothing written, null back.
    expect(await api.saveExport({ runId: exact.runId, format: 'dot' })).toBeNull();
  }, 60_000);
});

describe('graph imports', () => {
  const variables = ['X0', 'X1', 'X2', 'X3', 'X4'];

  it('reads every supported format as edges over the variables', async () => {
    const api = make();
    const edgeList = await api.importGraph({ variables, text: 'from,to\nX0,X1\nX1,X2\n', fileName: 'g.csv', purpose: 'truth' });
    expect(edgeList).toEqual({
      fileName: 'g.csv',
      format: 'edge-list',
      edges: [
        [0, 1],
        [1, 2],
      ],
    });
    const dot = await api.importGraph({ variables, text: 'digraph { X0 -> X1; X3 -> X4 }\n', fileName: 'g.dot', purpose: 'required' });
    expect(dot.format).toBe('dot');
    expect(dot.edges).toEqual([
      [0, 1],
      [3, 4],
    ]);
    const graphml = await api.importGraph({
      variables,
      text: '<?xml version="1.0"?><graphml><graph edgedefault="directed"><node id="X0"/><node id="X2"/><edge source="X0" target="X2"/></graph></graphml>',
      fileName: 'g.graphml',
      purpose: 'truth',
    });
    expect(graphml.edges).toEqual([[0, 2]]);
  });

  it('names the file, the line and the unknown node or the cycle; forbidden edges may form a cycle', async () => {
    const api = make();
    const unknown = await dispatchApi(api, 'importGraph', {
      variables,
      text: 'digraph {\n X0 -> X1;\n X0 -> Nope;\n}\n',
      fileName: 'bad.dot',
      purpose: 'truth',
    });
    expect(unknown).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^bad\.dot, row 3: .*unknown node "Nope"/) } });
    const cycle = 'from,to\nX0,X1\nX1,X0\n';
    await expect(api.importGraph({ variables, text: cycle, fileName: 'cyc.csv', purpose: 'required' })).rejects.toThrow(/cycle/);
    expect((await api.importGraph({ variables, text: cycle, fileName: 'cyc.csv', purpose: 'forbidden' })).edges).toHaveLength(2);
    const failure = await dispatchApi(api, 'importGraph', { variables, text: 'digraph { X0 -> Q }', fileName: 'q.dot', purpose: 'truth' });
    expect(failure.ok).toBe(false);
    if (!failure.ok) expect(failure.error.location?.file).toBe('q.dot');
  });
});

describe('session files', () => {
  it('browser mode: the saved session reopens in a fresh Node side with the same runs, posterior, settings and views', async () => {
    const first = make();
    const { runId, datasetId } = await mc3Run(first);
    await first.updateSession({
      datasetId,
      settings: { model: { score: 'bge' } },
      views: { threshold: 0.3, selectedRun: runId, screen: 'posterior' },
      reference: { source: 'truth.dot', edges: [['X0', 'X1']] },
    });
    const saved = (await first.saveSession({}))!;
    expect(saved.fileName).toBe('lingauss_d5_n100.dagflow');
    const before = await first.getPosterior({ runId, topDags: 10 });

    const fresh = make();
    const opened = (await fresh.openSession({
      source: 'upload',
      fileName: saved.fileName,
      content: new TextEncoder().encode(saved.content!),
    }))!;
    expect(opened.runs.map((r) => r.runId)).toEqual([runId]);
    expect(opened.views).toEqual({ threshold: 0.3, selectedRun: runId, screen: 'posterior' });
    expect(opened.settings).toEqual({ model: { score: 'bge' } });
    expect(opened.reference).toEqual({ source: 'truth.dot', edges: [['X0', 'X1']] });
    // An uploaded session's data path is never followed on the server (issue 16 item 4): the
    // window relinks it to data the user uploads, accepted by its hash.
    expect(opened.data).toEqual({ status: 'missing', name: 'lingauss_d5_n100.csv' });
    const again = (await fresh.openData({
      source: 'upload',
      fileName: path.basename(fixture),
      content: new Uint8Array(readFileSync(fixture)),
    }))!;
    expect((await fresh.locateSessionData({ source: 'opened', datasetId: again.datasetId }))?.name).toBe('lingauss_d5_n100.csv');
    const after = await fresh.getPosterior({ runId, topDags: 10 });
    expect(after).toEqual(before);
    // Exports of the reopened run are the same files.
    expect((await fresh.exportRun({ runId, format: 'graphml', threshold: 0.3 })).text).toBe(
      (await first.exportRun({ runId, format: 'graphml', threshold: 0.3 })).text,
    );
  }, 60_000);

  it('desktop: save through the dialog, autosave after changes, reopen; moved data is asked for and checked by hash', async () => {
    const dataCopy = path.join(dir, 'd5.csv');
    copyFileSync(fixture, dataCopy);
    const sessionFile = path.join(dir, 'work.dagflow');
    const answers: Array<string | null> = [dataCopy, sessionFile];
    const api = make(answers);
    const { runId, datasetId } = await mc3Run(api, true);
    await api.updateSession({ datasetId, settings: {}, views: { threshold: 0.5 }, reference: null });
    expect(await api.saveSession({})).toMatchObject({ fileName: 'work.dagflow' });
    expect(JSON.parse(readFileSync(sessionFile, 'utf8')).views).toEqual({ threshold: 0.5 });
    // A change is autosaved to the same file after the quiet time.
    const status = await api.updateSession({ datasetId, settings: {}, views: { threshold: 0.25 }, reference: null });
    expect(status).toMatchObject({ fileName: 'work.dagflow', autosave: true });
    for (let k = 0; k < 100 && JSON.parse(readFileSync(sessionFile, 'utf8')).views.threshold !== 0.25; k++)
      await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(readFileSync(sessionFile, 'utf8')).views.threshold).toBe(0.25);
    expect(existsSync(`${sessionFile}.bak`)).toBe(true);

    // The data moves away; reopening asks for it.
    const moved = path.join(dir, 'elsewhere.csv');
    copyFileSync(dataCopy, moved);
    rmSync(dataCopy);
    const otherAnswers: Array<string | null> = [sessionFile];
    const other = make(otherAnswers);
    const reopened = (await other.openSession({ source: 'dialog' }))!;
    expect(reopened.data).toEqual({ status: 'missing', name: 'd5.csv' });
    expect(reopened.runs.map((r) => r.runId)).toEqual([runId]);
    // A different file is refused as 'data-changed'; the original is accepted.
    const wrong = (await other.openData({ source: 'upload', fileName: 'x.csv', content: new TextEncoder().encode('a,b\n1,2\n3,4\n') }))!;
    const refused = await dispatchApi(other, 'locateSessionData', { source: 'opened', datasetId: wrong.datasetId });
    expect(refused).toMatchObject({ ok: false, error: { problem: 'data-changed' } });
    otherAnswers.push(moved);
    const located = await dispatchApi(other, 'locateSessionData', { source: 'dialog' });
    expect(located).toMatchObject({ ok: true, value: { name: 'elsewhere.csv' } });
    // The session's file now points at the located data (autosaved).
    for (let k = 0; k < 100 && JSON.parse(readFileSync(sessionFile, 'utf8')).data.path !== moved; k++)
      await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(readFileSync(sessionFile, 'utf8')).data).toMatchObject({ path: moved, relativePath: 'elsewhere.csv' });
  }, 60_000);

  it('a damaged or newer-version session is refused with its problem and left as it was', async () => {
    const broken = path.join(dir, 'broken.dagflow');
    writeFileSync(broken, '{"format":"dagflow-session","version":1,"runs":[');
    const newer = path.join(dir, 'newer.dagflow');
    const newerText = JSON.stringify({ format: 'dagflow-session', version: 99, data: null, settings: {}, runs: [], views: {} });
    writeFileSync(newer, newerText);
    const api = make([broken, newer]);
    const a = await dispatchApi(api, 'openSession', { source: 'dialog' });
    expect(a).toMatchObject({ ok: false, error: { problem: 'corrupt', location: { file: 'broken.dagflow' } } });
    const b = await dispatchApi(api, 'openSession', { source: 'dialog' });
    expect(b).toMatchObject({ ok: false, error: { problem: 'newer-version' } });
    // Paths stay on the Node side.
    expect(JSON.stringify([a, b])).not.toContain(dir);
    expect(readFileSync(newer, 'utf8')).toBe(newerText);
    const upload = await dispatchApi(api, 'openSession', {
      source: 'upload',
      fileName: 'x.dagflow',
      content: new TextEncoder().encode('{"hello": 1}'),
    });
    expect(upload).toMatchObject({ ok: false, error: { problem: 'not-a-session' } });
  });
});
