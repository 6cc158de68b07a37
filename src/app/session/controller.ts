/**
 * The window's session: what a `.dagflow` file holds, built from what the Node side holds (the
 * data file, every finished run with its samples) and what the window sends (settings, views,
 * reference graph). Save, open, recover and locate-data replace or write it; every change goes
 * to the session's file (autosave.ts) or, while it has none, to the recovery file
 * (sessionRecovery.ts). The data reference is checked by SHA-256 on reopen: when the data moved
 * or changed the window asks for it (locateData).
 */
import * as path from 'node:path';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { embeddedDataBytes, makeDataReference, relocateData, resolveDataReference } from '../../gflownet/session/dataReference.ts';
import {
  SESSION_FORMAT,
  SESSION_VERSION,
  SessionError,
  type DataReference,
  type JsonObject,
  type SessionFile,
  type SessionRun,
} from '../../gflownet/session/schema.ts';
import { compactSessionRun, parseSession, serializeSession } from '../../gflownet/session/sessionFile.ts';
import type { JobHost } from '../../jobs/host.ts';
import type { DataPreview } from '../../shared/api.ts';
import type {
  CurrentSessionView,
  LocateDataRequest,
  OpenedSessionView,
  OpenSessionRequest,
  RecoverableSession,
  SavedSession,
  SaveSessionRequest,
  SessionDataStatus,
  SessionStateRequest,
  SessionStatus,
} from '../../shared/exchange.ts';
import type { DataStore, OpenedData } from '../dataStore.ts';
import type { NativeDialogs } from '../nativeDialogs.ts';
import type { RunStore } from '../runStore.ts';
import { interruptedSessionRun, isInterrupted, posteriorFromSessionRun, sessionRunFromPosterior } from './appRuns.ts';
import { SessionAutosave } from './autosave.ts';
import { readRecoveryFile, type RecoveryOptions } from './recovery.ts';
import { SessionRecovery } from './sessionRecovery.ts';
import type { SessionStore } from './sessionStore.ts';

export interface SessionDeps {
  host: JobHost;
  data: DataStore;
  runs: RunStore;
  /** Present in the desktop app: sessions are files there, with autosave. */
  dialogs?: NativeDialogs;
  /** Preview of an opened file (the same the Import screen shows). */
  preview: (opened: OpenedData) => Promise<DataPreview>;
  /** Registers a file on disk as an opened data set. */
  registerPath: (filePath: string) => OpenedData;
  generator: string;
  /** Autosave quiet time (ms). */
  debounceMs?: number;
  /** Where untitled sessions autosave so a crash loses nothing (Electron: userData/recovery). */
  recovery?: RecoveryOptions;
}

/** Where an opened session came from: a file of this machine (dialog, recovery folder) or an upload, whose paths are not followed. */
type SessionOrigin = 'local' | 'uploaded';

const SESSION_FILTERS = [{ name: 'DAGFlow session', extensions: ['dagflow'] }];
const DATA_FILTERS = [
  { name: 'Delimited text', extensions: ['csv', 'tsv', 'txt'] },
  { name: 'All files', extensions: ['*'] },
];

export class SessionController {
  private state: SessionStateRequest = { datasetId: null, settings: {}, views: {}, reference: null };
  /** The session's data when it moved or changed, until the window locates it. */
  private pendingData: DataReference | null = null;
  /** Why the pending data is not open: not found, or found with other bytes. */
  private pendingStatus: 'missing' | 'changed' = 'missing';
  private readonly settingsOf = new Map<string, JsonObject>();
  private readonly sessionRuns = new Map<string, SessionRun>();
  private readonly dataRefs = new Map<string, DataReference>();
  private readonly autosave: SessionAutosave;
  private readonly recovery: SessionRecovery;

