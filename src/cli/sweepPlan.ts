/**
 * `dagflow sweep`'s plan in command-line terms: the sweep's own flags are split from the flags
 * meant for every task (data, score, prior, knowledge and sampler flags of `dagflow train` or
 * `dagflow mcmc`), which are checked against that command's flag table once per task before
 * anything is written, and each planned task (engine: gflownet/sweep/plan.ts) becomes the
 * exact argument list of the command that runs it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import type { GridAxis, PlannedTask } from '../gflownet/sweep/plan.ts';
import { shellQuote } from '../gflownet/sweep/sbatch.ts';
import { dataFlags } from './dataFlags.ts';
import { parseFlags, type FlagSpecs } from './flags.ts';
import { knowledgeFlags } from './knowledgeFlags.ts';
import { mcmcFlags } from './commands/mcmc.ts';
import { trainFlags } from './commands/train.ts';

export const SWEEP_METHODS = ['gflownet', 'mc3', 'order', 'partition'] as const;
export type SweepMethod = (typeof SWEEP_METHODS)[number];

/** Flags the sweep sets per task (or owns): never passed through, never in a grid. */
const TASK_OWNED = ['out', 'seed', 'resume', 'json', 'method', 'help'];

export function targetOf(method: SweepMethod): { command: 'train' | 'mcmc'; flags: FlagSpecs } {
  return method === 'gflownet' ? { command: 'train', flags: trainFlags } : { command: 'mcmc', flags: mcmcFlags };
}

/** A flag token's name ("--prior=fair" → "prior"), or null for a value. */
function flagName(token: string): string | null {
  if (!token.startsWith('--')) return null;
  const eq = token.indexOf('=');
  return token.slice(2, eq < 0 ? undefined : eq);
}

/** Splits argv into the tokens of `own` flags and the rest, keeping every flag with its value. */
export function splitArgs(argv: readonly string[], own: FlagSpecs, other: FlagSpecs): { own: string[]; rest: string[]; grid: string[] } {
  const out = { own: [] as string[], rest: [] as string[], grid: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const name = flagName(token);
    if (name === null)
      throw new DagflowError('BAD_OPTION', `unexpected argument "${token}"`, {}, 'every option is written --name value; see --help');
    const inline = token.includes('=');
    if (name === 'grid') {
      const value = inline ? token.slice(token.indexOf('=') + 1) : argv[++i];
      if (value === undefined) throw new DagflowError('BAD_OPTION', 'needs a value such as prior=uniform,fair', { flag: '--grid' });
      out.grid.push(value);
      continue;
    }
    const base = name.startsWith('no-') && !Object.hasOwn(own, name) && !Object.hasOwn(other, name) ? name.slice(3) : name;
    const table = Object.hasOwn(own, base) ? own : other;
    const target = Object.hasOwn(own, base) ? out.own : out.rest;
    target.push(token);
    const spec = Object.hasOwn(table, base) ? table[base] : undefined;
    // Booleans take no value. An unknown flag goes to the task's table, whose parser names it;
    // a value after it goes along, so that the error is about the flag, not a stray value.
    const takesValue = spec ? spec.type !== 'boolean' : i + 1 < argv.length && !argv[i + 1]!.startsWith('--');
    if (!inline && takesValue && i + 1 < argv.length) target.push(argv[++i]!);
  }
  return out;
}

