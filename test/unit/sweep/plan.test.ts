import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapIndices, writeBootstrapReplicate } from '../../../src/gflownet/sweep/bootstrap.ts';
import { cellLabel, gridCells, MAX_SWEEP_TASKS, planSweep } from '../../../src/gflownet/sweep/plan.ts';
import { parseGrid, splitArgs, taskArgv } from '../../../src/cli/sweepPlan.ts';
import { mcmcFlags } from '../../../src/cli/commands/mcmc.ts';
import { sweepFlags } from '../../../src/cli/commands/sweep.ts';

describe('sweep plan', () => {
  it('lays out grid cell × bootstrap replicate × seed, seeds innermost', () => {
    const grid = [
      { key: 'prior', values: ['uniform', 'erdos-renyi'] },
      { key: 'max-parents', values: ['3', '4'] },
    ];
    const tasks = planSweep({ seeds: { first: 10, count: 3 }, grid, bootstrap: 2 });
    expect(tasks).toHaveLength(2 * 2 * 2 * 3);
    expect(tasks.map((t) => t.index)).toEqual(tasks.map((_, k) => k));
    expect(tasks[0]).toEqual({ index: 0, id: 't0000', seed: 10, cell: { prior: 'uniform', 'max-parents': '3' }, bootstrap: 1 });
    expect(tasks[2]!.seed).toBe(12);
    expect(tasks[3]).toMatchObject({ seed: 10, bootstrap: 2, cell: { prior: 'uniform', 'max-parents': '3' } });
    expect(tasks[6]!.cell).toEqual({ prior: 'uniform', 'max-parents': '4' });
    expect(tasks[23]).toMatchObject({ id: 't0023', seed: 12, bootstrap: 2, cell: { prior: 'erdos-renyi', 'max-parents': '4' } });
    // Every (cell, replicate, seed) exactly once.
    const keys = new Set(tasks.map((t) => `${cellLabel(t.cell)}|${t.bootstrap}|${t.seed}`));
    expect(keys.size).toBe(tasks.length);
  });

  it('without grid or bootstrap: one cell, the original data', () => {
    const tasks = planSweep({ seeds: { first: 0, count: 4 }, grid: [], bootstrap: 0 });
    expect(tasks.map((t) => [t.seed, t.bootstrap, cellLabel(t.cell)])).toEqual([
      [0, null, ''],
      [1, null, ''],
      [2, null, ''],
      [3, null, ''],
    ]);
    expect(gridCells([])).toEqual([{}]);
  });

  it('refuses a repeated grid setting, a repeated value and an array Slurm cannot hold', () => {
    const twice = [
      { key: 'prior', values: ['uniform'] },
      { key: 'prior', values: ['fair'] },
    ];
    expect(() => planSweep({ seeds: { first: 0, count: 1 }, grid: twice, bootstrap: 0 })).toThrow(/names the setting "prior" twice/);
    expect(() => planSweep({ seeds: { first: 0, count: 1 }, grid: [{ key: 'prior', values: ['fair', 'fair'] }], bootstrap: 0 })).toThrow(
      /repeats a value/,
    );
    expect(() => planSweep({ seeds: { first: 0, count: MAX_SWEEP_TASKS + 1 }, grid: [], bootstrap: 0 })).toThrow(
      /at most 1000 fit in one Slurm array/,
    );
  });
});