  constructor(private readonly deps: SessionDeps) {
    const debounceMs = deps.debounceMs ?? 1500;
    this.autosave = new SessionAutosave(debounceMs);
    this.recovery = new SessionRecovery(deps.recovery, debounceMs);
    // A run that finishes is saved with the session.
    deps.host.onEvent((event) => {
      if (event.type === 'status' && (event.job.status === 'done' || event.job.status === 'failed' || event.job.status === 'cancelled'))
        void this.touch().catch(() => undefined);
    });
  }

  /** Record the request a run was started with (its settings go into the session). */
  recordRun(runId: string, request: object): void {
    this.settingsOf.set(runId, JSON.parse(JSON.stringify(request)) as JsonObject);
    // The session (or the recovery file) learns of the run as it starts: a crash now leaves it as interrupted.
    void this.touch().catch(() => undefined);
  }

  /** Write pending changes and delete this process's recovery file (the app quits normally). */
  async flush(): Promise<void> {
    await this.autosave.flush();
    await this.recovery.drop(false);
  }

  /** Browser mode stopped by a signal: pending changes written, unsaved work kept in the recovery files (returned). */
  async stopKeepingUnsaved(): Promise<string[]> {
    await this.autosave.flush().catch(() => undefined);
    return this.recovery.keepOnStop();
  }

  /** The window's settings, views and reference graph changed. */
  async update(request: SessionStateRequest): Promise<SessionStatus> {
    this.state = { ...request, datasetId: request.datasetId ?? (this.pendingData ? null : this.state.datasetId) };
    await this.touch();
    return this.autosave.status();
  }

  /**
   * The session as held here now: the window's last state, its data set's preview and the runs.
   * A reloaded page starts from it instead of a blank Import screen (the runs live on here).
   */
  async current(): Promise<CurrentSessionView> {
    const state = this.state;
    let data: SessionDataStatus = { status: 'none' };
    const opened = state.datasetId ? this.deps.data.get(state.datasetId) : undefined;
    if (opened) data = { status: 'found', preview: await this.deps.preview(opened) };
    else if (this.pendingData) data = { status: this.pendingStatus, name: path.basename(this.pendingData.path) };
    return {
      settings: state.settings,
      views: state.views,
      reference: state.reference,
      runs: this.deps.runs.list(),
      data,
      status: this.autosave.status(),
    };
  }

  async save(request: SaveSessionRequest): Promise<SavedSession | null> {
    const embed = request.embedData ?? false;
    const dialogs = this.deps.dialogs;
    if (!dialogs) {
      const content = serializeSession(await this.snapshot(null, embed));
      // The download is the saved copy; this process's own recovery file keeps the session until it stops.
      await this.recovery.dropAdopted();
      this.recovery.markSaved();
      return { fileName: `${this.stem()}.dagflow`, bytes: Buffer.byteLength(content), content };
    }
    const current = this.autosave.file;
    if (current !== null && !request.saveAs) return this.autosave.save(await this.snapshot(current, embed));
    const target = await dialogs.saveFile({
      title: 'Save the session',
      defaultName: current ? path.basename(current) : `${this.stem()}.dagflow`,
      filters: SESSION_FILTERS,
    });
    if (!target) return null;
    const saved = await this.autosave.saveAs(target, await this.snapshot(target, embed));
    // Saved under a real name: the recovery copies are no longer needed.
    await this.recovery.drop(true);
    return saved;
  }

  async open(request: OpenSessionRequest): Promise<OpenedSessionView | null> {
    this.refuseWhileRunning();
    if (request.source === 'dialog') {
      if (!this.deps.dialogs)
        throw new DagflowError(
          'BAD_OPTION',
          'there is no native file dialog in browser mode',
          {},
          'choose the .dagflow file with "Open session…"',
        );
      const file = await this.deps.dialogs.openFile({ title: 'Open a session', filters: SESSION_FILTERS });
      if (!file) return null;
      const { session, fromVersion, store } = await this.autosave.open(file);
      return this.adopt(session, fromVersion, store, path.basename(file));
    }
    const { session, fromVersion } = parseSession(new TextDecoder('utf-8').decode(request.content), request.fileName);
    // Its data path names a file on the server, chosen by whoever wrote the upload: never looked at.
    return this.adopt(session, fromVersion, null, request.fileName, 'uploaded');
  }

