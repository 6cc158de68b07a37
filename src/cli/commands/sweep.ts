/**
 * `dagflow sweep`: many runs of one problem — seeds × grid × bootstrap replicates — as a sweep
 * folder with one run folder per task, tasks.jsonl (each task's exact command) and a Slurm
 * array script; `--submit` hands the script to sbatch, `--local N` runs the tasks here, N at a
 * time; `--task K` is what each array element runs; `--status` counts the tasks' states.
 * Every flag that is not the sweep's own goes to each task's `dagflow train` or `dagflow mcmc`.
 * docs/cluster.md is the guide.
 */
import { execFile } from 'node:child_process';
import { access, appendFile, constants, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { loadSamplerProblem } from '../../gflownet/problem/load.ts';
import { writeBootstrapReplicate } from '../../gflownet/sweep/bootstrap.ts';
import {
  readManifest,
  readTaskLines,
  SWEEP_FILES,
  SWEEP_FORMAT,
  SWEEP_VERSION,
  writeManifest,
  type SweepManifest,
  type SweepTaskLine,
} from '../../gflownet/sweep/manifest.ts';
import { gridCells, planSweep } from '../../gflownet/sweep/plan.ts';
import { sweepProgress } from '../../gflownet/sweep/progress.ts';
import { checkSlurmResources, sbatchScript, TASK_PLACEHOLDER } from '../../gflownet/sweep/sbatch.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { problemSpecFromFlags } from '../dataFlags.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { prepareOutputFolder } from '../outputFolder.ts';
import { runTasksLocally } from '../sweepLocal.ts';
import {
  checkPassThrough,
  checkTaskArgv,
  commandLine,
  parseGrid,
  sha256File,
  sharedProblem,
  splitArgs,
  SWEEP_METHODS,
  targetOf,
  taskArgv,
  type SweepMethod,
} from '../sweepPlan.ts';
import { runSweepTask } from '../sweepTask.ts';

export const sweepFlags = {
  method: {
    type: 'enum',
    values: SWEEP_METHODS,
    help: 'the sampler of every task: the GFlowNet (dagflow train) or an MCMC method (dagflow mcmc)',
  },
  seeds: {
    type: 'number',
    integer: true,
    min: 1,
    default: 1,
    help: 'runs per grid cell and data set, with seeds first-seed, first-seed + 1, …',
  },
  'first-seed': { type: 'number', integer: true, min: 0, default: 0, help: 'the first seed' },
  grid: {
    type: 'string',
    valueName: 'SETTING=V1,V2',
    help: 'a setting of the task command to vary (repeat for more; every combination runs), e.g. prior=uniform,erdos-renyi',
  },
  bootstrap: {
    type: 'number',
    integer: true,
    min: 0,
    default: 0,
    help: 'bootstrap replicates of the data (rows drawn with replacement), each run with every seed; 0 = the data as it is',
  },
  'bootstrap-seed': {
    type: 'number',
    integer: true,
    min: 0,
    default: 0,
    help: 'seed of the bootstrap resampling (recorded in sweep.json)',
  },
  out: {
    type: 'string',
    required: true,
    valueName: 'DIR',
    help: 'the sweep folder (created if missing; an existing sweep folder is reused)',
  },
  submit: { type: 'boolean', help: 'submit sweep.sbatch with sbatch (must be on the PATH: a Slurm login node)' },
  local: { type: 'number', integer: true, min: 1, help: 'run the unfinished tasks on this machine, N at a time' },
  task: { type: 'number', integer: true, min: 0, help: 'run task K of the sweep in --out (what each Slurm array element does)' },
  status: { type: 'boolean', help: 'print how many tasks are pending, running, done, failed or interrupted' },
  'cpus-per-task': {
    type: 'number',
    integer: true,
    min: 1,
    help: 'Slurm CPUs per task (default: the chains for MCMC, at most 8; 2 for the GFlowNet)',
  },
  mem: { type: 'string', default: '4G', valueName: 'SIZE', help: 'Slurm memory per task, e.g. 500M or 8G' },
  time: { type: 'string', default: '02:00:00', valueName: 'HH:MM:SS', help: 'Slurm time limit per task (D-HH:MM:SS for days)' },
  gpu: {
    type: 'boolean',
    help: 'GFlowNet: ask Slurm for a GPU per task (--gres=gpu:1) and use the native TensorFlow backend (@tensorflow/tfjs-node-gpu on the nodes)',
  },
  partition: { type: 'string', valueName: 'NAME', help: 'Slurm partition' },
  account: { type: 'string', valueName: 'NAME', help: 'Slurm account' },
  parallel: { type: 'number', integer: true, min: 1, help: 'at most this many array tasks at once (Slurm --array=…%N)' },
  'job-name': { type: 'string', default: 'dagflow-sweep', valueName: 'NAME', help: 'Slurm job name' },
  json: { type: 'boolean', help: 'print the outcome as JSON' },
} as const;

const summary = 'many runs (seeds × grid × bootstrap) as a Slurm array job or locally, one run folder per task';

/** How a task re-enters the command line: this Node.js and this checkout's bin/dagflow.mjs. */
function program(): string[] {
  return [process.execPath, fileURLToPath(new URL('../../../bin/dagflow.mjs', import.meta.url))];
}

function methodOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--method') return argv[i + 1];
    if (argv[i]!.startsWith('--method=')) return argv[i]!.slice('--method='.length);
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '')) {
    const file = path.join(dir, name);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return null;
}

