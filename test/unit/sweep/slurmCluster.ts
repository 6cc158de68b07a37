/**
 * A real single-node Slurm cluster for the integration test: Debian's munged, slurmctld and
 * slurmd started on this machine with a generated slurm.conf (this host, CPUs=2, its own
 * munge socket and key, its own ports and state folder under a temporary folder), and stopped
 * again — only the daemons started here, by the pids they wrote. Needs root (slurmd runs jobs
 * as their user) and the packages slurm-wlm and munge, which .ci/run installs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as path from 'node:path';

const PROGRAMS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol'];

function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Why the cluster cannot be started here, or null when it can be tried. */
export function slurmUnavailable(): string | null {
  const missing = PROGRAMS.filter((p) => which(p) === null);
  if (missing.length > 0)
    return `Slurm is not installed (${missing.join(', ')} not found): install Debian's slurm-wlm and munge packages (.ci/run does) to run this test`;
  if (process.getuid?.() !== 0) return 'starting slurmd needs root; run the test as root (CI does)';
  return null;
}

export interface SlurmCluster {
  dir: string;
  /** The environment every Slurm client (sbatch, squeue) and dagflow needs: SLURM_CONF. */
  env: NodeJS.ProcessEnv;
  stop(): void;
  logs(): string;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function pidOf(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startSlurm(dir: string): Promise<SlurmCluster> {
  for (const sub of ['state', 'spool', 'log']) mkdirSync(path.join(dir, sub), { recursive: true });
  const key = path.join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o400);
  const socket = path.join(dir, 'munge.sock');
  const pids = { munged: path.join(dir, 'munged.pid'), slurmctld: path.join(dir, 'slurmctld.pid'), slurmd: path.join(dir, 'slurmd.pid') };
  const node = hostname().split('.')[0]!;
  // Ports of our own, so that no other Slurm on the machine (or a previous test) is in the way.
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=dagflowtest',
      `SlurmctldHost=${node}(127.0.0.1)`,
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${pids.slurmctld}`,
      `SlurmdPidFile=${pids.slurmd}`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      // No cgroups in a container: process groups track the jobs, no CPU binding.
      'ProctrackType=proctrack/pgid',
      'TaskPlugin=task/none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 RealMemory=2000 State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const logs = (): string =>
    ['munged', 'slurmctld', 'slurmd']
      .map((n) => `--- ${n}:\n${tail(path.join(dir, n === 'munged' ? 'munged.log' : `log/${n}.log`))}`)
      .join('\n');
  const stop = (): void => {
    spawnSync('scontrol', ['shutdown'], { env, timeout: 10_000 });
    const deadline = Date.now() + 10_000;
    for (const file of [pids.slurmd, pids.slurmctld]) {
      const pid = pidOf(file);
      while (pid !== null && alive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.2']);
      if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    const munged = pidOf(pids.munged);
    if (munged !== null && alive(munged)) process.kill(munged, 'SIGTERM');
  };
  const run = (program: string, args: string[]): void => {
    const r = spawnSync(program, args, { env, encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) {
      stop();
      throw new Error(`the Slurm test cluster did not start: ${program} ${args.join(' ')} exited with ${r.status}: ${r.stderr}\n${logs()}`);
    }
  };
  run('munged', [
    '--force',
    `--socket=${socket}`,
    `--key-file=${key}`,
    `--pid-file=${pids.munged}`,
    `--log-file=${dir}/munged.log`,
    `--seed-file=${dir}/munged.seed`,
  ]);
  run('slurmctld', ['-f', conf]);
  run('slurmd', ['-f', conf]);
  // Up when the node reports idle.
  for (let k = 0; k < 60; k++) {
    const state = spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout.trim();
    if (state === 'idle') return { dir, env, stop, logs };
    await new Promise((r) => setTimeout(r, 500));
  }
  const state = spawnSync('sinfo', ['-h', '-o', '%T %E'], { env, encoding: 'utf8' });
  stop();
  throw new Error(`the Slurm test cluster did not become idle in 30 s (sinfo: ${state.stdout.trim()} ${state.stderr.trim()})\n${logs()}`);
}

/** Waits until the job has left the queue; throws with the queue and logs when it takes too long. */
export async function waitForJob(cluster: SlurmCluster, jobId: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const r = spawnSync('squeue', ['-h', '-j', jobId, '-o', '%i %T %R'], { env: cluster.env, encoding: 'utf8' });
    // Empty once the array has left the queue ("Invalid job id" once Slurm has forgotten it).
    if ((r.status === 0 && r.stdout.trim() === '') || /Invalid job id/i.test(r.stderr)) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const queue = execFileSync('squeue', ['-o', '%i %T %R'], { env: cluster.env, encoding: 'utf8' });
  throw new Error(`Slurm job ${jobId} did not finish in ${seconds} s:\n${queue}\n${cluster.logs()}`);
}
