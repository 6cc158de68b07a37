/**
 * Session files from the window: Save / Save as / Open (desktop: native dialogs in main, with
 * autosave to the chosen file; browser mode: a download and an upload), the window's settings
 * and views kept in step with the Node side (updateSession, debounced), and the data file asked
 * for when a reopened session's data moved or changed. On start, untitled sessions a crashed app
 * left behind are offered back (recover or discard).
 */
import { downloadBlob } from './downloadBlob.ts';
import {
  api,
  ApiError,
  type CurrentSessionView,
  type OpenedSessionView,
  type RecoverableSession,
  type SessionStatus,
} from '../api/index.ts';
import type { DataOptions, ModelSpec, SamplerSpec } from '../api/index.ts';
import { messageOf, SCREENS, session, type Screen } from './session.svelte.ts';
import { compareMemory } from './screenMemory.svelte.ts';

/** What the window shows for each reason a session could not be used. */
const PROBLEM_WORDS: Record<string, string> = {
  'newer-version': 'This session was saved by a newer DAGFlow. Update DAGFlow to open it; the file was not changed.',
  corrupt: 'This session file is damaged; it was not changed. Open its .bak copy if there is one.',
  invalid: 'This session file is damaged; it was not changed. Open its .bak copy if there is one.',
  'not-a-session': 'This file is not a DAGFlow session (.dagflow).',
  'data-table': 'This file is a data table, not a DAGFlow session.',
  'data-changed': 'That file is not the data the runs were computed on (its SHA-256 differs). Choose the original file.',
  'data-missing': 'The session’s data file was not found. Locate it.',
};

export function sessionErrorText(e: unknown): string {
  const problem = e instanceof ApiError ? e.info.problem : undefined;
  const detail = messageOf(e);
  return problem && PROBLEM_WORDS[problem] ? `${PROBLEM_WORDS[problem]} (${detail})` : detail;
}

const LOADED_MARK = 'dagflow.window-loaded';

/** Marks this tab as having shown the window; true when it had been marked before (a reload). */
function markLoaded(): boolean {
  try {
    const before = window.sessionStorage.getItem(LOADED_MARK) !== null;
    window.sessionStorage.setItem(LOADED_MARK, '1');
    return before;
  } catch {
    // Storage refused (a locked-down profile): every load is a first load, as before.
    return false;
  }
}

class SessionFiles {
  status = $state<SessionStatus | undefined>();
  message = $state<string | undefined>();
  error = $state<string | undefined>();
  busy = $state(false);
  /** A data table given to "Open session…": offered to open as data (the file itself in browser mode, a dialog on the desktop). */
  dataInstead = $state<{ name: string; file?: File } | undefined>();
  /** A reopened session whose data moved or changed: the file name to ask for. */
  waitingData = $state<{ status: 'missing' | 'changed'; name: string } | undefined>();
  /** Unsaved sessions of a crashed app, newest first (the banner offers each). */
  recoverable = $state<RecoverableSession[]>([]);
  /** While a session is being applied, the window's state is not sent back half-way. */
  applying = false;
  /**
   * Until the page has asked the Node side for the session it holds (restore), the window's
   * blank start state must not overwrite it: after a reload that state is the user's place.
   */
  restored = false;

  get desktop(): boolean {
    return session.info?.transport === 'electron';
  }

  /** The part of the window a session keeps. */
  windowState() {
    return {
      datasetId: session.preview?.datasetId ?? null,
      settings: JSON.parse(
        JSON.stringify({
          dataOptions: session.dataOptions,
          model: session.model,
          sampler: session.sampler,
          sidecarName: session.sidecarName ?? null,
        }),
      ),
      views: {
        screen: session.screen,
        threshold: session.threshold,
        selectedRun: session.selectedRun ?? null,
        graphLayout: session.graphLayout,
        // The Compare screen's pair and true graph (an uploaded file's text is not kept: it is asked for again).
        compare: {
          a: compareMemory.a ?? null,
          b: compareMemory.b ?? null,
          truthChoice: compareMemory.truthChoice,
          compared: compareMemory.result !== undefined,
        },
      },
      reference: session.reference ? JSON.parse(JSON.stringify(session.reference)) : null,
    };
  }