type SweepOpts = ReturnType<typeof parseFlags<typeof sweepFlags>>;

/** Plans the sweep into `dir` (or finds the same plan already there) and returns its task lines. */
async function plan(
  dir: string,
  method: SweepMethod,
  opts: SweepOpts,
  rest: string[],
  gridTexts: string[],
  io: CliIo,
): Promise<SweepTaskLine[]> {
  const { command, flags } = targetOf(method);
  if (opts.gpu && method !== 'gflownet')
    throw new DagflowError('BAD_OPTION', 'applies to --method gflownet only (MCMC runs on CPUs)', { flag: '--gpu' }, 'drop the flag');
  checkPassThrough(rest);
  const passThrough =
    opts.gpu && !rest.some((t) => t === '--backend' || t.startsWith('--backend=')) ? [...rest, '--backend', 'tensorflow'] : rest;
  const head = command === 'mcmc' ? [command, '--method', method] : [command];
  const base = checkTaskArgv([...head, ...passThrough, '--seed', '0', '--out', dir], method);
  const grid = parseGrid(gridTexts, flags, passThrough);
  const tasks = planSweep({ seeds: { first: opts['first-seed'], count: opts.seeds }, grid, bootstrap: opts.bootstrap });
  const chains = typeof base.chains === 'number' ? base.chains : 1;
  const slurm = {
    cpusPerTask: opts['cpus-per-task'] ?? (method === 'gflownet' ? 2 : Math.min(8, chains)),
    mem: opts.mem,
    time: opts.time,
    gpu: opts.gpu,
    ...(opts.partition ? { partition: opts.partition } : {}),
    ...(opts.account ? { account: opts.account } : {}),
  };
  const bad = checkSlurmResources(slurm);
  if (bad)
    throw new DagflowError('BAD_OPTION', bad, {
      flag: bad.startsWith('memory') ? '--mem' : bad.startsWith('time') ? '--time' : '--cpus-per-task',
    });
  const data = path.resolve(String(base.data));
  const int = typeof base.int === 'string' ? path.resolve(base.int) : undefined;
  const replicate = (b: number | null, ext: string): string =>
    b === null ? '' : path.join(dir, SWEEP_FILES.data, `boot-${String(b).padStart(3, '0')}${ext}`);
  const lines: SweepTaskLine[] = tasks.map((t) => {
    const runDir = path.join(SWEEP_FILES.runs, t.id);
    const dataFile = t.bootstrap === null ? data : replicate(t.bootstrap, '.csv');
    const argv = taskArgv({
      method,
      passThrough,
      task: t,
      dataFile,
      interventionFile: int && t.bootstrap !== null ? replicate(t.bootstrap, '.int.csv') : int,
      runDir: path.join(dir, runDir),
    });
    // Every task's command is checked now, before a file is written.
    checkTaskArgv(argv, method);
    return { ...t, runDir, dataFile, argv, command: commandLine(['dagflow'], argv) };
  });

  // Each grid cell's problem is loaded once (data, score, prior, knowledge): bad data or knowledge
  // that contradicts a cell's parent bound fails now, not in the tasks.
  const checked = new Set<string>();
  for (const line of lines) {
    const key = JSON.stringify(line.cell);
    if (checked.has(key)) continue;
    checked.add(key);
    const opts = checkTaskArgv(line.argv, method) as Parameters<typeof problemSpecFromFlags>[0];
    await loadSamplerProblem(problemSpecFromFlags({ ...opts, data: data, int }));
  }
  const dataSha256 = await sha256File(data);

  const manifestFile = path.join(dir, SWEEP_FILES.manifest);
  if (await exists(manifestFile)) {
    const old = await readTaskLines(dir);
    const same = old.length === lines.length && old.every((l, k) => JSON.stringify(l.argv) === JSON.stringify(lines[k]!.argv));
    if (!same)
      throw new DagflowError(
        'BAD_OPTION',
        'the folder already holds a different sweep',
        { file: dir, flag: '--out' },
        'give a new --out folder, or repeat the same sweep command to continue it',
      );
    io.stderr(`the sweep in ${dir} is already planned with these settings: continuing it`);
    return old;
  }
  await prepareOutputFolder(dir);
  await mkdir(path.join(dir, SWEEP_FILES.runs), { recursive: true });
  await mkdir(path.join(dir, SWEEP_FILES.logs), { recursive: true });
  const bootstraps = [...new Set(tasks.map((t) => t.bootstrap))].filter((b): b is number => b !== null);
  let rows: number | undefined;
  if (bootstraps.length > 0) await mkdir(path.join(dir, SWEEP_FILES.data), { recursive: true });
  for (const b of bootstraps) {
    const written = await writeBootstrapReplicate(
      { data, ...(int ? { interventions: int } : {}) },
      { data: replicate(b, '.csv'), ...(int ? { interventions: replicate(b, '.int.csv') } : {}) },
      opts['bootstrap-seed'],
      b,
    );
    rows = written.rows;
  }
  const manifest: SweepManifest = {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    createdAt: new Date().toISOString(),
    method,
    seeds: { first: opts['first-seed'], count: opts.seeds },
    grid,
    bootstrap: { replicates: opts.bootstrap, seed: opts['bootstrap-seed'] },
    data: { path: data, sha256: dataSha256, ...(rows !== undefined ? { rows } : {}) },
    problem: sharedProblem(base, grid),
    tasks: lines.length,
    slurm,
  };
  const script = sbatchScript({
    jobName: opts['job-name'],
    tasks: lines.length,
    parallel: opts.parallel,
    ...slurm,
    logDir: path.join(dir, SWEEP_FILES.logs),
    command: [...program(), 'sweep', '--task', TASK_PLACEHOLDER, '--out', dir],
    programVariable: 'DAGFLOW_NODE',
  });
  await writeFile(path.join(dir, SWEEP_FILES.sbatch), script);
  await writeManifest(dir, manifest, lines);
  const cells = gridCells(grid).length;
  io.stderr(
    `planned ${lines.length} tasks (${cells} grid cell${cells === 1 ? '' : 's'} × ${Math.max(1, opts.bootstrap)} data set${opts.bootstrap > 1 ? 's' : ''} × ${opts.seeds} seed${opts.seeds === 1 ? '' : 's'}) in ${dir}`,
  );
  return lines;
}

