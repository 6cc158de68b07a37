/**
 * The data a session was computed on, identified by content (SHA-256 of the bytes), not only
 * by path: on reopen the file is looked for where it was and beside the session; if it moved,
 * the app asks for it and `relocateData` accepts the new path only when the bytes are the
 * same. Optionally the data travels inside the session (`embedded`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { SessionError, type DataReference } from './schema.ts';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 and size of a file, streamed (data files can be large). */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch (e) {
    throw new DagflowError('IO', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file });
  }
  return { sha256: hash.digest('hex'), bytes };
}

export interface DataReferenceOptions {
  /** Put the file's content into the session (text as UTF-8 when it is valid UTF-8, else base64). */
  embed?: boolean;
}

export async function makeDataReference(
  dataFile: string,
  sessionFile: string | null,
  options: DataReferenceOptions = {},
): Promise<DataReference> {
  const absolute = path.resolve(dataFile);
  const { sha256, bytes } = await hashFile(absolute);
  const ref: DataReference = { path: absolute, sha256, bytes };
  if (sessionFile !== null)
    ref.relativePath = path
      .relative(path.dirname(path.resolve(sessionFile)), absolute)
      .split(path.sep)
      .join('/');
  if (options.embed) {
    const content = await readFile(absolute);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
    ref.embedded = Buffer.from(text, 'utf8').equals(content)
      ? { encoding: 'utf8', content: text }
      : { encoding: 'base64', content: content.toString('base64') };
  }
  return ref;
}

export type DataResolution =
  /** The data file is where expected (or beside the session) with the same bytes. */
  | { status: 'found'; path: string }
  /** Not found, but the session carries the data: the app can use `embeddedDataBytes`. */
  | { status: 'embedded'; tried: string[] }
  /** Not found anywhere: ask the user for the file, then call relocateData. */
  | { status: 'missing'; tried: string[] }
  /** A file is there but its bytes differ from what the runs were computed on. */
  | { status: 'changed'; path: string; expected: string; actual: string };

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Where is the session's data now? Checks the saved path, then the path relative to the session. */
export async function resolveDataReference(ref: DataReference, sessionFile: string | null): Promise<DataResolution> {
  const candidates = [ref.path];
  if (ref.relativePath !== undefined && sessionFile !== null)
    candidates.push(path.resolve(path.dirname(path.resolve(sessionFile)), ref.relativePath));
  const tried = [...new Set(candidates)];
  let changed: { path: string; actual: string } | null = null;
  for (const candidate of tried) {
    if (!(await exists(candidate))) continue;
    const { sha256 } = await hashFile(candidate);
    if (sha256 === ref.sha256) return { status: 'found', path: candidate };
    changed ??= { path: candidate, actual: sha256 };
  }
  if (changed) return { status: 'changed', path: changed.path, expected: ref.sha256, actual: changed.actual };
  return ref.embedded ? { status: 'embedded', tried } : { status: 'missing', tried };
}

/** The user picked a new location for the data: accept it only if the bytes are the ones the runs used. */
export async function relocateData(ref: DataReference, newPath: string, sessionFile: string | null): Promise<DataReference> {
  const absolute = path.resolve(newPath);
  const { sha256, bytes } = await hashFile(absolute);
  if (sha256 !== ref.sha256) {
    throw new SessionError(
      'data-changed',
      `this is not the data the session was computed on (SHA-256 ${sha256.slice(0, 12)}…, expected ${ref.sha256.slice(0, 12)}…, ${bytes} bytes, expected ${ref.bytes})`,
      absolute,
      'choose the original file; a changed data set needs new runs',
    );
  }
  const moved: DataReference = { ...ref, path: absolute };
  if (sessionFile !== null)
    moved.relativePath = path
      .relative(path.dirname(path.resolve(sessionFile)), absolute)
      .split(path.sep)
      .join('/');
  else delete moved.relativePath;
  return moved;
}

/** The embedded data's bytes, checked against the recorded hash. */
export function embeddedDataBytes(ref: DataReference, sessionFile?: string): Uint8Array {
  if (!ref.embedded) throw new SessionError('data-missing', 'the session does not carry its data', sessionFile, 'locate the data file');
  const bytes = ref.embedded.encoding === 'utf8' ? Buffer.from(ref.embedded.content, 'utf8') : Buffer.from(ref.embedded.content, 'base64');
  if (sha256Hex(bytes) !== ref.sha256)
    throw new SessionError(
      'corrupt',
      'the embedded data does not match its recorded SHA-256',
      sessionFile,
      'the session file is damaged; locate the original data file',
    );
  return new Uint8Array(bytes);
}

/**
 * The data is gone but the session carries it: write it to `targetFile` (for example in the
 * app's data folder) and point the reference there, so the loaders can read a real file.
 */
export async function restoreEmbeddedData(ref: DataReference, targetFile: string, sessionFile: string | null): Promise<DataReference> {
  await writeFileAtomic(path.resolve(targetFile), embeddedDataBytes(ref, sessionFile ?? undefined));
  return relocateData(ref, targetFile, sessionFile);
}
