/**
 * `runCli` in this process with its output captured: the dispatcher prints through
 * process.stdout/stderr.write, which are swapped for the duration of one call. Fast enough to
 * run hundreds of invocations (fuzzing) where a subprocess each would take seconds.
 */
import { runCli } from '../../../../src/cli/main.ts';
import { type CliCase, type CaseResult, type Placeholders, judgeCliRun, resolve } from './corpus.ts';

export interface CapturedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when runCli itself rejected (it must never). */
  rejected?: unknown;
}

export async function runCliCaptured(args: readonly string[]): Promise<CapturedRun> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (s: string) => void) =>
    (chunk: string | Uint8Array): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    };
  process.stdout.write = capture((s) => (stdout += s)) as typeof process.stdout.write;
  process.stderr.write = capture((s) => (stderr += s)) as typeof process.stderr.write;
  try {
    const exitCode = await runCli(args);
    return { exitCode, stdout, stderr };
  } catch (e) {
    return { exitCode: -1, stdout, stderr, rejected: e };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The same checks as runCliCase, on an in-process run. */
export async function runCliCaseInProcess(c: CliCase, p: Placeholders): Promise<CaseResult> {
  const t0 = performance.now();
  const run = await runCliCaptured(c.args.map((a) => resolve(a, p)));
  return judgeCliRun(c, p, run, performance.now() - t0, 0);
}
