import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkSlurmResources, sbatchScript, shellQuote, TASK_PLACEHOLDER } from '../../../src/gflownet/sweep/sbatch.ts';

const base = {
  jobName: 'dagflow-sweep',
  tasks: 12,
  cpusPerTask: 4,
  mem: '8G',
  time: '02:00:00',
  gpu: false,
  logDir: '/scratch/my sweep/logs',
  command: ['/usr/bin/node', '/opt/dagflow/bin/dagflow.mjs', 'sweep', '--task', TASK_PLACEHOLDER, '--out', '/scratch/my sweep'],
};

function directives(script: string): string[] {
  return script
    .split('\n')
    .filter((l) => l.startsWith('#SBATCH '))
    .map((l) => l.slice('#SBATCH '.length));
}

describe('sweep.sbatch', () => {
  it('is an array job with the resources asked for, requeued on preemption', () => {
    const script = sbatchScript(base);
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(directives(script)).toEqual([
      '--job-name=dagflow-sweep',
      '--array=0-11',
      '--ntasks=1',
      '--cpus-per-task=4',
      '--mem=8G',
      '--time=02:00:00',
      '--output=/scratch/my sweep/logs/%A_%a.out',
      '--requeue',
      '--open-mode=append',
    ]);
    expect(script).not.toContain('--gres');
    // The task index comes from Slurm; a path with a space is quoted for bash.
    expect(script).toContain(
      `exec /usr/bin/node /opt/dagflow/bin/dagflow.mjs sweep --task "$SLURM_ARRAY_TASK_ID" --out '/scratch/my sweep'`,
    );
  });

  it('asks for a GPU, a partition, an account and a throttle only when told', () => {
    const d = directives(sbatchScript({ ...base, gpu: true, partition: 'gpu', account: 'lab42', parallel: 3 }));
    expect(d).toContain('--gres=gpu:1');
    expect(d).toContain('--partition=gpu');
    expect(d).toContain('--account=lab42');
    expect(d).toContain('--array=0-11%3');
  });

  it('lets the node name its own Node.js through DAGFLOW_NODE', () => {
    const script = sbatchScript({ ...base, programVariable: 'DAGFLOW_NODE' });
    expect(script).toContain('exec "${DAGFLOW_NODE:-/usr/bin/node}" /opt/dagflow/bin/dagflow.mjs sweep');
  });

  it('is valid bash', () => {
    const r = spawnSync('bash', ['-n'], { input: sbatchScript({ ...base, gpu: true, programVariable: 'DAGFLOW_NODE' }), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('quotes words for bash and checks the Slurm sizes and times', () => {
    expect(shellQuote('/a/b.csv')).toBe('/a/b.csv');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
    expect(checkSlurmResources({ mem: '500M', time: '1-00:00:00', cpusPerTask: 2 })).toBeNull();
    expect(checkSlurmResources({ mem: '30:00', time: '30:00', cpusPerTask: 1 })).toMatch(/memory "30:00"/);
    expect(checkSlurmResources({ mem: '4G', time: 'two hours', cpusPerTask: 1 })).toMatch(/time "two hours"/);
    expect(checkSlurmResources({ mem: '4G', time: '10', cpusPerTask: 0 })).toMatch(/CPUs per task/);
  });
});
