/**
 * Reading and writing `.dagflow` files, and moving runs between run folders and sessions.
 *
 * Reading never changes the file: JSON errors (a truncated or damaged file), foreign JSON and
 * files from a newer version are SessionErrors with the reason; older versions are migrated
 * in memory. Writing is atomic and keeps the previous file as `<name>.bak`.
 */
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { bracketsTooDeep, MAX_NESTING_DEPTH } from '../io/nesting.ts';
import { refuseSpecialFile } from '../io/regularFile.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';
import type { RunResults } from '../export/runDirectory.ts';
import { edgeMarginalsFromSamples } from '../samples/format.ts';
import { sha256Hex } from './dataReference.ts';
import { migrateSession } from './migrate.ts';
import { packSampleRecords, unpackSampleRecords } from './packedSamples.ts';
import {
  SESSION_FORMAT,
  SESSION_VERSION,
  SessionError,
  validateSession,
  type CheckpointFile,
  type JsonObject,
  type SessionFile,
  type SessionRun,
} from './schema.ts';

export interface ParsedSession {
  session: SessionFile;
  /** The version the file was written in (older ones were migrated in memory). */
  fromVersion: number;
  migrated: boolean;
}

export function parseSession(text: string, file?: string): ParsedSession {
  // Migration and validation walk the document recursively: bound its depth before they can exhaust the stack.
  const deep = bracketsTooDeep(text, '{[', '}]');
  if (deep)
    throw new SessionError(
      'corrupt',
      `the session file is nested more than ${MAX_NESTING_DEPTH} levels deep (line ${deep.line})`,
      file,
      'the file is damaged or was not written by DAGFlow; open its .bak copy if there is one',
    );
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    if (looksLikeDataTable(text)) {
      throw new SessionError(
        'data-table',
        'this is a data table (delimited text), not a DAGFlow session',
        file,
        'open it as data instead, or choose a .dagflow file',
      );
    }
    throw new SessionError(
      'corrupt',
      describeJsonFailure(text, (e as Error).message),
      file,
      'the file was not changed; open its .bak copy if there is one',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionError('not-a-session', 'this JSON file is not a DAGFlow session', file, 'open a .dagflow file saved by DAGFlow');
  }
  const { document, from, migrated } = migrateSession(value as JsonObject, file);
  return { session: validateSession(document, file), fromVersion: from, migrated };
}

/**
 * A CSV, TSV or semicolon-separated table (what "Open session…" is most often given by mistake):
 * text that does not open like JSON, whose first two lines split into the same number (≥ 2) of
 * fields by one delimiter.
 */
function looksLikeDataTable(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '' || body.startsWith('{') || body.startsWith('[')) return false;
  // eslint-disable-next-line no-control-regex -- binary content is not a table
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(body.slice(0, 1024))) return false;
  const [first, second] = body.slice(0, 64 * 1024).split(/\r?\n/);
  if (first === undefined || second === undefined) return false;
  return [',', ';', '\t'].some((delimiter) => {
    const n = first.split(delimiter).length;
    return n >= 2 && second.split(delimiter).length === n;
  });
}

/**
 * Why a session's text is not JSON, in words a user can act on: empty, not text at all (a
 * binary or compressed file), cut short, or a syntax error at a line and column (for a file
 * edited by hand) — never the raw bytes around the error.
 */
function describeJsonFailure(text: string, parserMessage: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '') return 'the session file is empty';
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text.slice(0, 1024)))
    return 'the session file is not text (a binary or compressed file?), so it is not a DAGFlow session';
  const truncated = !trimmed.endsWith('}');
  const position = Number(parserMessage.match(/at position (\d+)/)?.[1] ?? NaN);
  let where = '';
  if (Number.isInteger(position)) {
    const before = text.slice(0, position).replace(/^\uFEFF/, '');
    const line = before.split('\n').length;
    where = ` at line ${line}, column ${position - before.lastIndexOf('\n')}`;
  }
  const reason = parserMessage.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
  return `the session file is not valid JSON${truncated ? ' (it looks truncated)' : ''}${where}: ${reason}`;
}

