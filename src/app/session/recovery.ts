/**
 * Recovery files: an untitled session (never saved to a file) autosaves to
 * `<folder>/untitled-<pid>-<start time>.dagflow`, one file per app process, so a crash before the
 * first save loses nothing. On the next start the files of processes that are no longer running
 * are offered back. Node only: the Electron main process and the browser-mode server share it.
 */
import * as path from 'node:path';
import { isProcessRunning } from '../../gflownet/io/atomicWrite.ts';
import { SESSION_EXTENSION } from '../../gflownet/session/schema.ts';
import { parseSession, type ParsedSession } from '../../gflownet/session/sessionFile.ts';
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { RecoverableSession } from '../../shared/exchange.ts';
import { ensurePrivateFolder, readPrivateFile } from './privateFolder.ts';
import { autosavePath, listAutosaves } from './sessionStore.ts';

/** `<pid>-<start time in ms>`: what names a recovery file, and what the window asks for. */
export const RECOVERY_ID = /^([0-9]{1,10})-([0-9]{1,16})$/;

export interface RecoveryOptions {
  folder: string;
  /** This process (tests pretend to be another one). */
  pid?: number;
  startedAt?: number;
  /** Whether the process that wrote a file still runs (its session is still in use there). */
  isRunning?: (pid: number) => boolean;
}

export function recoveryId(pid: number, startedAt: number): string {
  return `${pid}-${startedAt}`;
}

export function recoveryPath(folder: string, id: string): string {
  if (!RECOVERY_ID.test(id)) throw new Error(`not a recovery id: ${id}`);
  return autosavePath(folder, id);
}

function idOf(file: string): string | null {
  const id = path.basename(file, SESSION_EXTENSION).slice('untitled-'.length);
  return RECOVERY_ID.test(id) ? id : null;
}

/** Whether the recovery file `id` belongs to this process or another one still running (its session is in use there). */
export function heldByLiveProcess(id: string, options: RecoveryOptions): boolean {
  const pid = Number(RECOVERY_ID.exec(id)?.[1]);
  return pid === (options.pid ?? process.pid) || (options.isRunning ?? isProcessRunning)(pid);
}

/**
 * The recovery files left by processes that are gone, newest first, skipping `exclude` (this
 * process's own file and one it has recovered). A file that cannot be read is listed with the
 * reason, so the window can offer to discard it; listing never throws for one bad file.
 */
export async function listRecoverable(options: RecoveryOptions, exclude: ReadonlySet<string> = new Set()): Promise<RecoverableSession[]> {
  const out: RecoverableSession[] = [];
  // A folder another user could have filled is not offered from at all.
  if (
    !(await ensurePrivateFolder(options.folder).then(
      () => true,
      () => false,
    ))
  )
    return out;
  for (const { file, modified } of await listAutosaves(options.folder).catch(() => [])) {
    const id = idOf(file);
    if (id === null || exclude.has(id)) continue;
    if (heldByLiveProcess(id, options)) continue;
    try {
      const { session } = await readRecoveryFile(file);
      out.push({
        id,
        savedAt: Math.round(modified),
        dataFile: session.data ? path.basename(session.data.path) : null,
        runs: session.runs.length,
      });
    } catch (e) {
      out.push({
        id,
        savedAt: Math.round(modified),
        dataFile: null,
        runs: 0,
        damaged: e instanceof DagflowError ? e.message : 'the file cannot be read',
      });
    }
  }
  return out;
}

/** A recovery file's session, read without following a link and only from a file of this user's. */
export async function readRecoveryFile(file: string): Promise<ParsedSession> {
  const bytes = await readPrivateFile(file).catch((e: unknown) => {
    if (e instanceof DagflowError) throw e;
    throw new DagflowError('IO', `cannot read the recovery file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file });
  });
  return parseSession(bytes.toString('utf8'), file);
}
