/**
 * The bad-input corpus (test/fixtures/bad/expected.json) and how to run one case: through the
 * real reader in this process (data loader, graph importer, session reader) or through the real
 * CLI as a subprocess (`node bin/dagflow.mjs`). Each run is classified: the expected error, a
 * different error, a crash (anything that is not a DagflowError, a stack trace, exit code ≠ 2),
 * a hang (no answer within the time bound) or no error at all. Shared by the corpus test and
 * `npm run bench -- robustness`.
 */
import { inCliWords } from '../../../../src/cli/fieldFlags.ts';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDagflowError, type ErrorLocation } from '../../../../src/gflownet/core/errors.ts';
import { loadDataset, type LoadOptions } from '../../../../src/gflownet/data/load.ts';
import { importGraphFile, type ImportGraphOptions } from '../../../../src/gflownet/graphio/importGraph.ts';
import { readSessionFile } from '../../../../src/gflownet/session/sessionFile.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const BAD_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'bad');
export const SAMPLES_DIR = path.join(PROJECT_ROOT, 'samples');
export const CLI_ENTRY = path.join(PROJECT_ROOT, 'bin', 'dagflow.mjs');

export interface ExpectedError {
  code: string;
  /** The start of the one-line message: file, row, column, flag as DagflowError prints them ("" when none). */
  where: string;
  /** A substring of the message after `where`: what is wrong. */
  message: string;
  location: ErrorLocation;
}

interface CaseBase {
  id: string;
  /** What the case stands for, in the words of the issue. */
  about: string;
}

export interface ReaderCase extends CaseBase {
  reader: 'load' | 'graph' | 'session';
  /** File under test/fixtures/bad, or `generated:<name>` for a file made at run time (generated.ts). */
  input: string;
  /** loadDataset options (paths may use {bad}). */
  options?: Record<string, unknown>;
  /** graph reader: the data columns (default A, B, C, D) and format. */
  columns?: string[];
  format?: ImportGraphOptions['format'];
  expect: ExpectedError;
}

export interface CliCase extends CaseBase {
  reader: 'cli';
  /** Arguments after `dagflow`; {bad}, {samples} and {out} are replaced. */
  args: string[];
  /** Paths (with {out}) that must not exist afterwards: no partial output. */
  noOutput?: string[];
  expect: { exitCode: number; code?: string; stderr: string };
}

export type CorpusCase = ReaderCase | CliCase;

export interface Manifest {
  cases: CorpusCase[];
}

export type Outcome = 'expected' | 'wrong-error' | 'no-error' | 'crash' | 'hang';

export interface CaseResult {
  id: string;
  outcome: Outcome;
  /** The one line the user saw. */
  shown: string;
  code?: string;
  location?: ErrorLocation;
  problems: string[];
  ms: number;
}

export function loadManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(BAD_DIR, 'expected.json'), 'utf8')) as Manifest;
}

export interface Placeholders {
  bad: string;
  samples: string;
  out: string;
  /** Files made at run time, by name. */
  generated?: Record<string, string>;
  /** The generated file of the case being run ({generated}). */
  current?: string;
}

export function resolve(text: string, p: Placeholders): string {
  let out = text.replaceAll('{bad}', p.bad).replaceAll('{samples}', p.samples).replaceAll('{out}', p.out);
  out = out.replace(/\{generated:([a-z0-9-]+)\}/g, (_, name: string) => {
    const file = p.generated?.[name];
    if (file === undefined) throw new Error(`generated input ${name} was not made`);
    return file;
  });
  return p.current === undefined ? out : out.replaceAll('{generated}', p.current);
}

function resolveDeep(value: unknown, p: Placeholders): unknown {
  if (typeof value === 'string') return resolve(value, p);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, p));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, p)]));
  return value;
}

export function inputPath(c: ReaderCase, p: Placeholders): string {
  if (c.input.startsWith('generated:')) {
    const file = p.generated?.[c.input.slice('generated:'.length)];
    if (!file) throw new Error(`${c.id}: generated input ${c.input} was not made`);
    return file;
  }
  return path.join(p.bad, c.input);
}

/** Resolves 'hang' when `work` does not settle in time (the work itself is abandoned). */
async function withTimeBound<T>(work: Promise<T>, ms: number): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), ms)));
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

async function readThrough(c: ReaderCase, file: string, p: Placeholders): Promise<unknown> {
  switch (c.reader) {
    case 'load':
      return loadDataset(file, resolveDeep(c.options ?? {}, p) as LoadOptions);
    case 'graph':
      return importGraphFile(file, c.columns ?? ['A', 'B', 'C', 'D'], { format: c.format ?? 'auto' });
    case 'session':
      return readSessionFile(file);
  }
}