/** Compact JSON (sessions hold thousands of samples) with a fixed key order from the objects. */
export function serializeSession(session: SessionFile): string {
  validateSession(session);
  return JSON.stringify(session) + '\n';
}

export async function readSessionFile(file: string): Promise<ParsedSession> {
  let text: string;
  await refuseSpecialFile(file);
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DagflowError(
      'IO',
      code === 'ENOENT' ? 'the session file does not exist' : `cannot read the session file (${code ?? String(e)})`,
      { file },
    );
  }
  return parseSession(text, file);
}

export function backupPathFor(file: string): string {
  return `${file}.bak`;
}

/**
 * What is at `file` now, before it is replaced: a session this app may overwrite, nothing, or
 * something it must not overwrite (a session from a newer version).
 */
async function checkOverwrite(file: string): Promise<{ bytes: Uint8Array; mode: number } | null> {
  let bytes: Buffer;
  let mode: number;
  try {
    const handle = await open(file, 'r');
    try {
      mode = (await handle.stat()).mode & 0o7777;
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DagflowError('IO', `cannot read the existing file before replacing it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, {
      file,
    });
  }
  let value: unknown = null;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    // a damaged session: kept as the .bak and replaced (anything else is refused below)
  }
  const version = (value as { format?: unknown; version?: unknown } | null)?.version;
  if ((value as { format?: unknown } | null)?.format === SESSION_FORMAT && typeof version === 'number' && version > SESSION_VERSION) {
    throw new SessionError(
      'newer-version',
      `will not overwrite a session saved in the newer format version ${version}`,
      file,
      'save under another name, or update DAGFlow',
    );
  }
  const isSession = (value as { format?: unknown } | null)?.format === SESSION_FORMAT || (value === null && startsLikeSession(bytes));
  if (!isSession) {
    // A data file, another program's JSON …: saving over it would leave its only copy in a .bak that the next save replaces.
    throw new SessionError(
      'not-a-session',
      'will not replace a file that is not a DAGFlow session',
      file,
      'choose another name for the session (…/name.dagflow)',
    );
  }
  return { bytes, mode };
}

/** Whether the bytes begin as DAGFlow writes a session, even if the rest is cut or damaged. */
function startsLikeSession(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 256))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return /^\s*\{\s*"format"\s*:\s*"dagflow/.test(head);
}

/**
 * A `.bak` is replaced only when it holds a session (the previous save). Anything else there
 * may be the only copy of some file (an older version of DAGFlow moved non-session files
 * aside this way), so the save stops instead.
 */
async function checkBackupReplaceable(backup: string): Promise<void> {
  let head: Uint8Array;
  try {
    const handle = await open(backup, 'r');
    try {
      const buffer = new Uint8Array(256);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new DagflowError(
      'IO',
      `cannot read the existing backup before replacing it (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      { file: backup },
    );
  }
  if (head.length > 0 && !startsLikeSession(head)) {
    throw new SessionError(
      'not-a-session',
      'the backup holds a file that is not a DAGFlow session, perhaps its only copy: it was not replaced and nothing was saved',
      backup,
      'move it elsewhere, then save again',
    );
  }
}

export interface WriteSessionOptions {
  /**
   * A private file (an autosave in a folder of this user's alone): written with mode 0600,
   * and what is at `file` now is neither read nor kept as a `.bak`, so a file planted there
   * (or a link to one) is never copied anywhere.
   */
  private?: boolean;
}

/** Atomic save; the file that was there becomes `<file>.bak` (itself written atomically). */
export async function writeSessionFile(
  file: string,
  session: SessionFile,
  options: WriteSessionOptions = {},
): Promise<{ bytes: number; backup: string | null }> {
  const text = serializeSession(session);
  if (options.private) return { bytes: await writeFileAtomic(file, text, { exactMode: 0o600 }), backup: null };
  await mkdir(path.dirname(path.resolve(file)), { recursive: true }).catch(() => undefined);
  const previous = await checkOverwrite(file);
  let backup: string | null = null;
  if (previous !== null) {
    backup = backupPathFor(file);
    await checkBackupReplaceable(backup);
    // The copy is as private as the original, whatever an older .bak allowed.
    await writeFileAtomic(backup, previous.bytes, { exactMode: previous.mode });
  }
  const bytes = await writeFileAtomic(file, text);
  return { bytes, backup };
}

// ---------------------------------------------------------------- runs ⇄ sessions

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/** Every file of a checkpoint folder, sorted by name, base64 with its hash. */
export async function readCheckpointFolder(dir: string): Promise<CheckpointFile[]> {
  const files = await listFiles(dir);
  return Promise.all(
    files.map(async (name) => {
      const bytes = await readFile(path.join(dir, ...name.split('/')));
      return { name, encoding: 'base64' as const, content: bytes.toString('base64'), sha256: sha256Hex(bytes) };
    }),
  );
}

/** Restore a run's checkpoint folder (to resume training), checking every file's hash. */
export async function writeCheckpointFolder(files: readonly CheckpointFile[], dir: string): Promise<void> {
  for (const f of files) {
    const bytes = Buffer.from(f.content, 'base64');
    if (sha256Hex(bytes) !== f.sha256)
      throw new SessionError(
        'corrupt',
        `checkpoint file ${f.name} does not match its SHA-256`,
        undefined,
        'the session is damaged; train again',
      );
    const target = path.join(dir, ...f.name.split('/'));
    if (!path.resolve(target).startsWith(path.resolve(dir) + path.sep))
      throw new SessionError('invalid', `checkpoint file name ${f.name} leaves the folder`, undefined);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes);
  }
}

export interface SessionRunOptions {
  id: string;
  label?: string;
  settings?: JsonObject;
  /** Also store the checkpoint/ folder of the run, when there is one. */
  checkpointDir?: string;
}

function toJsonObject(value: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

/** A run folder's results as a session run (samples, marginals, summary; optionally the checkpoint). */
export async function sessionRunFromResults(run: RunResults, options: SessionRunOptions): Promise<SessionRun> {
  const summary = toJsonObject(run.summary);
  const method = typeof summary.method === 'string' ? summary.method : typeof summary.objective === 'string' ? 'gflownet' : 'unknown';
  const out: SessionRun = { id: options.id, method, columns: [...run.columns], settings: options.settings ?? {}, summary };
  if (options.label !== undefined) out.label = options.label;
  if (typeof summary.seed === 'number') out.seed = summary.seed;
  if (run.samples) out.packedSamples = packSampleRecords(run.samples, run.columns);
  out.edgeMarginals = Array.from(run.marginals);
  if (run.marginalsFrom !== 'session') out.marginalsFrom = run.marginalsFrom;
  if (options.checkpointDir !== undefined) out.checkpoint = await readCheckpointFolder(options.checkpointDir);
  return out;
}

/** A run's samples as named edge lists, whichever way the file stored them; null for a run without samples. */
export function sessionRunSamples(run: SessionRun): PosteriorSampleRecord[] | null {
  if (run.packedSamples) return unpackSampleRecords(run.packedSamples, run.columns);
  return run.samples ?? null;
}

/** How many samples a run holds, without unpacking them. */
export function sessionRunSampleCount(run: SessionRun): number {
  return run.packedSamples?.count ?? run.samples?.length ?? 0;
}

/**
 * The run with named samples (a version-1 file's) packed, everything else as it was: what the
 * app keeps of an opened session, so its next autosave writes the small form.
 */
export function compactSessionRun(run: SessionRun): SessionRun {
  if (!run.samples) return run;
  const { samples, ...rest } = run;
  return { ...rest, packedSamples: packSampleRecords(samples, run.columns) };
}

/** A session run in the shape every exporter takes. */
export function resultsFromSessionRun(run: SessionRun, source: string): RunResults {
  const samples = sessionRunSamples(run);
  if (run.edgeMarginals)
    return {
      source,
      columns: [...run.columns],
      summary: { ...run.summary },
      samples,
      marginals: Float64Array.from(run.edgeMarginals),
      marginalsFrom: run.marginalsFrom ?? 'session',
    };
  return {
    source,
    columns: [...run.columns],
    summary: { ...run.summary },
    samples,
    marginals: edgeMarginalsFromSamples(samples ?? [], run.columns, source),
    marginalsFrom: 'samples.jsonl',
  };
}