  async push(state: ReturnType<SessionFiles['windowState']>): Promise<void> {
    if (this.applying || !this.restored) return;
    try {
      this.status = await api.updateSession(state);
    } catch (e) {
      this.error = sessionErrorText(e);
    }
  }

  /** Put the data file into the session too (to share it with its data). */
  embedData = $state(false);

  async save(saveAs = false): Promise<void> {
    await this.run(async () => {
      await this.push(this.windowState());
      const saved = await api.saveSession({ saveAs, embedData: this.embedData });
      if (!saved) return;
      if (saved.content !== undefined) downloadBlob(saved.fileName, new Blob([saved.content], { type: 'application/json' }));
      this.message = `Saved ${saved.fileName} (${(saved.bytes / 1024).toFixed(0)} KB)`;
      if (this.desktop) this.status = await api.updateSession(this.windowState());
    });
  }

  /** Desktop: the native dialog (file undefined); browser mode: the file the user picked. */
  async open(file?: File): Promise<void> {
    // Opening replaces the finished runs of the window: say so before any are lost.
    const done = session.runs.filter((r) => r.status === 'done').length;
    if (
      done > 0 &&
      !window.confirm(
        `Opening a session replaces the ${done} finished run${done === 1 ? '' : 's'} in this window. Save this session first if you want to keep ${done === 1 ? 'it' : 'them'}. Open anyway?`,
      )
    )
      return;
    this.dataInstead = undefined;
    await this.run(async () => {
      const request = file
        ? { source: 'upload' as const, fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) }
        : { source: 'dialog' as const };
      try {
        const opened = await api.openSession(request);
        if (opened) await this.apply(opened);
      } catch (e) {
        if (e instanceof ApiError && e.info.problem === 'data-table')
          this.dataInstead = { name: file?.name ?? e.info.location?.file ?? 'the file', file };
        throw e;
      }
    });
  }

  /** Open the data table that was given as a session as data, on the Import screen. */
  async openDataInstead(): Promise<void> {
    const offered = this.dataInstead;
    if (!offered) return;
    this.dataInstead = undefined;
    this.error = undefined;
    const request = offered.file
      ? { source: 'upload' as const, fileName: offered.file.name, content: new Uint8Array(await offered.file.arrayBuffer()) }
      : { source: 'dialog' as const };
    await session.openData(request);
  }

  /**
   * Asked once when the window starts. After a reload of the page (F5, Ctrl+R, in browser mode or
   * the desktop window) the Node side still holds the data set, the settings, the views and the
   * runs: the window shows them again, on the screen the user was on, instead of a blank Import
   * screen. A reload is told from a first load by a mark in the tab's sessionStorage (kept across
   * reloads, not given to new tabs): a new page starts on a blank Import screen as before.
   */
  async restore(): Promise<void> {
    if (!markLoaded()) {
      this.restored = true;
      return;
    }
    try {
      const current = await api.getSessionState();
      this.status = current.status;
      const blank =
        current.data.status === 'none' &&
        current.runs.length === 0 &&
        Object.keys(current.settings).length === 0 &&
        Object.keys(current.views).length === 0;
      // A data set or session opened while this was asked for is newer than what the Node side held.
      if (!blank && !session.preview && !this.busy) await this.applyState(current, {});
    } catch (e) {
      this.error = sessionErrorText(e);
    } finally {
      this.restored = true;
    }
  }

  /**
   * The page is going (a reload, a closed tab): send the state now rather than after the usual
   * quiet time, so a reload right after a change keeps it. Returns the listener's removal.
   */
  sendOnLeave(): () => void {
    const leave = (): void => {
      if (this.restored && !this.applying) void this.push(this.windowState());
    };
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }

  /** Asked once when the window starts. */
  async checkRecovery(): Promise<void> {
    try {
      this.recoverable = await api.listRecoverableSessions();
    } catch (e) {
      this.error = sessionErrorText(e);
    }
  }

  async recover(id: string): Promise<void> {
    const done = session.runs.filter((r) => r.status === 'done').length;
    if (done > 0 && !window.confirm(`Recovering replaces the ${done} finished run${done === 1 ? '' : 's'} in this window. Recover anyway?`))
      return;
    await this.run(async () => {
      const opened = await api.recoverSession({ id });
      this.recoverable = this.recoverable.filter((r) => r.id !== id);
      await this.apply(opened);
    });
  }

  async discardRecovery(id: string): Promise<void> {
    await this.run(async () => {
      await api.discardRecoverableSession({ id });
      this.recoverable = this.recoverable.filter((r) => r.id !== id);
    });
  }

  /** The data file of a reopened session, when it moved: desktop dialog, or a file picked in the page. */
  async locate(file?: File): Promise<void> {
    await this.run(async () => {
      let request: { source: 'dialog' } | { source: 'opened'; datasetId: string } = { source: 'dialog' };
      if (file) {
        const uploaded = await api.openData({ source: 'upload', fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) });
        if (!uploaded) return;
        request = { source: 'opened', datasetId: uploaded.datasetId };
      }
      const preview = await api.locateSessionData(request);
      if (!preview) return;
      this.waitingData = undefined;
      const settings = { model: session.model, sampler: session.sampler };
      session.preview = preview;
      session.report = undefined;
      await session.inspect();
      session.model = settings.model;
      session.sampler = settings.sampler;
      this.message = `Found ${preview.name}: the same data the runs used`;
    });
  }

  private async apply(opened: OpenedSessionView): Promise<void> {
    await this.applyState(opened, opened.renamed);
    this.status = opened.status;
    const migrated = opened.fromVersion < 1 ? ` (migrated from format version ${opened.fromVersion})` : '';
    this.message = `Opened ${opened.fileName}: ${opened.runs.length} run${opened.runs.length === 1 ? '' : 's'}${migrated}`;
  }

  /** A session's data, settings, views and runs become the window's (an opened file, a recovered session, or the Node side's after a reload). */
  private async applyState(opened: CurrentSessionView, renamed: Record<string, string>): Promise<void> {
    this.applying = true;
    try {
      const settings = opened.settings as {
        dataOptions?: DataOptions;
        model?: ModelSpec;
        sampler?: SamplerSpec;
        sidecarName?: string | null;
      };
      const views = opened.views as {
        screen?: string;
        threshold?: number;
        selectedRun?: string | null;
        graphLayout?: string;
        compare?: { a?: string | null; b?: string | null; truthChoice?: string; compared?: boolean };
      };
      session.runs = opened.runs;
      session.progress = {};
      session.liveMarginals = {};
      session.reference = opened.reference;
      session.report = undefined;
      session.preview = undefined;
      this.waitingData = undefined;
      if (settings.dataOptions) session.dataOptions = settings.dataOptions;
      session.sidecarName = settings.sidecarName ?? undefined;
      if (opened.data.status === 'found' || opened.data.status === 'embedded') {
        session.preview = opened.data.preview;
        // Reading the file again gives the variables the knowledge matrix refers to; then the model.
        await session.inspect();
      } else if (opened.data.status === 'missing' || opened.data.status === 'changed') {
        this.waitingData = { status: opened.data.status, name: opened.data.name };
      }
      if (settings.model) session.model = settings.model;
      if (settings.sampler) session.sampler = settings.sampler;
      if (typeof views.threshold === 'number') session.threshold = views.threshold;
      if (views.graphLayout === 'layered' || views.graphLayout === 'circle' || views.graphLayout === 'cose')
        session.graphLayout = views.graphLayout;
      const runId = (id: string | null | undefined): string | undefined => (id ? (renamed[id] ?? id) : undefined);
      session.selectedRun = runId(views.selectedRun);
      const compare = views.compare;
      const truth = compare?.truthChoice;
      Object.assign(compareMemory, {
        a: runId(compare?.a),
        b: runId(compare?.b),
        truthChoice: truth === 'sample' || truth === 'upload' || truth === 'reference' ? truth : 'none',
        uploaded: undefined,
        result: undefined,
        // The comparison on screen is computed again (it is cheap) rather than stored.
        redo: compare?.compared === true,
      });
      const screen = SCREENS.find((s) => s.id === views.screen)?.id as Screen | undefined;
      const usable = screen === 'model' ? session.report !== undefined : screen === 'posterior' ? opened.runs.length > 0 : true;
      session.screen = screen && usable ? screen : 'import';
    } finally {
      this.applying = false;
    }
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    this.message = undefined;
    try {
      await work();
    } catch (e) {
      this.error = sessionErrorText(e);
    } finally {
      this.busy = false;
    }
  }
}

export const sessionFiles = new SessionFiles();
