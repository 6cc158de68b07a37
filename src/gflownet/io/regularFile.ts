/**
 * Inputs must be regular files. A named pipe with no writer blocks `open` forever, and a pipe
 * (`--data <(cat f.csv)`, /dev/fd/N) or a device can be read only once, while the readers look at
 * a file twice (the first bytes to detect its format, then the whole of it) — so the second read
 * found nothing: "the file is empty". Both are now one line, decided from `stat` alone, which
 * never opens (and so never blocks on) the file.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DagflowError } from '../core/errors.ts';

/** What a file that is not a regular file is, in words, or null for a regular file (and a folder, which readers report themselves). */
export function specialFileKind(info: Stats): string | null {
  if (info.isFIFO()) return 'a pipe (a named pipe, or <(…) / /dev/fd from the shell)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return null;
}

/** The hint for a special file: what to do instead. */
export const SPECIAL_FILE_HINT =
  'inputs are read twice (their start to detect the format, then all of it): save the data to a regular file first (… > data.csv) and give that';

/**
 * Refuses `file` when it is a pipe, a device or a socket (one line, decided by `stat`, which does
 * not block on a named pipe); anything else, a missing file included, is left to the reader.
 */
export async function refuseSpecialFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  const special = info === null ? null : specialFileKind(info);
  if (special !== null) throw new DagflowError('IO', `is ${special}, not a regular file`, { file }, SPECIAL_FILE_HINT);
}