export async function runReaderCase(c: ReaderCase, placeholders: Placeholders, timeoutMs = 30_000): Promise<CaseResult> {
  const p = c.input.startsWith('generated:') ? { ...placeholders, current: inputPath(c, placeholders) } : placeholders;
  const t0 = performance.now();
  const base = { id: c.id, problems: [] as string[] };
  let thrown: unknown;
  let settled: unknown;
  try {
    settled = await withTimeBound(readThrough(c, inputPath(c, p), p), timeoutMs);
  } catch (e) {
    thrown = e;
  }
  const ms = performance.now() - t0;
  if (settled === 'hang') return { ...base, outcome: 'hang', shown: `no answer within ${timeoutMs} ms`, ms };
  if (thrown === undefined) return { ...base, outcome: 'no-error', shown: 'accepted the input', ms };
  if (!isDagflowError(thrown)) return { ...base, outcome: 'crash', shown: String((thrown as Error)?.stack ?? thrown), ms };
  // As the command line shows it: settings by their flags.
  const shown = inCliWords(thrown.toUserMessage());
  const want = c.expect;
  const where = resolve(want.where, p);
  const problems: string[] = [];
  if (thrown.code !== want.code) problems.push(`code ${thrown.code}, expected ${want.code}`);
  if (!shown.startsWith(where === '' ? '' : `${where}: `)) problems.push(`does not start with "${where}: "`);
  if (!shown.includes(resolve(want.message, p))) problems.push(`does not contain "${resolve(want.message, p)}"`);
  const location = JSON.parse(JSON.stringify(thrown.location)) as ErrorLocation;
  const wantLocation = resolveDeep(want.location, p);
  if (JSON.stringify(sortKeys(location)) !== JSON.stringify(sortKeys(wantLocation as ErrorLocation)))
    problems.push(`location ${JSON.stringify(location)}, expected ${JSON.stringify(wantLocation)}`);
  if (!thrown.hint && !shown.includes(' — ')) problems.push('says what is wrong but not what to do');
  return { ...base, outcome: problems.length === 0 ? 'expected' : 'wrong-error', shown, code: thrown.code, location, problems, ms };
}

function sortKeys(o: object): object {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** `node bin/dagflow.mjs ...args` in the project folder. */
export function runCliProcess(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DAGFLOW_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code, stdout, stderr, timedOut });
    });
  });
}

/** Lines a user would take for a stack trace or a raw exception. */
export function looksLikeStackTrace(text: string): boolean {
  return (
    /^\s+at .+(\(|:\d+:\d+)/m.test(text) ||
    /\b(TypeError|RangeError|ReferenceError|SyntaxError):/.test(text) ||
    text.includes('internal error')
  );
}

/** What a command-line run must look like on bad input, as `runCliProcess` or the in-process runner report it. */
export interface CliRunOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
  /** The in-process dispatcher rejected (it must never). */
  rejected?: unknown;
}

/** Judges one run of case `c`: a hang, a crash, no error, or the expected one-line error and no outputs left. */
export function judgeCliRun(c: CliCase, p: Placeholders, run: CliRunOutcome, ms: number, timeoutMs: number): CaseResult {
  const base = { id: c.id, problems: [] as string[], ms };
  const shown = run.stderr.trimEnd();
  if (run.timedOut) return { ...base, outcome: 'hang', shown: `no answer within ${timeoutMs} ms` };
  if (run.rejected !== undefined || looksLikeStackTrace(run.stderr) || (run.exitCode !== 0 && run.exitCode !== 2)) {
    return { ...base, outcome: 'crash', shown: `exit ${run.exitCode}: ${shown}${run.rejected !== undefined ? String(run.rejected) : ''}` };
  }
  if (run.exitCode === 0) return { ...base, outcome: 'no-error', shown: run.stdout.slice(0, 200) };
  const problems: string[] = [];
  if (run.exitCode !== c.expect.exitCode) problems.push(`exit code ${run.exitCode}, expected ${c.expect.exitCode}`);
  const lines = shown.split('\n').filter((l) => !l.startsWith('warning: '));
  if (lines.length !== 1) problems.push(`${lines.length} lines on stderr, expected one`);
  const want = resolve(c.expect.stderr, p);
  if (!shown.includes(want)) problems.push(`stderr does not contain "${want}"`);
  if (run.stdout.trim() !== '') problems.push(`printed on stdout: ${run.stdout.slice(0, 120)}`);
  for (const out of c.noOutput ?? []) if (existsSync(resolve(out, p))) problems.push(`left an output behind: ${resolve(out, p)}`);
  return { ...base, outcome: problems.length === 0 ? 'expected' : 'wrong-error', shown, problems };
}

export async function runCliCase(c: CliCase, p: Placeholders, timeoutMs = 60_000): Promise<CaseResult> {
  const t0 = performance.now();
  const run = await runCliProcess(
    c.args.map((a) => resolve(a, p)),
    timeoutMs,
  );
  return judgeCliRun(c, p, run, performance.now() - t0, timeoutMs);
}

/** Runs `tasks` with at most `limit` at once, keeping their order in the results. */
export async function inParallel<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const k = next++;
      results[k] = await tasks[k]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}
