import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../../src/jobs/host.ts';
import { DataStore } from '../../../../src/app/dataStore.ts';
import { dispatchApi } from '../../../../src/app/dispatch.ts';
import { createApiHandlers } from '../../../../src/app/handlers.ts';
import { recoveryPath } from '../../../../src/app/session/recovery.ts';
import type { ApiHandlers } from '../../../../src/shared/api.ts';
import type { ModelSpec, RunSummaryView } from '../../../../src/shared/workflow.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };
// Above any pid_max: process.kill(pid, 0) says ESRCH, as for an app that crashed.
const DEAD = [999_999_001, 999_999_002, 999_999_003];
const hosts: JobHost[] = [];
const stores: DataStore[] = [];
const dirs: string[] = [];

interface Made {
  api: ApiHandlers;
  flush: () => Promise<void>;
}

/** A Node side as one app process has it: `pid` and `startedAt` name its recovery file. */
function make(folder: string, pid: number, startedAt: number, saveTarget?: string): Made {
  const host = new JobHost({ maxConcurrent: 1 });
  const data = new DataStore();
  hosts.push(host);
  stores.push(data);
  let flush: () => Promise<void> = async () => {};
  const answer = async (): Promise<string | null> => saveTarget ?? null;
  const api = createApiHandlers({
    transport: saveTarget ? 'electron' : 'browser',
    host,
    data,
    samplesDir: path.join(root, 'samples'),
    dialogs: saveTarget ? { saveFile: answer, openFile: answer } : undefined,
    sessionDebounceMs: 10,
    recovery: { folder, pid, startedAt },
    onFlushSession: (f) => (flush = f),
  });
  return { api, flush: () => flush() };
}

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-recovery-'));
  dirs.push(dir);
  return dir;
}

