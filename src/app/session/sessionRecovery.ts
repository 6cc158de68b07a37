/**
 * Recovery in a running app: while the session has no file of its own, its autosave goes to this
 * process's recovery file (recovery.ts names it), so a crash before the first save loses nothing.
 * The files of crashed processes are listed, recovered (adopted until the session is saved for
 * real, or discarded) and discarded here. Without a recovery folder all of it is off.
 */
import { lstat } from 'node:fs/promises';
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { SessionFile } from '../../gflownet/session/schema.ts';
import type { RecoverableSession } from '../../shared/exchange.ts';
import { heldByLiveProcess, listRecoverable, recoveryId, recoveryPath, type RecoveryOptions } from './recovery.ts';
import { SessionStore, removeSessionFile } from './sessionStore.ts';

async function isRegularFile(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null))?.isFile() === true;
}

export class SessionRecovery {
  /** This process's recovery id, null without a recovery folder. */
  private readonly ownId: string | null;
  /** This process's recovery file, written while the session has no file of its own. */
  private own: SessionStore | null = null;
  /** A crashed process's file this window recovered: kept until the session is saved for real or it is discarded. */
  private adopted: string | null = null;
  /** Whether the state in the own file was saved (downloaded) since its last change. */
  private savedSinceChange = false;

  constructor(
    private readonly options: RecoveryOptions | undefined,
    private readonly debounceMs: number,
  ) {
    this.ownId = options ? recoveryId(options.pid ?? process.pid, options.startedAt ?? Date.now()) : null;
  }

  get enabled(): boolean {
    return this.options !== undefined && this.ownId !== null;
  }

  /** Autosave an untitled session's state to this process's recovery file; a window with nothing in it has nothing to lose. */
  update(next: SessionFile): void {
    if (!this.options || this.ownId === null) return;
    if (next.runs.length === 0 && next.data === null && !this.own) return;
    this.own ??= new SessionStore(recoveryPath(this.options.folder, this.ownId), next, {
      debounceMs: this.debounceMs,
      onError: () => undefined,
      private: true,
    });
    this.own.update(next);
    this.savedSinceChange = false;
  }

  /** The user saved the session (browser mode: downloaded it): a stop need not keep it. */
  markSaved(): void {
    this.savedSinceChange = true;
  }

  /**
   * The app is being stopped (browser mode: Ctrl+C or SIGTERM) without the window having closed
   * its session: unsaved work stays in the recovery files, written now, to be offered at the
   * next start. Returns the files kept (none when everything was saved).
   */
  async keepOnStop(): Promise<string[]> {
    const kept: string[] = [];
    if (this.own && this.savedSinceChange) await this.drop(false);
    else if (this.own) {
      await this.own.flush().catch(() => undefined);
      if (await isRegularFile(this.own.file)) kept.push(this.own.file);
    }
    if (this.adopted !== null && this.options) kept.push(recoveryPath(this.options.folder, this.adopted));
    return kept;
  }

  /** Write this process's recovery file now (after a recovery: a second crash loses nothing either). */
  async flushOwn(): Promise<void> {
    await this.own?.flush().catch(() => undefined);
  }

  /** Delete this process's recovery file (the session got a file, or the app quits normally), and the adopted one too when asked. */
  async drop(includeAdopted: boolean): Promise<void> {
    const own = this.own;
    this.own = null;
    await own?.discard().catch(() => undefined);
    if (includeAdopted) await this.dropAdopted();
  }

  /** Delete the recovered file: its session has been saved elsewhere. */
  async dropAdopted(): Promise<void> {
    if (this.adopted === null || !this.options) return;
    await removeSessionFile(recoveryPath(this.options.folder, this.adopted));
    this.adopted = null;
  }

  /** The files of processes that are gone, except this one's and the one it recovered. */
  async list(): Promise<RecoverableSession[]> {
    if (!this.options || this.ownId === null) return [];
    return listRecoverable(this.options, new Set([this.ownId, ...(this.adopted === null ? [] : [this.adopted])]));
  }

  /** The file `id` names, if a window may take it: not this process's, not a running app's. */
  fileOf(id: string): string {
    if (!this.options || this.ownId === null)
      throw new DagflowError('BAD_OPTION', 'this app has no recovery folder', {}, 'open the session file instead');
    if (id === this.ownId || heldByLiveProcess(id, this.options)) {
      throw new DagflowError(
        'BAD_OPTION',
        'that unsaved session belongs to a DAGFlow window that is still open',
        {},
        'save it from that window',
      );
    }
    return recoveryPath(this.options.folder, id);
  }

  /** The window took over the session of recovery file `id`. */
  adopt(id: string): void {
    this.adopted = id;
  }

  /** Delete recovery file `id`; whether it was there. */
  async discard(id: string): Promise<boolean> {
    const file = this.fileOf(id);
    if (this.adopted === id) this.adopted = null;
    return removeSessionFile(file);
  }
}
