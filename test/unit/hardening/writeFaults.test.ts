/**
 * Faults while writing: the process killed in the middle of a session save or an export (the
 * file on disk is the previous one or a complete new one, never a mix), a read-only output
 * folder and a full disk (a clear one-line error, the previous file intact, no temporary file
 * left behind).
 */
import { spawn, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  watch,
  type FSWatcher,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDagflowError } from '../../../src/gflownet/core/errors.ts';
import { exportRun } from '../../../src/gflownet/export/renderExport.ts';
import { writeFileAtomic } from '../../../src/gflownet/io/atomicWrite.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../src/gflownet/train/checkpoint.ts';
import type { TrainerState } from '../../../src/gflownet/train/trainer.ts';
import { writeEdgeMarginalsCsv, writePosteriorSamplesFile } from '../../../src/gflownet/samples/format.ts';
import { emptySession } from '../../../src/gflownet/session/schema.ts';
import { readSessionFile, writeSessionFile } from '../../../src/gflownet/session/sessionFile.ts';
import { runCliCaptured } from './support/cliInProcess.ts';
import { PROJECT_ROOT } from './support/corpus.ts';
import { runVersion, sessionVersion } from './support/writeLoop.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-writes-'));
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const c of cleanups.reverse()) c();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts the write loop and kills it (SIGKILL) after its first complete write: `delayMs` later,
 * or — for 'inside-a-write' — the moment a temporary file of the next write appears.
 */
function killMidWrite(mode: 'session' | 'export', target: string, when: number | 'inside-a-write'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support', 'writeLoop.ts'), mode, target], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let armed = false;
    let watcher: FSWatcher | undefined;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (armed || !out.includes('wrote 1\n')) return;
      armed = true;
      if (when === 'inside-a-write') {
        watcher = watch(path.dirname(target), (_, name) => {
          if (name?.endsWith('.tmp')) child.kill('SIGKILL');
        });
      } else setTimeout(() => child.kill('SIGKILL'), when);
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code, signal) => {
      watcher?.close();
      if (signal !== 'SIGKILL') reject(new Error(`write loop ended by itself (code ${code}): ${err}`));
      else resolve(out.split('\n').filter((l) => l.startsWith('wrote')).length);
    });
  });
}

const temporaries = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

describe('the process killed while writing', () => {
  // Kill points: right after a write, inside the next one (its temporary file just appeared), a little later.
  const delays: Array<number | 'inside-a-write'> = [0, 'inside-a-write', 'inside-a-write', 150];

  it('leaves a complete session file (the previous one or a newer one) and a complete .bak', async () => {
    const folder = path.join(dir, 'session-kill');
    mkdirSync(folder);
    const target = path.join(folder, 'analysis.dagflow');
    let landedInside = 0;
    for (const delay of delays) {
      await writeSessionFile(target, { ...emptySession(), settings: { version: 0 } });
      const writes = await killMidWrite('session', target, delay);
      // A temporary file left behind: this kill landed inside a write.
      if (temporaries(folder).length > 0) landedInside++;
      const { session } = await readSessionFile(target);
      const version = session.settings.version as number;
      expect(version === 0 || (version >= 1 && version <= writes + 1), `delay ${delay}: version ${version}, ${writes} writes`).toBe(true);
      if (version > 0) expect(JSON.stringify(session)).toBe(JSON.stringify(sessionVersion(version)));
      if (existsSync(`${target}.bak`)) await readSessionFile(`${target}.bak`);
    }
    expect(landedInside).toBeGreaterThan(0);
    // The next save clears what killed writes left behind.
    await writeSessionFile(target, { ...emptySession(), settings: { version: 0 } });
    expect(temporaries(folder)).toEqual([]);
  }, 120_000);

  it('leaves a complete export (the previous one or a newer one)', async () => {
    const folder = path.join(dir, 'export-kill');
    mkdirSync(folder);
    const target = path.join(folder, 'samples.jsonl');
    const previous = 'previous export\n';
    let left = 0;
    let landedInside = 0;
    for (const delay of delays) {
      writeFileSync(target, previous);
      await killMidWrite('export', target, delay);
      if (temporaries(folder).length > left) landedInside++;
      left = temporaries(folder).length;
      const text = readFileSync(target, 'utf8');
      if (text === previous) continue;
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.trimEnd().split('\n');
      expect(lines).toHaveLength(runVersion(1).samples!.length);
      for (const line of [lines[0]!, lines[lines.length - 1]!]) expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(landedInside).toBeGreaterThan(0);
    await writeFileAtomic(target, previous);
    expect(temporaries(folder)).toEqual([]);
  }, 120_000);
});

// ---------------------------------------------------------------- read-only and full folders

/** A folder writes fail in: chmod for a normal user; root ignores modes, so the immutable flag then. */
function makeReadOnly(folder: string): boolean {
  chmodSync(folder, 0o555);
  cleanups.push(() => chmodSync(folder, 0o755));
  if (process.getuid?.() === 0) {
    try {
      execFileSync('chattr', ['+i', folder], { stdio: 'ignore' });
      cleanups.push(() => execFileSync('chattr', ['-i', folder], { stdio: 'ignore' }));
    } catch {
      return false;
    }
  }
  try {
    writeFileSync(path.join(folder, 'probe'), 'x');
    rmSync(path.join(folder, 'probe'));
    return false;
  } catch {
    return true;
  }
}

/** A 256 kB tmpfs (root only): a real full disk. */
function smallDisk(folder: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', folder], { stdio: 'ignore' });
    cleanups.push(() => execFileSync('umount', [folder], { stdio: 'ignore' }));
    return true;
  } catch {
    return false;
  }
}

