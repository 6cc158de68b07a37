/**
 * Atomic file writes: the content goes to a temporary file in the same folder (so the final
 * rename never crosses a file system), is flushed to disk with fsync, and only then renamed
 * over the target. A reader therefore sees either the old file or the complete new one,
 * never a half-written file; a failure at any point removes the temporary file and leaves
 * the target untouched. Every export and every session save goes through here.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';

export type Chunk = string | Uint8Array;
/** Whole content, or chunks produced one after another (a generator may throw half-way). */
export type AtomicContent = Chunk | Iterable<Chunk> | AsyncIterable<Chunk>;

export interface AtomicWriteOptions {
  /** File mode of a new file (default 0o644, minus the umask); an existing target keeps its mode. */
  mode?: number;
  /**
   * The mode the file gets whatever was there before, exactly (no umask): a backup takes the
   * mode of the file it copies, so a 0600 session never gets a 0644 `.bak`.
   */
  exactMode?: number;
}

/**
 * The mode of the written file: `exactMode`, else the target's own (so a rewrite never widens
 * or narrows it), else `mode` for a new file. `exact` says whether the umask may apply.
 */
function chooseMode(existing: number | undefined, options: AtomicWriteOptions): { mode: number; exact: boolean } {
  if (options.exactMode !== undefined) return { mode: options.exactMode & 0o7777, exact: true };
  if (existing !== undefined) return { mode: existing, exact: true };
  return { mode: options.mode ?? 0o644, exact: false };
}

/** The temporary name beside the target: hidden, unique per call, recognisable if ever left. */
export function temporaryPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function isChunk(content: AtomicContent): content is Chunk {
  return typeof content === 'string' || content instanceof Uint8Array;
}

function bytesOf(chunk: Chunk): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** Turn a Node file-system error into one line a user can act on. Other errors pass through. */
export function explainWriteError(e: unknown, target: string): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const folder = path.dirname(target);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new DagflowError(
        'IO',
        `cannot write here: the folder is read-only or not yours (${code})`,
        { file: target },
        `choose another folder than ${folder}`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new DagflowError(
        'IO',
        `the disk is full (${code}); nothing was written`,
        { file: target },
        'free some space or choose another disk',
      );
    case 'ENOENT':
    case 'ENOTDIR':
      return new DagflowError(
        'IO',
        `the folder does not exist (${code})`,
        { file: target },
        `create ${folder} first or choose another folder`,
      );
    case 'EISDIR':
      return new DagflowError('IO', 'a folder has this name', { file: target }, 'choose a file name');
    default:
      return e;
  }
}

async function existingMode(target: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(target)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Best effort: make the rename itself durable. Some platforms (Windows) cannot open folders. */
function fsyncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported here; the file content itself is already on disk
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Whether a process with this pid exists (a temporary file of a live writer must be left alone). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The names in a folder, or none when it cannot be read (for best-effort clean-ups). */
export function namesInFolder(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Temporary files of `target` left by a process that was killed mid-write (their pid is no
 * longer running): removed after the next successful write, so crashes do not pile up
 * hidden copies of large exports. Best effort.
 */
function removeStaleTemporaries(target: string): void {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.`;
  for (const name of namesInFolder(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || isProcessRunning(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Write `content` to `target` atomically. Resolves with the number of bytes written. */
export async function writeFileAtomic(target: string, content: AtomicContent, options: AtomicWriteOptions = {}): Promise<number> {
  const { mode, exact } = chooseMode(await existingMode(target), options);
  const temporary = temporaryPathFor(target);
  let handle: fsp.FileHandle | undefined;
  let bytes = 0;
  try {
    // Created with the final mode (never wider than the file it replaces, even for a moment),
    // then set exactly, since the umask may have narrowed it.
    handle = await fsp.open(temporary, 'wx', mode);
    if (exact) await handle.chmod(mode);
    const write = async (chunk: Chunk): Promise<void> => {
      const data = bytesOf(chunk);
      let offset = 0;
      while (offset < data.length) offset += (await handle!.write(data, offset, data.length - offset)).bytesWritten;
      bytes += data.length;
    };
    if (isChunk(content)) await write(content);
    else if (Symbol.asyncIterator in content) for await (const chunk of content) await write(chunk);
    else for (const chunk of content) await write(chunk);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(temporary, target);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.rm(temporary, { force: true }).catch(() => undefined);
    throw explainWriteError(e, target);
  }
  fsyncFolder(path.dirname(target));
  removeStaleTemporaries(target);
  return bytes;
}

/** The synchronous twin, for the last save when a process is about to exit. */
export function writeFileAtomicSync(target: string, content: Chunk | Iterable<Chunk>, options: AtomicWriteOptions = {}): number {
  let existing: number | undefined;
  try {
    existing = fs.statSync(target).mode & 0o7777;
  } catch {
    // new file
  }
  const { mode, exact } = chooseMode(existing, options);
  const temporary = temporaryPathFor(target);
  let fd: number | undefined;
  let bytes = 0;
  try {
    fd = fs.openSync(temporary, 'wx', mode);
    if (exact) fs.fchmodSync(fd, mode);
    const chunks: Iterable<Chunk> = isChunk(content) ? [content] : content;
    for (const chunk of chunks) {
      const data = bytesOf(chunk);
      let offset = 0;
      while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
      bytes += data.length;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    fs.rmSync(temporary, { force: true });
    throw explainWriteError(e, target);
  }
  fsyncFolder(path.dirname(target));
  removeStaleTemporaries(target);
  return bytes;
}
