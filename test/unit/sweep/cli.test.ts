import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command as combine } from '../../../src/cli/commands/combine.ts';
import { command as generate } from '../../../src/cli/commands/generate.ts';
import { command as sweep } from '../../../src/cli/commands/sweep.ts';
import { readManifest, readTaskLines } from '../../../src/gflownet/sweep/manifest.ts';
import { runCommand } from '../support/runCommand.ts';

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dagflow-sweepcli-'));
  expect(
    (await runCommand(generate, '--nodes', '3', '--edges-per-node', '1', '--rows', '40', '--seed', '9', '--out', path.join(dir, 'gen')))
      .code,
  ).toBe(0);
  return dir;
}

describe('dagflow sweep (planning)', () => {
  it('writes the plan: manifest, one task line with its exact command per task, bootstrap replicates, the array script', async () => {
    const dir = await dataDir();
    const out = path.join(dir, 's');
    const data = path.join(dir, 'gen', 'data.csv');
    const args = [
      '--data',
      data,
      '--method',
      'order',
      '--seeds',
      '2',
      '--bootstrap',
      '2',
      '--bootstrap-seed',
      '5',
      '--grid',
      'prior=uniform,fair',
      '--iterations',
      '200',
      '--chains',
      '2',
      '--mem',
      '1G',
      '--time',
      '10:00',
      '--out',
      out,
    ];
    const r = await runCommand(sweep, ...args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/8 tasks in .*tasks\.jsonl; submit on a Slurm login node with: sbatch .*sweep\.sbatch/);
    const manifest = await readManifest(out);
    expect(manifest).toMatchObject({
      method: 'order',
      tasks: 8,
      seeds: { first: 0, count: 2 },
      bootstrap: { replicates: 2, seed: 5 },
      slurm: { cpusPerTask: 2, mem: '1G', time: '10:00', gpu: false },
    });
    expect(manifest.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.problem).toMatchObject({ data, score: 'auto', standardize: true });
    // The sampler's settings are not the problem: combine may pool runs of one problem by different samplers.
    expect(manifest.problem).not.toHaveProperty('iterations');
    expect(manifest.problem).not.toHaveProperty('method');
    expect(manifest.problem).not.toHaveProperty('prior');
    const lines = await readTaskLines(out);
    expect(lines).toHaveLength(8);
    expect(lines[5]).toMatchObject({
      index: 5,
      id: 't0005',
      seed: 1,
      cell: { prior: 'fair' },
      bootstrap: 1,
      runDir: 'runs/t0005',
      dataFile: path.join(out, 'data', 'boot-001.csv'),
    });
    expect(lines[5]!.argv).toEqual([
      'mcmc',
      '--method',
      'order',
      '--data',
      path.join(out, 'data', 'boot-001.csv'),
      '--iterations',
      '200',
      '--chains',
      '2',
      '--prior',
      'fair',
      '--seed',
      '1',
      '--out',
      path.join(out, 'runs', 't0005'),
    ]);
    expect(lines[5]!.command).toBe(`dagflow ${lines[5]!.argv.join(' ')}`);
    expect(existsSync(path.join(out, 'data', 'boot-002.csv'))).toBe(true);
    const script = await readFile(path.join(out, 'sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-7\n');
    expect(script).toContain(`sweep --task "$SLURM_ARRAY_TASK_ID" --out ${out}`);

    // The same command again continues the sweep; a different one is refused.
    expect((await runCommand(sweep, ...args)).code).toBe(0);
    const other = await runCommand(sweep, ...args.map((a) => (a === '200' ? '300' : a)));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/the folder already holds a different sweep/);
  });

  it('checks every task command before writing anything', async () => {
    const dir = await dataDir();
    const out = path.join(dir, 'never');
    const data = path.join(dir, 'gen', 'data.csv');
    const cases: Array<[string[], RegExp]> = [
      [
        ['--grid', 'prior=uniform,bogus'],
        /--prior: must be one of uniform, erdos-renyi, edge, fair; got "bogus" \(in the command of the sweep's tasks: dagflow mcmc\)/,
      ],
      [['--iteration', '10'], /--iteration: unknown option/],
      [['--mem', '4GB'], /--mem: memory "4GB" is not a Slurm size/],
      [['--gpu'], /--gpu: applies to --method gflownet only/],
      [['--seed', '3'], /--seed: is set by the sweep for each task — give --seeds N \(and --first-seed S\) instead/],
    ];
    for (const [extra, message] of cases) {
      const r = await runCommand(sweep, '--data', data, '--method', 'mc3', '--iterations', '10', ...extra, '--out', out);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    await writeFile(path.join(dir, 'require.csv'), 'from,to\nX0,X1\n');
    const bound = await runCommand(
      sweep,
      '--data',
      data,
      '--method',
      'mc3',
      '--iterations',
      '10',
      '--require',
      path.join(dir, 'require.csv'),
      '--grid',
      'max-parents=0,1',
      '--out',
      out,
    );
    expect(bound.stderr).toMatch(/X1 has 1 required parents but --max-parents is 0/);
    expect(existsSync(out)).toBe(false);
  });

  it('asks Slurm for a GPU per GFlowNet task with --gpu, and the native backend', async () => {
    const dir = await dataDir();
    const out = path.join(dir, 'g');
    const r = await runCommand(
      sweep,
      '--data',
      path.join(dir, 'gen', 'data.csv'),
      '--method',
      'gflownet',
      '--seeds',
      '2',
      '--iterations',
      '50',
      '--gpu',
      '--partition',
      'gpu',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    const script = await readFile(path.join(out, 'sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --gres=gpu:1\n');
    expect(script).toContain('#SBATCH --partition=gpu\n');
    expect(script).toContain('#SBATCH --cpus-per-task=2\n');
    const [line] = await readTaskLines(out);
    expect(line!.argv.slice(0, 1)).toEqual(['train']);
    expect(line!.argv.join(' ')).toContain('--backend tensorflow');
  });

  it('says how to go on without sbatch', async () => {
    const dir = await dataDir();
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'empty-bin');
    try {
      const r = await runCommand(
        sweep,
        '--data',
        path.join(dir, 'gen', 'data.csv'),
        '--method',
        'mc3',
        '--iterations',
        '10',
        '--out',
        path.join(dir, 's'),
        '--submit',
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /sbatch is not on the PATH: this machine is not a Slurm submit host — copy the sweep folder to the cluster and run "sbatch sweep\.sbatch" there, or run the tasks here with --local N/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('dagflow combine (command line)', () => {
  it('needs folders, and --out for run folders', async () => {
    expect((await runCommand(combine)).stderr).toMatch(/give a sweep folder or run folders to combine/);
    expect((await runCommand(combine, '/tmp/a', '/tmp/b')).stderr).toMatch(/--out: is required when combining run folders/);
    const dir = await dataDir();
    expect((await runCommand(combine, path.join(dir, 'missing'), '--out', path.join(dir, 'c'))).stderr).toMatch(
      /the run folder does not exist/,
    );
  });
});