async function finished(api: ApiHandlers, runId: string): Promise<RunSummaryView> {
  for (;;) {
    const run = (await api.listRuns(undefined)).find((r) => r.runId === runId)!;
    if (run.status !== 'running' && run.status !== 'queued') return run;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens the fixture, runs MC³, tells the Node side the window's state; the recovery file then holds the run. */
async function untitledRun(api: ApiHandlers, file: string): Promise<string> {
  const opened = (await api.openData({
    source: 'upload',
    fileName: path.basename(fixture),
    content: new Uint8Array(readFileSync(fixture)),
  }))!;
  const run = await api.startRun({
    datasetId: opened.datasetId,
    data: { standardize: false },
    model: bge,
    sampler: { method: 'mc3', iterations: 2000, chains: 1, seed: 3, thin: 5 },
  });
  expect((await finished(api, run.runId)).status).toBe('done');
  await api.updateSession({ datasetId: opened.datasetId, settings: { note: 'untitled' }, views: { screen: 'posterior' }, reference: null });
  // The autosave is debounced: wait until it holds the finished run (bounded, not timed).
  for (let k = 0; k < 500; k++) {
    // The run is in the file from its start (as interrupted); wait for it finished and with the data.
    const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: Array<{ status?: string }>; data: unknown }) : null;
    if (saved && saved.runs.length === 1 && saved.runs[0]!.status === undefined && saved.data !== null) return run.runId;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the recovery file was never written');
}

afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('recovery of untitled sessions', () => {
  it('a crashed process leaves its session; a new one lists it, recovers the same runs, and keeps it until discarded', async () => {
    const dir = folder();
    const crashed = make(dir, DEAD[0]!, 1000);
    const file = recoveryPath(dir, `${DEAD[0]}-1000`);
    const runId = await untitledRun(crashed.api, file);
    const before = await crashed.api.getPosterior({ runId, topDags: 3 });
    // No flush: the process "crashed". A new one with the same folder and another pid.
    const next = make(dir, DEAD[1]!, 2000);
    const listed = await next.api.listRecoverableSessions(undefined);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: `${DEAD[0]}-1000`, dataFile: 'lingauss_d5_n100.csv', runs: 1 });
    expect(listed[0]!.damaged).toBeUndefined();

    const opened = await next.api.recoverSession({ id: listed[0]!.id });
    expect(opened.runs.map((r) => r.status)).toEqual(['done']);
    expect(opened.settings).toEqual({ note: 'untitled' });
    expect(opened.data.status).toBe('found');
    const after = await next.api.getPosterior({ runId: opened.runs[0]!.runId, topDags: 3 });
    expect(after.marginals).toEqual(before.marginals);
    // Recovered but not saved: the file stays, not offered again to this window, and its state is in this process's own file too.
    expect(existsSync(file)).toBe(true);
    expect(await next.api.listRecoverableSessions(undefined)).toEqual([]);
    expect(existsSync(recoveryPath(dir, `${DEAD[1]}-2000`))).toBe(true);
    expect(await next.api.discardRecoverableSession({ id: `${DEAD[0]}-1000` })).toEqual({ discarded: true });
    expect(existsSync(file)).toBe(false);
    // A normal quit removes this process's own file.
    await next.flush();
    expect(readdirSync(dir).filter((n) => n.endsWith('.dagflow'))).toEqual([]);
  }, 60_000);

  it('saving under a real name removes the recovery file; an empty window writes none', async () => {
    const dir = folder();
    const target = path.join(dir, 'saved', 'mine.dagflow');
    const desktop = make(dir, DEAD[2]!, 3000, target);
    await desktop.api.updateSession({ datasetId: null, settings: {}, views: {}, reference: null });
    const file = recoveryPath(dir, `${DEAD[2]}-3000`);
    expect(existsSync(file)).toBe(false);
    await untitledRun(desktop.api, file);
    const saved = await desktop.api.saveSession({});
    expect(saved).toMatchObject({ fileName: 'mine.dagflow' });
    expect(existsSync(target)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.bak`)).toBe(false);
    // Later changes go to the real file only.
    await desktop.api.updateSession({ datasetId: null, settings: { more: 1 }, views: {}, reference: null });
    await desktop.flush();
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('skips files of running processes, lists damaged ones with the reason, and never takes a running one', async () => {
    const dir = folder();
    const crashed = make(dir, DEAD[0]!, 4000);
    const good = recoveryPath(dir, `${DEAD[0]}-4000`);
    await untitledRun(crashed.api, good);
    // The same session, as if written by this (running) test process: not offered.
    const live = recoveryPath(dir, `${process.pid}-5000`);
    copyFileSync(good, live);
    writeFileSync(recoveryPath(dir, `${DEAD[2]}-6000`), '{"format": "dagflow-session", "vers');
    writeFileSync(path.join(dir, 'untitled-not-an-id.dagflow'), '{}');

    const next = make(dir, DEAD[1]!, 7000);
    const listed = await next.api.listRecoverableSessions(undefined);
    expect(listed.map((s) => s.id).sort()).toEqual([`${DEAD[0]}-4000`, `${DEAD[2]}-6000`]);
    const damaged = listed.find((s) => s.id === `${DEAD[2]}-6000`)!;
    expect(damaged.damaged).toMatch(/JSON|damaged|corrupt/i);
    expect(damaged.damaged).not.toContain(dir);

    const refused = await dispatchApi(next.api, 'recoverSession', { id: `${DEAD[2]}-6000` });
    expect(refused).toMatchObject({ ok: false, error: { problem: 'corrupt' } });
    await expect(next.api.recoverSession({ id: `${process.pid}-5000` })).rejects.toThrow(/still open/);
    await expect(next.api.discardRecoverableSession({ id: `${process.pid}-5000` })).rejects.toThrow(/still open/);
    expect(existsSync(live)).toBe(true);
    expect(await next.api.discardRecoverableSession({ id: `${DEAD[2]}-6000` })).toEqual({ discarded: true });
    expect((await next.api.listRecoverableSessions(undefined)).map((s) => s.id)).toEqual([`${DEAD[0]}-4000`]);
  }, 60_000);

  it('refuses ids that are not recovery ids before any handler runs', async () => {
    const { api } = make(folder(), DEAD[0]!, 8000);
    for (const id of ['../x', '1-2/../3', '', 12]) {
      const answer = await dispatchApi(api, 'recoverSession', { id });
      expect(answer, String(id)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(await dispatchApi(api, 'discardRecoverableSession', { id: '5-6', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });
});
