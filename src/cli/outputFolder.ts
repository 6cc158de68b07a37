/**
 * The folder a command writes its run into (`--out DIR`): created when missing, and every way
 * that can fail — a file of that name, a symbolic-link loop, no permission — one line naming the
 * folder and the flag, instead of "internal error: EEXIST".
 */
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { explainWriteError } from '../gflownet/io/atomicWrite.ts';

function folderError(e: unknown, folder: string, flag: string): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const where = { file: folder, flag };
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new DagflowError(
        'IO',
        `a file that is not a folder is in the way (${code})`,
        where,
        `give ${flag} a new folder name or an existing folder`,
      );
    case 'ELOOP':
      return new DagflowError('IO', 'the path loops through symbolic links (ELOOP)', where, `give ${flag} a real folder`);
    case 'ENAMETOOLONG':
      return new DagflowError('IO', 'the path is too long (ENAMETOOLONG)', where, `give ${flag} a shorter folder name`);
    default: {
      const explained = explainWriteError(e, path.join(folder, 'x'));
      return explained instanceof DagflowError ? new DagflowError(explained.code, explained.message, where, explained.hint) : explained;
    }
  }
}

/** Creates `dir` (and its parents) if needed and returns it absolute; a DagflowError when it cannot be a folder. */
export async function prepareOutputFolder(dir: string, flag = '--out'): Promise<string> {
  const folder = path.resolve(dir);
  try {
    await mkdir(folder, { recursive: true });
    // mkdir succeeds on an existing folder and on a link to one; anything else is in the way.
    if (!(await stat(folder)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (e) {
    throw folderError(e, folder, flag);
  }
  return folder;
}
