/**
 * The Slurm array script of a sweep (sweep.sbatch). One array element per task; each runs the
 * task command given by the caller with the element's index, so the script holds no
 * knowledge of the sampler: the task reads its own line of tasks.jsonl. docs/cluster.md
 * explains every line.
 *
 * --requeue with --open-mode=append: a task preempted or lost with its node is started again
 * and appends to its log; the task command skips a finished run and resumes a checkpointed one,
 * so running a task twice costs time, never correctness.
 */

export interface SbatchOptions {
  jobName: string;
  /** Number of tasks; the array is 0…tasks − 1. */
  tasks: number;
  /** At most this many array elements at once (Slurm's %N throttle); undefined = no limit. */
  parallel?: number;
  cpusPerTask: number;
  /** Slurm memory, e.g. "4G" or "500M". */
  mem: string;
  /** Slurm time limit, e.g. "02:00:00" or "1-00:00:00". */
  time: string;
  gpu: boolean;
  partition?: string;
  account?: string;
  /** Absolute folder for the per-task logs (%A job, %a index). */
  logDir: string;
  /** The program and its arguments; the token {TASK} is replaced by "$SLURM_ARRAY_TASK_ID". */
  command: readonly string[];
  /** An environment variable that, when set on the node, replaces the program (its path may differ there). */
  programVariable?: string;
  /** Environment set before the command, e.g. the thread count of native TensorFlow. */
  env?: Record<string, string>;
}

export const TASK_PLACEHOLDER = '{TASK}';

/** A word for bash: left bare when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

const MEM = /^\d+[KMGT]?$/;
const TIME = /^(\d+-)?\d{1,2}(:\d{2}){0,2}$/;

/** Checks the Slurm resource strings; returns the message of the first bad one, or null. */
export function checkSlurmResources(o: Pick<SbatchOptions, 'mem' | 'time' | 'cpusPerTask'>): string | null {
  if (!MEM.test(o.mem)) return `memory "${o.mem}" is not a Slurm size such as 500M or 4G`;
  if (!TIME.test(o.time)) return `time "${o.time}" is not a Slurm time such as 30:00, 02:00:00 or 1-00:00:00`;
  if (!Number.isInteger(o.cpusPerTask) || o.cpusPerTask < 1) return `CPUs per task must be a whole number ≥ 1, got ${o.cpusPerTask}`;
  return null;
}

export function sbatchScript(o: SbatchOptions): string {
  if (o.tasks < 1) throw new Error('sbatchScript: no tasks');
  const problem = checkSlurmResources(o);
  if (problem) throw new Error(`sbatchScript: ${problem}`);
  const array = `0-${o.tasks - 1}${o.parallel !== undefined ? `%${o.parallel}` : ''}`;
  const directives = [
    `--job-name=${o.jobName}`,
    `--array=${array}`,
    '--ntasks=1',
    `--cpus-per-task=${o.cpusPerTask}`,
    `--mem=${o.mem}`,
    `--time=${o.time}`,
    ...(o.gpu ? ['--gres=gpu:1'] : []),
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.account ? [`--account=${o.account}`] : []),
    `--output=${o.logDir}/%A_%a.out`,
    '--requeue',
    '--open-mode=append',
  ];
  const words = o.command.map((w) => (w === TASK_PLACEHOLDER ? '"$SLURM_ARRAY_TASK_ID"' : shellQuote(w)));
  if (o.programVariable && o.command[0] !== undefined)
    words[0] = `"\${${o.programVariable}:-${o.command[0].replaceAll(/["$`\\]/g, '\\$&')}}"`;
  const command = words.join(' ');
  return [
    '#!/bin/bash',
    '# A DAGFlow sweep as a Slurm array job: one array element per line of tasks.jsonl.',
    '# Submit with: sbatch sweep.sbatch   (docs/cluster.md explains each line)',
    ...directives.map((d) => `#SBATCH ${d}`),
    '',
    'set -euo pipefail',
    '# One thread per CPU Slurm gave the task (native TensorFlow and the MCMC worker threads read these).',
    `export OMP_NUM_THREADS="\${SLURM_CPUS_PER_TASK:-${o.cpusPerTask}}"`,
    `export TF_NUM_INTRAOP_THREADS="\${SLURM_CPUS_PER_TASK:-${o.cpusPerTask}}"`,
    ...Object.entries(o.env ?? {}).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    'echo "dagflow sweep task $SLURM_ARRAY_TASK_ID (job ${SLURM_ARRAY_JOB_ID:-?}, attempt ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -u +%FT%TZ)"',
    // exec: Slurm's SIGTERM on preemption or timeout reaches the task itself, which records it.
    `exec ${command}`,
    '',
  ].join('\n');
}