describe('bootstrap replicates', () => {
  it('draws n rows with replacement, the same for the same seed and replicate', () => {
    const a = bootstrapIndices(50, 7, 1);
    expect(Array.from(a)).toEqual(Array.from(bootstrapIndices(50, 7, 1)));
    expect(Array.from(a)).not.toEqual(Array.from(bootstrapIndices(50, 7, 2)));
    expect(Array.from(a)).not.toEqual(Array.from(bootstrapIndices(50, 8, 1)));
    expect(a.every((k) => k >= 0 && k < 50)).toBe(true);
    // With replacement: 50 draws from 50 rows repeat some (P(no repeat) = 50!/50^50 ≈ 3e-21).
    expect(new Set(a).size).toBeLessThan(50);
  });

  it('writes the drawn rows as text, with the intervention sidecar resampled alike', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dagflow-boot-'));
    const rows = Array.from({ length: 12 }, (_, k) => [`${k}.5`, k % 3 === 0 ? 'NA' : String(k * 2), `"a;${k}"`]);
    await writeFile(path.join(dir, 'data.csv'), ['x,y,label', ...rows.map((r) => r.join(','))].join('\n') + '\n');
    await writeFile(path.join(dir, 'int.csv'), ['INT', ...rows.map((_, k) => String(k % 2))].join('\n') + '\n');
    const out = { data: path.join(dir, 'b.csv'), interventions: path.join(dir, 'b.int.csv') };
    const { indices, rows: n } = await writeBootstrapReplicate(
      { data: path.join(dir, 'data.csv'), interventions: path.join(dir, 'int.csv') },
      out,
      3,
      1,
    );
    expect(n).toBe(12);
    expect(Array.from(indices)).toEqual(Array.from(bootstrapIndices(12, 3, 1)));
    const lines = (await readFile(out.data, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('x,y,label');
    // The cell with ";" needs no quotes under ","; the original's quotes are data the reader removed.
    expect(lines.slice(1)).toEqual(Array.from(indices, (k) => `${k}.5,${k % 3 === 0 ? 'NA' : k * 2},a;${k}`));
    const side = (await readFile(out.interventions, 'utf8')).trimEnd().split('\n');
    expect(side.slice(1)).toEqual(Array.from(indices, (k) => String(k % 2)));
  });
});

describe('task commands', () => {
  it('splits the sweep flags from the task flags and builds each task command', () => {
    const argv = [
      '--data',
      'd.csv',
      '--method',
      'mc3',
      '--seeds',
      '2',
      '--grid',
      'max-parents=1,2',
      '--iterations',
      '500',
      '--no-workers',
      '--out',
      'S',
    ];
    const split = splitArgs(argv, sweepFlags, mcmcFlags);
    expect(split.own).toEqual(['--method', 'mc3', '--seeds', '2', '--out', 'S']);
    expect(split.rest).toEqual(['--data', 'd.csv', '--iterations', '500', '--no-workers']);
    expect(split.grid).toEqual(['max-parents=1,2']);
    const grid = parseGrid(split.grid, mcmcFlags, split.rest);
    expect(grid).toEqual([{ key: 'max-parents', values: ['1', '2'] }]);
    const task = planSweep({ seeds: { first: 0, count: 2 }, grid, bootstrap: 0 })[3]!;
    expect(taskArgv({ method: 'mc3', passThrough: split.rest, task, dataFile: '/abs/d.csv', runDir: '/abs/S/runs/t0003' })).toEqual([
      'mcmc',
      '--method',
      'mc3',
      '--data',
      '/abs/d.csv',
      '--iterations',
      '500',
      '--no-workers',
      '--max-parents',
      '2',
      '--seed',
      '1',
      '--out',
      '/abs/S/runs/t0003',
    ]);
  });

  it('refuses a grid over a setting the task does not have, or one also given as a flag', () => {
    expect(() => parseGrid(['seed=1,2'], mcmcFlags, [])).toThrow(/cannot vary "seed"/);
    expect(() => parseGrid(['colour=red'], mcmcFlags, [])).toThrow(/cannot vary "colour"/);
    expect(() => parseGrid(['prior'], mcmcFlags, [])).toThrow(/expects SETTING=V1,V2/);
    expect(() => parseGrid(['prior=fair,uniform'], mcmcFlags, ['--prior', 'edge'])).toThrow(
      /--prior is given both as a flag and in the grid/,
    );
  });
});
