import { runCommand } from '../support/runCommand.ts';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as exportCommand } from '../../../src/cli/commands/export.ts';
import { command as sessionCommand } from '../../../src/cli/commands/session.ts';
import { writeRunFolder } from '../formats/fixtures.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-session-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (...p: string[]): string => path.join(dir, ...p);

const cli = runCommand;

describe('dagflow session', () => {
  it('packs run folders with their data and checkpoints; check finds the data; export reads the session', async () => {
    mkdirSync(at('project', 'gfn', 'checkpoint'), { recursive: true });
    mkdirSync(at('project', 'mc3'), { recursive: true });
    writeRunFolder(at('project', 'gfn'), { samples: 80, seed: 4 });
    writeRunFolder(at('project', 'mc3'), { samples: 60, seed: 5 });
    writeFileSync(at('project', 'gfn', 'checkpoint', 'state.json'), '{"step": 3}');
    writeFileSync(at('project', 'data.csv'), 'X0,X1,X2,X3,X4\n1,2,3,4,5\n');
    const file = at('project', 'both.dagflow');
    const created = await cli(
      sessionCommand,
      '--create',
      file,
      '--data',
      at('project', 'data.csv'),
      '--runs',
      `${at('project', 'gfn')},${at('project', 'mc3')}`,
      '--checkpoints',
      '--json',
    );
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout)).toMatchObject({ file, backup: null, runs: ['gfn', 'mc3'] });

    const checked = await cli(sessionCommand, '--check', file, '--json');
    expect(checked.code).toBe(0);
    const report = JSON.parse(checked.stdout) as {
      version: number;
      data: { status: string };
      runs: Array<{ id: string; samples: number; checkpointFiles: number }>;
    };
    expect(report.data.status).toBe('found');
    expect(report.runs).toEqual([
      { id: 'gfn', method: 'gflownet', variables: 5, samples: 80, checkpointFiles: 1 },
      { id: 'mc3', method: 'gflownet', variables: 5, samples: 60, checkpointFiles: 0 },
    ]);

    const fromFolder = at('a.graphml');
    const fromSession = at('b.graphml');
    await cli(exportCommand, '--run', at('project', 'mc3'), '--format', 'graphml', '--out', fromFolder);
    await cli(exportCommand, '--session', file, '--run-id', 'mc3', '--format', 'graphml', '--out', fromSession);
    expect(readFileSync(fromSession, 'utf8')).toBe(readFileSync(fromFolder, 'utf8'));

    // the data moves away alone: check says so with exit status 1
    renameSync(at('project', 'data.csv'), at('data-elsewhere.csv'));
    const missing = await cli(sessionCommand, '--check', file);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/data missing/);
  });

  it('a newer or damaged session: one clear line, exit 2', async () => {
    const newer = at('newer.dagflow');
    writeFileSync(newer, JSON.stringify({ format: 'dagflow-session', version: 99, data: null, settings: {}, runs: [], views: {} }));
    expect((await cli(sessionCommand, '--check', newer)).stderr).toMatch(
      /newer\.dagflow: this session was saved in format version 99; this DAGFlow reads up to version 2 — update DAGFlow/,
    );
    const damaged = at('damaged.dagflow');
    writeFileSync(damaged, '{"format": "dagflow-session", "version": 1, "runs": [');
    const r = await cli(sessionCommand, '--check', damaged);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON \(it looks truncated\)/);
    expect((await cli(sessionCommand, '--create', at('x.dagflow'))).stderr).toMatch(/--data: is required with --create/);
    expect((await cli(sessionCommand)).stderr).toMatch(/either --create FILE or --check FILE/);
  });
});
