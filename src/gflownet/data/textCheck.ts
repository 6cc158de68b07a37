/**
 * The first look at a file before any CSV parsing: is it empty, is it text at all (a
 * spreadsheet, a zip or a UTF-16 export are common mistakes), and does it start with a
 * UTF-8 byte-order mark. Only the first bytes are read, so this is instant on any size.
 */
import { open, stat } from 'node:fs/promises';
import { DagflowError } from '../core/errors.ts';
import { SPECIAL_FILE_HINT, specialFileKind } from '../io/regularFile.ts';

export interface FileSniff {
  /** Size in bytes. */
  size: number;
  /** Bytes to skip at the start (3 for a UTF-8 BOM). */
  bomBytes: number;
  /** The first bytes decoded as UTF-8 (BOM removed), for delimiter detection and previews. */
  sample: string;
  /** Whether `sample` holds the whole file. */
  complete: boolean;
}

/** Bytes checked for NUL and invalid UTF-8. */
const CHECK_BYTES = 1024;

export async function sniffFile(file: string, sampleBytes = 64 * 1024): Promise<FileSniff> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new DagflowError('IO', 'is a folder, not a file', { file }, 'choose a CSV file');
    const special = specialFileKind(info);
    if (special !== null) throw new DagflowError('IO', `is ${special}, not a regular file`, { file }, SPECIAL_FILE_HINT);
    size = info.size;
  } catch (e) {
    if (e instanceof DagflowError) throw e;
    throw new DagflowError(
      'IO',
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { file },
      'check the path and permissions',
    );
  }
  const handle = await open(file, 'r');
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(size, sampleBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  checkIsText(bytes, file);
  const bomBytes = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const complete = bytes.length >= size;
  // A sample cut inside a multi-byte character is decoded in streaming mode so the tail is dropped, not mangled.
  const sample = new TextDecoder('utf-8').decode(bytes.subarray(bomBytes), { stream: !complete });
  if (sample.trim() === '') {
    throw new DagflowError(
      'EMPTY_FILE',
      size === 0 ? 'the file is empty' : 'the file holds only blank space',
      { file },
      'choose a CSV file with a header row and data rows',
    );
  }
  return { size, bomBytes, sample, complete };
}

/** Throws NOT_TEXT, saying what the file looks like, when the first bytes are not UTF-8 text. */
export function checkIsText(bytes: Uint8Array, file: string): void {
  const head = bytes.subarray(0, CHECK_BYTES);
  const hint = 'save or export the data as a UTF-8 CSV file (comma, semicolon or tab separated)';
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    const order = head[0] === 0xff ? 'little-endian' : 'big-endian';
    throw new DagflowError('NOT_TEXT', `the file is UTF-16 text (${order} byte-order mark), not UTF-8`, { file }, hint);
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new DagflowError('NOT_TEXT', 'the file is a zip archive (an .xlsx workbook?), not text', { file }, hint);
  }
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new DagflowError('NOT_TEXT', `the file is not text: it contains a NUL byte at offset ${nul}`, { file }, hint);
  }
  try {
    // stream: true so that a character cut at the end of the checked bytes is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    throw new DagflowError(
      'NOT_TEXT',
      'the file is not valid UTF-8 text (in its first kilobyte)',
      { file },
      `${hint}; a Latin-1 or Windows-1252 file must be converted to UTF-8`,
    );
  }
}
