/**
 * The session's own file in the desktop app: the SessionStore that autosaves it (debounced),
 * what the window shows about it (name, last save) and the explicit saves. Until the session has
 * a file there is no store here; the recovery copy (sessionRecovery.ts) keeps it meanwhile.
 */
import * as path from 'node:path';
import type { SessionFile } from '../../gflownet/session/schema.ts';
import type { SessionStatus } from '../../shared/exchange.ts';
import { SessionStore, type OpenedSession, type SessionStoreOptions } from './sessionStore.ts';

/** What a save wrote: the file's name (never its folder) and its size. */
export interface Written {
  fileName: string;
  bytes: number;
}

export class SessionAutosave {
  private store: SessionStore | null = null;
  private savedAt: number | undefined;
  private lastBytes = 0;
  private readonly options: SessionStoreOptions;

  constructor(debounceMs: number) {
    this.options = {
      debounceMs,
      onSaved: (event) => {
        this.savedAt = Date.now();
        this.lastBytes = event.bytes;
      },
      // An autosave that failed stays pending and is retried with the next change or save.
      onError: () => undefined,
    };
  }

  /** The session's file, or null while it has none. */
  get file(): string | null {
    return this.store?.file ?? null;
  }

  status(): SessionStatus {
    return {
      fileName: this.store ? path.basename(this.store.file) : null,
      autosave: this.store !== null,
      ...(this.savedAt === undefined ? {} : { savedAt: this.savedAt }),
    };
  }

  /**
   * Schedule an autosave of the state `build` makes for the file. Nothing is written when the
   * session has no file, or was replaced while the state was built.
   */
  async update(build: (file: string) => Promise<SessionFile>): Promise<void> {
    const target = this.store;
    if (!target) return;
    const next = await build(target.file);
    if (this.store === target) target.update(next);
  }

  /** Save `next` to `target` and keep autosaving there (the first save, or "Save as"). */
  async saveAs(target: string, next: SessionFile): Promise<Written> {
    const chosen = this.store ?? new SessionStore(target, next, this.options);
    chosen.update(next);
    await chosen.saveAs(target);
    this.store = chosen;
    return this.written(chosen);
  }

  /** Save `next` to the session's file now. */
  async save(next: SessionFile): Promise<Written> {
    const store = this.store;
    if (!store) throw new Error('the session has no file to save to');
    store.update(next);
    await store.flush();
    return this.written(store);
  }

  /** Read a session file; throws on a damaged or newer file before any store exists, so nothing can be overwritten. */
  open(file: string): Promise<OpenedSession> {
    return SessionStore.open(file, this.options);
  }

  /** The previous session's file gets its last changes; then there is no file until `attach`. */
  async close(): Promise<void> {
    if (this.store) await this.store.close().catch(() => undefined);
    this.store = null;
  }

  /** Autosave from now on to an opened session's store (null: an uploaded session, no file). */
  attach(store: SessionStore | null): void {
    this.store = store;
    this.savedAt = undefined;
  }

  private written(store: SessionStore): Written {
    return { fileName: path.basename(store.file), bytes: this.lastBytes };
  }

  /** Write pending changes now. */
  async flush(): Promise<void> {
    if (this.store) await this.store.flush();
  }
}
