/**
 * A command must never write over what it reads: `dagflow export --run R --out R/samples.jsonl`
 * replaced the run's own samples, and `dagflow session --create data.csv --data data.csv` moved
 * the data aside as a .bak that the next run overwrote. The output is compared with each input
 * by its real path (links resolved) and, when both exist, by device and inode (hard links).
 */
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';

export interface CommandInput {
  path: string;
  /** The flag that named it, for the message. */
  flag: string;
  /** A folder whose every file belongs to the input (a run folder). */
  folder?: boolean;
}

/** The real path of `file`, resolving links in every part that exists (the file itself may not). */
async function realPathOf(file: string): Promise<string> {
  const absolute = path.resolve(file);
  try {
    return await realpath(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(await realPathOf(parent), path.basename(absolute));
  }
}

async function sameInode(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Throws when `out` (given to `outFlag`) is one of `inputs` or a file inside an input folder. */
export async function refuseOwnInput(out: string, outFlag: string, inputs: readonly CommandInput[]): Promise<void> {
  const realOut = await realPathOf(out);
  for (const input of inputs) {
    const realIn = await realPathOf(input.path);
    if (input.folder) {
      if (realOut === realIn || realOut.startsWith(realIn + path.sep)) {
        throw new DagflowError(
          'BAD_OPTION',
          `is inside the folder given to ${input.flag}: the command would replace files it reads`,
          { file: out, flag: outFlag },
          `write to a file outside ${input.path}`,
        );
      }
    } else if (realOut === realIn || (await sameInode(out, input.path))) {
      throw new DagflowError(
        'BAD_OPTION',
        `is the file given to ${input.flag}: the command would overwrite its own input`,
        { file: out, flag: outFlag },
        'choose another output file',
      );
    }
  }
}