/** "--grid prior=uniform,fair" → {key: 'prior', values: [...]}, each value checked against the task command's flag. */
export function parseGrid(values: readonly string[], flags: FlagSpecs, passed: readonly string[]): GridAxis[] {
  return values.map((text) => {
    const eq = text.indexOf('=');
    const key = eq < 0 ? '' : text.slice(0, eq).trim();
    const list = (eq < 0 ? '' : text.slice(eq + 1))
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (key === '' || list.length === 0)
      throw new DagflowError(
        'BAD_OPTION',
        `expects SETTING=V1,V2,…, got "${text}"`,
        { flag: '--grid' },
        'e.g. --grid prior=uniform,erdos-renyi --grid max-parents=3,4',
      );
    const spec = Object.hasOwn(flags, key) ? flags[key] : undefined;
    if (!spec || TASK_OWNED.includes(key) || key === 'data' || key === 'int' || spec.type === 'boolean')
      throw new DagflowError(
        'BAD_OPTION',
        `cannot vary "${key}": the grid takes the task command's settings that have a value (not --data, --seed, --out; seeds have --seeds, data replicates --bootstrap)`,
        { flag: '--grid' },
      );
    if (passed.some((t) => flagName(t) === key))
      throw new DagflowError(
        'BAD_OPTION',
        `--${key} is given both as a flag and in the grid`,
        { flag: '--grid' },
        `drop --${key} or its --grid`,
      );
    return { key, values: list };
  });
}

/** Refuses pass-through flags the sweep sets for each task itself. */
export function checkPassThrough(tokens: readonly string[]): void {
  for (const t of tokens) {
    const name = flagName(t);
    if (name === 'seed')
      throw new DagflowError(
        'BAD_OPTION',
        'is set by the sweep for each task',
        { flag: '--seed' },
        'give --seeds N (and --first-seed S) instead',
      );
    if (name === 'resume' || name === 'json')
      throw new DagflowError(
        'BAD_OPTION',
        'is set by the sweep for each task',
        { flag: `--${name}` },
        'drop it: a task resumes from its own checkpoint',
      );
  }
}

/** Removes --data and --int (with their values) from pass-through tokens: each task names its own data. */
function withoutData(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const name = flagName(tokens[i]!);
    if (name === 'data' || name === 'int') {
      if (!tokens[i]!.includes('=')) i++;
      continue;
    }
    out.push(tokens[i]!);
  }
  return out;
}

export interface TaskCommandInput {
  method: SweepMethod;
  passThrough: readonly string[];
  task: PlannedTask;
  dataFile: string;
  interventionFile?: string;
  runDir: string;
}

/** The arguments of `dagflow <train|mcmc> …` for one task (after the program name). */
export function taskArgv(o: TaskCommandInput): string[] {
  const { command } = targetOf(o.method);
  return [
    command,
    ...(command === 'mcmc' ? ['--method', o.method] : []),
    '--data',
    o.dataFile,
    ...(o.interventionFile !== undefined ? ['--int', o.interventionFile] : []),
    ...withoutData(o.passThrough),
    ...Object.entries(o.task.cell).flatMap(([k, v]) => [`--${k}`, v]),
    '--seed',
    String(o.task.seed),
    '--out',
    o.runDir,
  ];
}

/** Parses a task's arguments with its command's flag table: every bad flag or value fails at planning time. */
export function checkTaskArgv(argv: readonly string[], method: SweepMethod): Record<string, unknown> {
  const { flags } = targetOf(method);
  try {
    return parseFlags(argv.slice(1), flags) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof DagflowError) e.message = `${e.message} (in the command of the sweep's tasks: dagflow ${argv[0]})`;
    throw e;
  }
}

export function commandLine(program: readonly string[], argv: readonly string[]): string {
  return [...program, ...argv].map(shellQuote).join(' ');
}

/**
 * The problem every task shares, for sweep.json "problem" and each task.json: the data, score,
 * prior and knowledge settings (the same keys `dagflow mcmc` records in its summary), but the
 * grid's. Sampler settings (method, iterations, chains) are how the posterior was estimated, not
 * what it is of: `combine` compares problems, so runs of one problem by different samplers or
 * budgets may be pooled.
 */
export function sharedProblem(parsed: Record<string, unknown>, grid: readonly GridAxis[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...Object.keys(dataFlags), ...Object.keys(knowledgeFlags)]) {
    const v = parsed[k];
    if (grid.some((a) => a.key === k) || v === undefined) continue;
    out[k] = ['data', 'int', 'forbid', 'require', 'tiers'].includes(k) && typeof v === 'string' ? path.resolve(v) : v;
  }
  return out;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (e) {
    throw new DagflowError('IO', `cannot read the data file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file, flag: '--data' });
  }
  return hash.digest('hex');
}