  listRecoverable(): Promise<RecoverableSession[]> {
    return this.recovery.list();
  }

  async recover(id: string): Promise<OpenedSessionView> {
    const file = this.recovery.fileOf(id);
    this.refuseWhileRunning();
    const { session, fromVersion } = await readRecoveryFile(file);
    const opened = await this.adopt(session, fromVersion, null, 'the recovered session');
    this.recovery.adopt(id);
    // Its state is in this process's own recovery file at once: a second crash loses nothing either.
    await this.recovery.flushOwn();
    return opened;
  }

  async discardRecoverable(id: string): Promise<{ discarded: boolean }> {
    return { discarded: await this.recovery.discard(id) };
  }

  /** The window found the session's data file: accepted only with the bytes the runs were computed on. */
  async locateData(request: LocateDataRequest): Promise<DataPreview | null> {
    const pending = this.pendingData;
    if (!pending) throw new DagflowError('BAD_OPTION', 'the open session is not waiting for its data file', {}, 'open a session first');
    let file: OpenedData;
    if (request.source === 'dialog') {
      if (!this.deps.dialogs)
        throw new DagflowError(
          'BAD_OPTION',
          'there is no native file dialog in browser mode',
          {},
          'choose the data file with "Locate data…"',
        );
      const chosen = await this.deps.dialogs.openFile({ title: `Locate ${path.basename(pending.path)}`, filters: DATA_FILTERS });
      if (!chosen) return null;
      file = this.deps.registerPath(chosen);
    } else {
      const known = this.deps.data.get(request.datasetId);
      if (!known) throw new DagflowError('BAD_OPTION', 'that data set is no longer open', {}, 'choose the file again');
      file = known;
    }
    // Only the bytes the runs were computed on (SessionError 'data-changed' otherwise).
    const moved = await relocateData(pending, file.path, this.autosave.file).catch((e: unknown) => {
      if (e instanceof SessionError) throw new SessionError(e.problem, e.message, file.name, e.hint);
      throw e;
    });
    this.pendingData = null;
    this.dataRefs.set(file.id, moved);
    this.state = { ...this.state, datasetId: file.id };
    await this.touch();
    return this.deps.preview(file);
  }

  /** Schedule an autosave of the current state: to the session's file, or else to the recovery file. */
  private async touch(): Promise<void> {
    if (this.autosave.file === null) return this.touchRecovery();
    await this.autosave.update((file) => this.snapshot(file));
  }

  private async touchRecovery(): Promise<void> {
    if (!this.recovery.enabled) return;
    const next = await this.snapshot(null);
    if (this.autosave.file !== null) return;
    this.recovery.update(next);
  }

  private async dataReference(datasetId: string | null, sessionFile: string | null, embed: boolean): Promise<DataReference | null> {
    if (datasetId === null) return this.pendingData;
    const opened = this.deps.data.get(datasetId);
    if (!opened) return null;
    let ref = this.dataRefs.get(datasetId);
    if (!ref || (embed && !ref.embedded)) {
      ref = { ...(ref ?? {}), ...(await makeDataReference(opened.path, sessionFile, { embed })) };
      this.dataRefs.set(datasetId, ref);
    }
    return ref;
  }

  private runsOfSession(): SessionRun[] {
    return this.deps.runs.list().flatMap((summary) => {
      // A run going now is written as interrupted: if the app dies before it ends, the session keeps its settings.
      if (summary.status === 'running' || summary.status === 'queued' || isInterrupted(summary))
        return [interruptedSessionRun(summary, this.settingsOf.get(summary.runId) ?? {})];
      if (summary.status !== 'done') return [];
      let run = this.sessionRuns.get(summary.runId);
      if (!run) {
        const record = this.deps.runs.get(summary.runId);
        if (!record?.result) return [];
        run = sessionRunFromPosterior(summary, record.result, this.settingsOf.get(summary.runId) ?? {});
        this.sessionRuns.set(summary.runId, run);
      }
      return [run];
    });
  }

