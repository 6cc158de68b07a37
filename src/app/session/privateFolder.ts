/**
 * The recovery folder holds whole sessions (data paths, results, sometimes the data itself), so
 * only this user may list or read it. Browser mode used `/tmp/dagflow-recovery`: another user
 * could create it first (0777, or owned by them), and our files in it were 0644 and written
 * through any symbolic link planted there. Now the folder is created 0700, and before every use
 * it must be a real folder (not a link), owned by this user, with no access for group or others;
 * a folder of ours that is too open is closed (an older DAGFlow made it 0755), a folder of
 * someone else's is refused. Files in it are written 0600 and read without following links
 * (recovery.ts, sessionStore.ts).
 */
import { constants, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, open } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { DagflowError } from '../../gflownet/core/errors.ts';

/** This process's user id, or undefined where there is none (Windows: the folder lives in the user's profile). */
function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/**
 * The default recovery folder of browser mode: under the user's state folder
 * (`$XDG_STATE_HOME/dagflow/recovery`, else `~/.local/state/dagflow/recovery`), never a shared
 * name in the temp folder; without a home folder, one named by the user id in the temp folder.
 */
export function defaultRecoveryFolder(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : null;
  let home = '';
  try {
    home = homedir();
  } catch {
    // no home folder (a system account): the temp folder, by user id
  }
  if (state) return path.join(state, 'dagflow', 'recovery');
  if (home) return path.join(home, '.local', 'state', 'dagflow', 'recovery');
  return path.join(tmpdir(), `dagflow-recovery-${currentUid() ?? 'user'}`);
}

function refuse(folder: string, what: string): never {
  throw new DagflowError(
    'IO',
    `the recovery folder ${what}, so unsaved sessions are not written there`,
    { file: folder },
    'remove it, or start with --recovery-dir pointing to a folder of your own',
  );
}

/** Refuses a folder another user could read, write or replace; closes a too-open folder of ours. */
async function checkPrivate(folder: string, info: Stats): Promise<void> {
  if (info.isSymbolicLink()) refuse(folder, 'is a symbolic link');
  if (!info.isDirectory()) refuse(folder, 'is not a folder');
  const uid = currentUid();
  if (uid === undefined) return;
  if (info.uid !== uid) refuse(folder, `belongs to another user (uid ${info.uid})`);
  if ((info.mode & 0o077) !== 0) await chmod(folder, 0o700);
}

/** Creates `folder` 0700 if it is missing (its parents as usual) and makes sure it is this user's alone. */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(path.dirname(folder), { recursive: true });
  try {
    await mkdir(folder, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  await checkPrivate(folder, await lstat(folder));
}

/**
 * The bytes of a file in the private folder, read without following a symbolic link and only
 * when it is a regular file of this user's: what we did not write is never read (or copied).
 */
export async function readPrivateFile(file: string): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new DagflowError('IO', 'is a symbolic link, not a recovery file of this app', { file }, 'discard it');
    throw e;
  });
  try {
    const info = await handle.stat();
    const uid = currentUid();
    if (!info.isFile()) throw new DagflowError('IO', 'is not a regular file', { file }, 'discard it');
    if (uid !== undefined && info.uid !== uid)
      throw new DagflowError('IO', `belongs to another user (uid ${info.uid}), not to this app`, { file }, 'discard it');
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