async function runFolder(): Promise<string> {
  const run = path.join(dir, 'run');
  mkdirSync(run, { recursive: true });
  const columns = ['A', 'B', 'C'];
  await writePosteriorSamplesFile(
    path.join(run, 'samples.jsonl'),
    Array.from({ length: 20 }, (_, k) => ({ edges: k % 2 ? [['A', 'B']] : [['B', 'C']], logScore: -10 - k })),
  );
  await writeEdgeMarginalsCsv(path.join(run, 'edge_marginals.csv'), columns, [0, 0.5, 0, 0, 0, 0.5, 0, 0, 0]);
  writeFileSync(path.join(run, 'summary.json'), '{"method":"mc3"}');
  return run;
}

async function ioError(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    expect(isDagflowError(e), String(e)).toBe(true);
    if (isDagflowError(e)) {
      expect(e.code).toBe('IO');
      return e.toUserMessage();
    }
  }
  throw new Error('the write succeeded');
}

const readOnly = path.join(dir, 'read-only');
mkdirSync(readOnly);
writeFileSync(path.join(readOnly, 'analysis.dagflow'), JSON.stringify({ ...emptySession(), settings: { version: 0 } }));
writeFileSync(path.join(readOnly, 'graph.dot'), 'digraph previous {}\n');
const readOnlyWorks = makeReadOnly(readOnly);

describe('a read-only output folder', () => {
  it.skipIf(!readOnlyWorks)('session save: one clear error, the previous session intact', async () => {
    const before = readFileSync(path.join(readOnly, 'analysis.dagflow'));
    const message = await ioError(writeSessionFile(path.join(readOnly, 'analysis.dagflow'), sessionVersion(1)));
    expect(message).toMatch(/cannot write here: the folder is read-only or not yours \((EACCES|EPERM|EROFS)\) — choose another folder/);
    expect(readFileSync(path.join(readOnly, 'analysis.dagflow'))).toEqual(before);
    expect(temporaries(readOnly)).toEqual([]);
  });

  it.skipIf(!readOnlyWorks)('dagflow export: exit code 2, one line naming the file, the previous export intact', async () => {
    const run = await runFolder();
    const out = path.join(readOnly, 'graph.dot');
    const result = await runCliCaptured(['export', '--run', run, '--format', 'dot', '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`dagflow export: ${out}: cannot write here: the folder is read-only or not yours`);
    expect(readFileSync(out, 'utf8')).toBe('digraph previous {}\n');
  });
});

const fullDisk = path.join(dir, 'full-disk');
mkdirSync(fullDisk);
const fullDiskWorks = smallDisk(fullDisk);

describe('a full disk', () => {
  it.skipIf(!fullDiskWorks)('an export that does not fit: one clear error, the previous file intact, no temporary file', async () => {
    const target = path.join(fullDisk, 'samples.jsonl');
    writeFileSync(target, 'previous export\n');
    const message = await ioError(exportRun(runVersion(1), 'samples-jsonl', target));
    expect(message).toBe(`${target}: the disk is full (ENOSPC); nothing was written — free some space or choose another disk`);
    expect(readFileSync(target, 'utf8')).toBe('previous export\n');
    expect(temporaries(fullDisk)).toEqual([]);
    // Space is back: the next write works.
    await writeFileAtomic(target, 'small\n');
    expect(readFileSync(target, 'utf8')).toBe('small\n');
  });

  it('a write that fails half-way (injected ENOSPC) leaves the previous file and no temporary file', async () => {
    const folder = path.join(dir, 'injected');
    mkdirSync(folder);
    const target = path.join(folder, 'analysis.dagflow');
    writeFileSync(target, 'previous');
    async function* halfThenFull(): AsyncGenerator<string> {
      yield 'x'.repeat(64 * 1024);
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    }
    const message = await ioError(writeFileAtomic(target, halfThenFull()));
    expect(message).toContain('the disk is full (ENOSPC); nothing was written');
    expect(readFileSync(target, 'utf8')).toBe('previous');
    expect(temporaries(folder)).toEqual([]);
  });
});

describe('a GFlowNet checkpoint save interrupted between its two files', () => {
  it('leaves the previous checkpoint loadable instead of mixing the weights of one save with the counters of another', () => {
    // Only the file pair matters here, so a small stand-in state of the same shapes as a real one.
    const state = (step: number, w: number[]): TrainerState => ({ d: 3, step, weights: Float32Array.from(w) }) as unknown as TrainerState;
    const kept = path.join(dir, 'checkpoint-kept');
    saveCheckpoint(kept, state(100, [1, 2, 3]), { kind: 'test' });
    // The next save wrote its arrays file, then the process died before checkpoint.json was replaced.
    expect(() =>
      saveCheckpoint(
        kept,
        state(200, [4, 5, 6]),
        { kind: 'test' },
        {
          afterArraysWritten: () => {
            throw new Error('killed');
          },
        },
      ),
    ).toThrow(/killed/);
    expect(loadCheckpoint<{ kind: string }>(kept).state).toMatchObject({ step: 100, weights: Float32Array.from([1, 2, 3]) });
    saveCheckpoint(kept, state(300, [7, 8, 9]), { kind: 'test' });
    expect(loadCheckpoint<{ kind: string }>(kept).state).toMatchObject({ step: 300 });
    expect(readdirSync(kept).filter((f) => f.startsWith('arrays'))).toHaveLength(1);
  });
});