  private async snapshot(sessionFile: string | null, embed = false): Promise<SessionFile> {
    const state = this.state;
    const session: SessionFile = {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      writtenBy: this.deps.generator,
      data: await this.dataReference(state.datasetId, sessionFile, embed),
      settings: state.settings as JsonObject,
      runs: this.runsOfSession(),
      views: state.views as JsonObject,
    };
    if (state.reference) session.reference = { source: state.reference.source, edges: state.reference.edges };
    return session;
  }

  private stem(): string {
    const name = this.state.datasetId ? this.deps.data.get(this.state.datasetId)?.name : undefined;
    return name ? name.replace(/\.[^.]*$/, '') : 'session';
  }

  /**
   * Reopens the session's data. An uploaded session's paths are not the server's to follow
   * (they could name /etc/passwd or /proc/self/environ, and "changed" or "missing" would tell
   * about that file): only data it carries is used; otherwise the window relinks it to data the
   * user uploads or picks, accepted by SHA-256 (locateData).
   */
  private async openData(ref: DataReference, sessionFile: string | null, origin: SessionOrigin): Promise<SessionDataStatus> {
    const name = path.basename(ref.path);
    const where =
      origin === 'uploaded' ? ({ status: ref.embedded ? 'embedded' : 'missing' } as const) : await resolveDataReference(ref, sessionFile);
    let opened: OpenedData;
    if (where.status === 'found') opened = this.deps.registerPath(where.path);
    else if (where.status === 'embedded') opened = this.deps.data.saveUpload(name, embeddedDataBytes(ref, sessionFile ?? undefined));
    else {
      this.pendingData = ref;
      this.pendingStatus = where.status;
      return { status: where.status, name };
    }
    this.dataRefs.set(opened.id, ref);
    this.state.datasetId = opened.id;
    return { status: where.status, preview: await this.deps.preview(opened) };
  }

  private refuseWhileRunning(): void {
    if (this.deps.runs.list().some((r) => r.status === 'running' || r.status === 'queued')) {
      throw new DagflowError(
        'BAD_OPTION',
        'runs are still going in this window',
        {},
        'wait for them to finish or cancel them, then open the session',
      );
    }
  }

  /** The opened session's runs, data and window state replace this window's. */
  private async adopt(
    session: SessionFile,
    fromVersion: number,
    opened: SessionStore | null,
    fileName: string,
    origin: SessionOrigin = 'local',
  ): Promise<OpenedSessionView> {
    // The previous session's file gets its last changes before the runs are replaced.
    await this.autosave.close();
    const { summaries, renamed } = this.deps.runs.restore(session.runs.map(posteriorFromSessionRun));
    this.settingsOf.clear();
    this.sessionRuns.clear();
    session.runs.forEach((run, k) => {
      const id = summaries[k]!.runId;
      this.settingsOf.set(id, run.settings);
      // A version-1 file's named samples are packed now, so the next autosave writes the small form.
      if (id === run.id) this.sessionRuns.set(id, compactSessionRun(run));
    });
    this.pendingData = null;
    this.state = {
      datasetId: null,
      settings: session.settings,
      views: session.views,
      reference: session.reference ? { source: session.reference.source ?? 'reference graph', edges: session.reference.edges } : null,
    };
    const data: SessionDataStatus = session.data ? await this.openData(session.data, opened?.file ?? null, origin) : { status: 'none' };

    this.autosave.attach(opened);
    // A session with its own file needs no recovery copy; an uploaded one keeps autosaving there.
    if (opened) await this.recovery.drop(false);
    else await this.touchRecovery();
    const state = this.state;
    return {
      fileName,
      fromVersion,
      settings: state.settings,
      views: state.views,
      reference: state.reference,
      runs: summaries,
      renamed,
      data,
      status: this.autosave.status(),
    };
  }
}
