/**
 * `dagflow sweep --submit` against a real Slurm: a single-node cluster started on this machine
 * (slurmCluster.ts), a small seeded sweep (4 MC3 seeds on 5 variables) submitted as an array
 * job, and `dagflow combine` of its runs compared with the same tasks run with `--local`: the
 * same seeds must give the same combined posterior; then a running task requeued by Slurm (as
 * a preemption does) must record the interruption and finish as attempt 2. Skipped, with the reason, where Slurm is
 * not installed; .ci/run installs it, so CI runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepProgress } from '../../../src/gflownet/sweep/progress.ts';
import { readTaskState } from '../../../src/gflownet/sweep/taskState.ts';
import { slurmUnavailable, startSlurm, waitForJob, type SlurmCluster } from './slurmCluster.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const unavailable = slurmUnavailable();
if (unavailable) console.warn(`skipping the Slurm integration test: ${unavailable}`);

function dagflow(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'dagflow.mjs'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(unavailable !== null)('a sweep on a real Slurm cluster', () => {
  let cluster: SlurmCluster | undefined;
  afterAll(() => cluster?.stop());

  it('runs as an array job and combines to the posterior of the same tasks run locally', { timeout: 240_000 }, async () => {
    const started = performance.now();
    const dir = await mkdtemp(path.join(tmpdir(), 'dagflow-slurm-'));
    cluster = await startSlurm(path.join(dir, 'slurm'));
    const env = cluster.env;
    const up = performance.now();

    const gen = dagflow(
      env,
      'generate',
      '--nodes',
      '5',
      '--edges-per-node',
      '1',
      '--rows',
      '80',
      '--seed',
      '11',
      '--out',
      path.join(dir, 'gen'),
    );
    expect(gen.code, gen.stderr).toBe(0);
    const sweep = (seeds: number, iterations: number): string[] => [
      'sweep',
      '--data',
      path.join(dir, 'gen', 'data.csv'),
      '--method',
      'mc3',
      '--seeds',
      String(seeds),
      '--iterations',
      String(iterations),
      '--chains',
      '2',
      '--no-workers',
      '--cpus-per-task',
      '1',
      '--mem',
      '200M',
      '--time',
      '5:00',
    ];
    const sweepArgs = sweep(4, 2000);
    const submitted = dagflow(env, ...sweepArgs, '--out', path.join(dir, 'slurm-sweep'), '--submit');
    expect(submitted.code, submitted.stderr).toBe(0);
    const jobId = /submitted Slurm array job (\d+)/.exec(submitted.stdout)?.[1];
    expect(jobId, submitted.stdout).toBeDefined();
    await waitForJob(cluster, jobId!, 150);
    const ran = performance.now();

    const progress = await sweepProgress(path.join(dir, 'slurm-sweep'));
    const logs = async (): Promise<string> =>
      (
        await Promise.all(
          progress.tasks.map((t) =>
            readFile(path.join(dir, 'slurm-sweep', 'logs', `${jobId}_${t.index}.out`), 'utf8').catch(() => '(no log)'),
          ),
        )
      ).join('\n');
    expect(progress.counts, await logs()).toEqual({ pending: 0, running: 0, done: 4, failed: 0, interrupted: 0 });
    // Each task ran as its own array element of the job.
    for (let k = 0; k < 4; k++)
      expect((await readTaskState(path.join(dir, 'slurm-sweep', 'runs', `t000${k}`)))?.slurmJob).toBe(`${jobId}_${k}`);

    const local = dagflow(env, ...sweepArgs, '--out', path.join(dir, 'local-sweep'), '--local', '2');
    expect(local.code, local.stderr).toBe(0);

    const onSlurm = dagflow(env, 'combine', path.join(dir, 'slurm-sweep'), '--json');
    const here = dagflow(env, 'combine', path.join(dir, 'local-sweep'), '--json');
    expect(onSlurm.code, onSlurm.stderr).toBe(0);
    expect(here.code, here.stderr).toBe(0);
    const a = JSON.parse(onSlurm.stdout);
    const b = JSON.parse(here.stdout);
    expect(a.runs).toBe(4);
    expect(a.cells).toHaveLength(1);
    // Same seeds, same chains: the same posterior, edge by edge, with the same errors and diagnostics.
    expect(a.cells[0].edges).toEqual(b.cells[0].edges);
    expect(a.cells[0].groups[0].rhatEdgeMax).toBe(b.cells[0].groups[0].rhatEdgeMax);
    expect(a.cells[0].edges.every((e: { standardError: number | null }) => e.standardError !== null)).toBe(true);
    const pooledA = await readFile(path.join(dir, 'slurm-sweep', 'combined', 'samples.jsonl'), 'utf8');
    const pooledB = await readFile(path.join(dir, 'local-sweep', 'combined', 'samples.jsonl'), 'utf8');
    expect(pooledA).toBe(pooledB);
    expect(pooledA.trim().split('\n').length).toBe(a.cells[0].samples);

    // Preemption: a running task requeued by Slurm records the interruption, runs again as
    // attempt 2 and finishes (Slurm holds a requeued job back a while: released at once here).
    const long = dagflow(env, ...sweep(1, 1_000_000), '--out', path.join(dir, 'requeue'), '--submit');
    expect(long.code, long.stderr).toBe(0);
    const longJob = /submitted Slurm array job (\d+)/.exec(long.stdout)![1]!;
    const run0 = path.join(dir, 'requeue', 'runs', 't0000');
    for (let k = 0; k < 300 && (await readTaskState(run0))?.state !== 'running'; k++) await new Promise((r) => setTimeout(r, 200));
    expect((await readTaskState(run0))?.state).toBe('running');
    const slurm = (...args: string[]): string => {
      const r = spawnSync(args[0]!, args.slice(1), { env, encoding: 'utf8' });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    slurm('scontrol', 'requeue', `${longJob}_0`);
    const log = (): Promise<string> =>
      readFile(path.join(dir, 'requeue', 'logs', `${longJob}_0.out`), 'utf8').then(
        (t) => `${t}\n${cluster!.logs()}`,
        () => cluster!.logs(),
      );
    for (let k = 0; k < 300 && (await readTaskState(run0))?.state !== 'interrupted'; k++) await new Promise((r) => setTimeout(r, 100));
    expect(await readTaskState(run0), await log()).toMatchObject({ state: 'interrupted', attempt: 1, error: 'stopped by SIGTERM' });
    slurm('scontrol', 'update', `jobid=${longJob}_0`, 'StartTime=now');
    await waitForJob(cluster, longJob, 120);
    expect(await readTaskState(run0), await log()).toMatchObject({ state: 'done', attempt: 2, slurmJob: `${longJob}_0` });
    expect(await readFile(path.join(dir, 'requeue', 'logs', `${longJob}_0.out`), 'utf8')).toMatch(/DUE TO JOB REQUEUE/);
    const requeued = performance.now();

    const seconds = (t: number): string => ((t - started) / 1000).toFixed(1);
    console.info(
      `Slurm test: cluster up ${seconds(up)} s, array of 4 done ${seconds(ran)} s, requeued task done ${seconds(requeued)} s, all ${seconds(performance.now())} s`,
    );
  });
});
