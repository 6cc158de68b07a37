/**
 * The open session of the app: the one place that reads and (auto)saves a `.dagflow` file.
 * Node only (no Electron), so the Electron main process and the browser-mode server share it.
 *
 * - Every change calls `update`; the file is written `debounceMs` after the last change
 *   (a burst of changes gives one write), atomically, with the previous file kept as `.bak`.
 * - Writes are serialised: a save never overlaps another one.
 * - Opening a damaged or newer-version file throws a SessionError and creates no store, so
 *   nothing can be written over it.
 * - On open the data reference is resolved; when the data moved the UI asks for the file and
 *   calls `relocateData`, which accepts it only if its SHA-256 matches.
 */
import { lstat, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { relocateData, resolveDataReference, type DataResolution } from '../../gflownet/session/dataReference.ts';
import { SESSION_EXTENSION, emptySession, type SessionFile } from '../../gflownet/session/schema.ts';
import { backupPathFor, readSessionFile, writeSessionFile } from '../../gflownet/session/sessionFile.ts';
import { ensurePrivateFolder } from './privateFolder.ts';

export interface Scheduler {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Scheduler = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SaveEvent {
  file: string;
  bytes: number;
  backup: string | null;
  reason: 'autosave' | 'flush' | 'save-as';
}

export interface SessionStoreOptions {
  /** Quiet time after the last change before an autosave (default 1500 ms). */
  debounceMs?: number;
  scheduler?: Scheduler;
  onSaved?: (event: SaveEvent) => void;
  /** An autosave failed (disk full, folder gone …); the session stays dirty and is retried on the next change or flush. */
  onError?: (error: unknown) => void;
  /**
   * A recovery file: its folder must be this user's alone (checked before every write), the
   * file is written 0600 and without a `.bak`, and nothing already at its path is read.
   */
  private?: boolean;
}

export interface OpenedSession {
  store: SessionStore;
  session: SessionFile;
  /** null when the session has no data reference. */
  data: DataResolution | null;
  fromVersion: number;
  migrated: boolean;
}

/** Deletes a session file and its `.bak`; whether the file was there. */
export async function removeSessionFile(file: string): Promise<boolean> {
  const existed = await rm(file).then(
    () => true,
    () => false,
  );
  await rm(backupPathFor(file), { force: true }).catch(() => undefined);
  return existed;
}

export class SessionStore {
  private state: SessionFile;
  private target: string;
  private dirty = false;
  private timer: unknown = null;
  private discarded = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly debounceMs: number;
  private readonly scheduler: Scheduler;

  constructor(
    file: string,
    session: SessionFile = emptySession(),
    private readonly options: SessionStoreOptions = {},
  ) {
    this.target = path.resolve(file);
    this.state = session;
    this.debounceMs = options.debounceMs ?? 1500;
    this.scheduler = options.scheduler ?? realTimers;
  }

  /** Reopen a session file. Throws SessionError (corrupt, not a session, newer version, invalid). */
  static async open(file: string, options: SessionStoreOptions = {}): Promise<OpenedSession> {
    const { session, fromVersion, migrated } = await readSessionFile(file);
    const store = new SessionStore(file, session, options);
    const data = session.data === null ? null : await resolveDataReference(session.data, store.file);
    return { store, session, data, fromVersion, migrated };
  }

  get file(): string {
    return this.target;
  }

  get session(): SessionFile {
    return this.state;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** Replace the session state (or derive it from the current one) and schedule an autosave. */
  update(next: SessionFile | ((current: SessionFile) => SessionFile)): void {
    if (this.discarded) return;
    this.state = typeof next === 'function' ? next(this.state) : next;
    this.dirty = true;
    if (this.timer !== null) this.scheduler.clear(this.timer);
    this.timer = this.scheduler.set(() => {
      this.timer = null;
      this.save('autosave').catch((e: unknown) => this.options.onError?.(e));
    }, this.debounceMs);
  }

  /** Write now if anything changed (before quitting, on Ctrl+S). Resolves when it is on disk. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      this.scheduler.clear(this.timer);
      this.timer = null;
    }
    await this.save('flush');
  }

  /** Save under a new name and keep autosaving there; the data's relative path follows the new folder. */
  async saveAs(file: string): Promise<void> {
    const target = path.resolve(file);
    await this.enqueue(async () => {
      const session = this.withRelativeData(this.state, target);
      const written = await writeSessionFile(target, session);
      this.target = target;
      this.state = session;
      this.dirty = false;
      this.options.onSaved?.({ file: target, ...written, reason: 'save-as' });
    });
  }

  /** The user located the moved data file: accepted only with the same SHA-256 (else SessionError 'data-changed'). */
  async relocateData(newPath: string): Promise<void> {
    const data = this.state.data;
    if (data === null) return;
    const moved = await relocateData(data, newPath, this.target);
    this.update((s) => ({ ...s, data: moved }));
  }

  /** Flush and stop autosaving. */
  async close(): Promise<void> {
    await this.flush();
  }

  /**
   * Stop autosaving and delete the file and its `.bak` (a recovery file whose session was saved
   * elsewhere or closed normally). A write already under way finishes first, then goes.
   */
  async discard(): Promise<void> {
    this.discarded = true;
    if (this.timer !== null) {
      this.scheduler.clear(this.timer);
      this.timer = null;
    }
    this.dirty = false;
    await this.enqueue(async () => {
      await removeSessionFile(this.target);
    });
  }

  private withRelativeData(session: SessionFile, target: string): SessionFile {
    if (session.data === null) return session;
    const relativePath = path.relative(path.dirname(target), session.data.path).split(path.sep).join('/');
    return { ...session, data: { ...session.data, relativePath } };
  }

  private save(reason: SaveEvent['reason']): Promise<void> {
    return this.enqueue(async () => {
      if (!this.dirty || this.discarded) return;
      const snapshot = this.state;
      // cleared before writing: a change during the write marks it dirty again
      this.dirty = false;
      try {
        if (this.options.private) await ensurePrivateFolder(path.dirname(this.target));
        const written = await writeSessionFile(this.target, snapshot, { private: this.options.private });
        this.options.onSaved?.({ file: this.target, ...written, reason });
      } catch (e) {
        this.dirty = true;
        throw e;
      }
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Where an untitled session autosaves: `<folder>/untitled-<id>.dagflow`. */
export function autosavePath(folder: string, id: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`autosave id must be letters, digits, - or _: ${id}`);
  return path.join(folder, `untitled-${id}${SESSION_EXTENSION}`);
}

/** Autosaved untitled sessions left in `folder` (to offer after a crash), newest first. */
export async function listAutosaves(folder: string): Promise<Array<{ file: string; modified: number }>> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const files = names.filter((n) => n.startsWith('untitled-') && n.endsWith(SESSION_EXTENSION)).map((n) => path.join(folder, n));
  // lstat: a link planted in the folder is not a recovery file (and is not followed).
  const withTimes = (await Promise.all(files.map(async (file) => ({ file, info: await lstat(file).catch(() => null) }))))
    .filter((f) => f.info?.isFile() === true)
    .map((f) => ({ file: f.file, modified: f.info!.mtimeMs }));
  return withTimes.sort((a, b) => b.modified - a.modified || (a.file < b.file ? -1 : 1));
}