async function submit(dir: string): Promise<string> {
  const sbatch = await onPath('sbatch');
  if (!sbatch)
    throw new DagflowError(
      'IO',
      'sbatch is not on the PATH: this machine is not a Slurm submit host',
      { flag: '--submit' },
      `copy the sweep folder to the cluster and run "sbatch ${SWEEP_FILES.sbatch}" there, or run the tasks here with --local N (docs/cluster.md)`,
    );
  const output = await new Promise<string>((resolve, reject) =>
    execFile(sbatch, ['--parsable', path.join(dir, SWEEP_FILES.sbatch)], { cwd: dir }, (error, stdout, stderr) => {
      if (error)
        reject(
          new DagflowError(
            'IO',
            `sbatch refused the job: ${(stderr || error.message).trim().split('\n').slice(-1)[0]}`,
            { file: path.join(dir, SWEEP_FILES.sbatch), flag: '--submit' },
            'check the partition, --mem, --time and --cpus-per-task against the cluster',
          ),
        );
      else resolve(stdout.trim());
    }),
  );
  const jobId = output.split(';')[0]!.trim();
  await appendFile(path.join(dir, 'slurm-jobs.txt'), `${new Date().toISOString()} ${jobId}\n`);
  return jobId;
}

export const command: CliCommand = {
  name: 'sweep',
  summary,
  help: formatHelp(
    'dagflow sweep --data FILE [score, prior, knowledge and sampler flags of dagflow train or mcmc] --method gflownet|mc3|order|partition [--seeds N] [--grid SETTING=V1,V2 …] [--bootstrap B] --out DIR [--submit | --local N] [Slurm: --cpus-per-task C --mem 4G --time 02:00:00 --gpu --partition P]\n       dagflow sweep --out DIR --task K | --local N | --submit | --status',
    `${summary}. Every other flag goes to each task's dagflow train (gflownet) or dagflow mcmc. Combine the finished runs with dagflow combine DIR. docs/cluster.md explains the script and how to run it on a cluster.`,
    sweepFlags,
  ),
  async run(argv, io) {
    const method = methodOf(argv);
    if (method !== undefined && !SWEEP_METHODS.includes(method as SweepMethod))
      throw new DagflowError('BAD_OPTION', `must be one of ${SWEEP_METHODS.join(', ')}; got "${method}"`, { flag: '--method' });
    const target = method === undefined ? {} : targetOf(method as SweepMethod).flags;
    const split = splitArgs(argv, sweepFlags, target);
    const opts = parseFlags(split.own, sweepFlags);
    const dir = path.resolve(opts.out);
    const modes = [opts.submit, opts.local !== undefined, opts.task !== undefined, opts.status].filter(Boolean).length;
    if (modes > 1) throw new DagflowError('BAD_OPTION', 'give one of --submit, --local, --task and --status', { flag: '--local' });

    if (opts.task !== undefined || opts.status) {
      if (split.rest.length > 0 || split.grid.length > 0)
        throw new DagflowError(
          'BAD_OPTION',
          `takes only --out with ${opts.task !== undefined ? '--task' : '--status'} (the sweep's settings are in its folder)`,
          { flag: split.rest[0] ?? '--grid' },
        );
      if (opts.task !== undefined) return (await runSweepTask(dir, opts.task, io, program())).code;
      const p = await sweepProgress(dir);
      if (opts.json) io.stdout(JSON.stringify({ dir, counts: p.counts, tasks: p.tasks }));
      else
        io.stdout(
          `${p.tasks.length} tasks: ${Object.entries(p.counts)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')}`,
        );
      return 0;
    }

    let lines: SweepTaskLine[];
    if (split.rest.length === 0 && split.grid.length === 0 && method === undefined) {
      // Only the folder: continue the sweep planned there.
      await readManifest(dir);
      lines = await readTaskLines(dir);
    } else {
      if (!SWEEP_METHODS.includes(method as SweepMethod))
        throw new DagflowError(
          'BAD_OPTION',
          method === undefined ? 'is required to plan a sweep' : `must be one of ${SWEEP_METHODS.join(', ')}; got "${method}"`,
          { flag: '--method' },
        );
      lines = await plan(dir, method as SweepMethod, opts, split.rest, split.grid, io);
    }

    const outcome: Record<string, unknown> = { dir, tasks: lines.length, sbatch: path.join(dir, SWEEP_FILES.sbatch) };
    if (opts.submit) {
      const jobId = await submit(dir);
      outcome.jobId = jobId;
      if (!opts.json)
        io.stdout(
          `submitted Slurm array job ${jobId} (${lines.length} tasks); follow it with squeue -j ${jobId} or dagflow sweep --out ${dir} --status`,
        );
    } else if (opts.local !== undefined) {
      const progress = await sweepProgress(dir);
      const todo = progress.tasks.filter((t) => t.state !== 'done').map((t) => t.index);
      if (todo.length < lines.length) io.stderr(`${lines.length - todo.length} tasks already complete: skipped`);
      const results = await runTasksLocally(program(), dir, todo, opts.local, opts.json ? () => {} : io.stderr);
      const failed = results.filter((r) => r.code !== 0);
      outcome.local = results;
      if (!opts.json)
        io.stdout(
          failed.length === 0
            ? `all ${lines.length} tasks complete in ${dir}; combine them with dagflow combine ${dir}`
            : `${failed.length} of ${results.length} tasks failed (tasks ${failed.map((r) => r.index).join(', ')}); run the same command again to retry them`,
        );
      if (opts.json) io.stdout(JSON.stringify(outcome));
      return failed.length === 0 ? 0 : 1;
    } else if (!opts.json) {
      io.stdout(
        `${lines.length} tasks in ${path.join(dir, SWEEP_FILES.tasks)}; submit on a Slurm login node with: sbatch ${path.join(dir, SWEEP_FILES.sbatch)}   (or here: dagflow sweep --out ${dir} --local 2)`,
      );
    }
    if (opts.json) io.stdout(JSON.stringify(outcome));
    return 0;
  },
};
