/**
 * Issue 16, item 8: runs still going when the app crashed were lost without a trace — the
 * session (and its recovery file) held finished runs only. A run is now written as
 * "interrupted" from the moment it starts, with its settings; after a crash the recovered
 * session shows it as interrupted (failed, with the reason) and keeps it so on later saves.
 * Through the real API handlers and job host, with a real MCMC run cancelled at the end.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { recoveryPath } from '../../../src/app/session/recovery.ts';
import { emptySession, type SessionFile } from '../../../src/gflownet/session/schema.ts';
import { parseSession } from '../../../src/gflownet/session/sessionFile.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import type { ApiHandlers } from '../../../src/shared/api.ts';
import type { ModelSpec } from '../../../src/shared/workflow.ts';
import { runCliCaptured } from './support/cliInProcess.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const base = mkdtempSync(path.join(tmpdir(), 'dagflow-interrupted-'));
const hosts: JobHost[] = [];
const stores: DataStore[] = [];
afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
  rmSync(base, { recursive: true, force: true });
});

const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };
const fixture = path.join(PROJECT_ROOT, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');

function app(folder: string, pid: number, startedAt: number): ApiHandlers {
  const host = new JobHost({ maxConcurrent: 1 });
  const data = new DataStore();
  hosts.push(host);
  stores.push(data);
  return createApiHandlers({
    transport: 'browser',
    host,
    data,
    samplesDir: path.join(PROJECT_ROOT, 'samples'),
    sessionDebounceMs: 10,
    recovery: { folder, pid, startedAt },
  });
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let k = 0; k < 1000; k++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('runs going at a crash are kept as interrupted', () => {
  it('the recovery file holds a running run as interrupted; the recovered session shows it with its settings', async () => {
    const folder = path.join(base, 'crash');
    const crashed = app(folder, 999_999_301, 1);
    const opened = (await crashed.openData({ source: 'upload', fileName: 'd5.csv', content: new Uint8Array(readFileSync(fixture)) }))!;
    const sampler = { method: 'mc3' as const, iterations: 50_000_000, chains: 1, seed: 42, thin: 5 };
    const run = await crashed.startRun({ datasetId: opened.datasetId, data: { standardize: false }, model: bge, sampler });
    const file = recoveryPath(folder, '999999301-1');
    const written = await until(() => {
      if (!existsSync(file)) return undefined;
      const session = parseSession(readFileSync(file, 'utf8')).session;
      return session.runs.length === 1 ? session : undefined;
    }, 'the running run in the recovery file');
    expect(written.runs[0]).toMatchObject({
      id: run.runId,
      status: 'interrupted',
      method: 'mc3',
      seed: 42,
      settings: { sampler: { iterations: 50_000_000, seed: 42 } },
    });
    expect(written.runs[0]!.samples).toBeUndefined();

    // The app "crashes" (no clean-up); a new one recovers the session.
    const next = app(folder, 999_999_302, 2);
    const offered = await next.listRecoverableSessions(undefined);
    expect(offered).toMatchObject([{ id: '999999301-1', runs: 1 }]);
    const recovered = await next.recoverSession({ id: '999999301-1' });
    expect(recovered.runs).toHaveLength(1);
    expect(recovered.runs[0]).toMatchObject({
      status: 'failed',
      hasSamples: false,
      error: { code: 'INTERRUPTED', message: expect.stringContaining('interrupted') },
    });

    // Written again (the new process's own recovery file): still interrupted, settings intact.
    const own = recoveryPath(folder, '999999302-2');
    const again = await until(
      () => (existsSync(own) ? parseSession(readFileSync(own, 'utf8')).session : undefined),
      'the new recovery file',
    );
    expect(again.runs[0]).toMatchObject({ status: 'interrupted', settings: { sampler: { seed: 42 } } });

    await crashed.cancelRun({ runId: run.runId });
  }, 60_000);

  it('the session format takes an interrupted run without results, and refuses another status', () => {
    const interrupted: SessionFile = {
      ...emptySession(),
      runs: [{ id: 'run-1', method: 'gflownet', columns: ['A', 'B'], settings: {}, summary: {}, status: 'interrupted' }],
    };
    expect(parseSession(JSON.stringify(interrupted)).session.runs[0]!.status).toBe('interrupted');
    const odd = { ...interrupted, runs: [{ ...interrupted.runs[0]!, status: 'paused' }] };
    expect(() => parseSession(JSON.stringify(odd))).toThrow(/runs\[0\]\.status: expected "interrupted"/);
    const { status: _status, ...finishedWithout } = interrupted.runs[0]!;
    expect(() => parseSession(JSON.stringify({ ...interrupted, runs: [finishedWithout] }))).toThrow(
      /needs "samples", "packedSamples" or "edgeMarginals"/,
    );
  });

  it('dagflow export of an interrupted run says it has no results', async () => {
    const file = path.join(base, 'interrupted.dagflow');
    const session: SessionFile = {
      ...emptySession(),
      runs: [{ id: 'run-1', method: 'mc3', columns: ['A', 'B'], settings: {}, summary: {}, status: 'interrupted' }],
    };
    const { writeSessionFile } = await import('../../../src/gflownet/session/sessionFile.ts');
    await writeSessionFile(file, session);
    const result = await runCliCaptured(['export', '--session', file, '--format', 'edge-marginals', '--out', path.join(base, 'm.csv')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('was interrupted before it finished: it has no results to export');
  });
});
