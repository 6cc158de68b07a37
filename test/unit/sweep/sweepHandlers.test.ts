import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSweepHandlers } from '../../../src/app/sweepHandlers.ts';
import { dispatchApi } from '../../../src/app/dispatch.ts';
import { command as generate } from '../../../src/cli/commands/generate.ts';
import { command as sweep } from '../../../src/cli/commands/sweep.ts';
import { runSweepTask } from '../../../src/cli/sweepTask.ts';
import type { ApiHandlers } from '../../../src/shared/api.ts';
import { runCommand } from '../support/runCommand.ts';

const quiet = { stdout: () => undefined, stderr: () => undefined };
/** The task's command runs as on a node: this Node.js and bin/dagflow.mjs. */
const PROGRAM = [process.execPath, path.resolve(import.meta.dirname, '../../../bin/dagflow.mjs')];

describe('the window opens a sweep folder', () => {
  it('shows the progress per task, then the combined posterior of each grid cell and the sensitivity table', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dagflow-sweepview-'));
    expect(
      (await runCommand(generate, '--nodes', '3', '--edges-per-node', '1', '--rows', '60', '--seed', '2', '--out', path.join(dir, 'gen')))
        .code,
    ).toBe(0);
    const out = path.join(dir, 'sweep');
    const plan = await runCommand(
      sweep,
      '--data',
      path.join(dir, 'gen', 'data.csv'),
      '--method',
      'mc3',
      '--seeds',
      '2',
      '--grid',
      'max-parents=0,2',
      '--iterations',
      '300',
      '--chains',
      '2',
      '--no-workers',
      '--out',
      out,
    );
    expect(plan.code, plan.stderr).toBe(0);
    const handlers = createSweepHandlers({});

    const before = (await handlers.openSweep({ source: 'path', path: out }))!;
    expect(before.tasks.map((t) => [t.id, t.cell, t.seed, t.state])).toEqual([
      ['t0000', 'max-parents=0', 0, 'pending'],
      ['t0001', 'max-parents=0', 1, 'pending'],
      ['t0002', 'max-parents=2', 0, 'pending'],
      ['t0003', 'max-parents=2', 1, 'pending'],
    ]);
    expect(before.combined).toBeNull();

    for (let k = 0; k < 4; k++) await runSweepTask(out, k, quiet, PROGRAM);
    const after = await handlers.getSweep({ sweepId: before.sweepId });
    expect(after.counts).toMatchObject({ done: 4, pending: 0 });
    expect(after.combined!.runs).toBe(4);
    expect(after.combined!.cells.map((c) => c.label)).toEqual(['max-parents=0', 'max-parents=2']);
    // No parents allowed: every edge has probability 0 in that cell.
    expect(after.combined!.cells[0]!.edges.every((e) => e.probability === 0)).toBe(true);
    // So every edge the other cell believes in shows up as sensitive to the parent bound.
    const sensitive = after.combined!.cells[1]!.edges.filter((e) => e.probability > 0.1);
    expect(sensitive.length).toBeGreaterThan(0);
    expect(after.combined!.sensitivity.map((r) => `${r.from}→${r.to}`).sort()).toEqual(sensitive.map((e) => `${e.from}→${e.to}`).sort());
    expect(after.combined!.sensitivity.every((r) => r.setting === 'max-parents')).toBe(true);
  });

  it('refuses folders that are not sweeps, relative paths and unknown sweep ids, with the reason', async () => {
    const handlers = { ...createSweepHandlers({}) } as unknown as ApiHandlers;
    const dir = await mkdtemp(path.join(tmpdir(), 'dagflow-notsweep-'));
    const notSweep = await dispatchApi(handlers, 'openSweep', { source: 'path', path: dir });
    expect(notSweep).toMatchObject({
      ok: false,
      error: { code: 'IO', message: expect.stringMatching(/not a sweep folder: it has no sweep\.json/) },
    });
    for (const body of [
      { source: 'path', path: 'relative/dir' },
      { source: 'path' },
      { source: 'path', path: '/x', extra: 1 },
      { source: 'ftp' },
    ]) {
      const r = await dispatchApi(handlers, 'openSweep', body);
      expect(r, JSON.stringify(body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(await dispatchApi(handlers, 'getSweep', { sweepId: '../x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatchApi(handlers, 'getSweep', { sweepId: 'sweep-99' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no open sweep sweep-99/) },
    });
    expect(await dispatchApi(handlers, 'openSweep', { source: 'dialog' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/no native file dialog in browser mode/) },
    });
  });
});
