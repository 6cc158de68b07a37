/**
 * Session files from the window: save (desktop: to the session's file, a native dialog the first
 * time; browser mode: the file's text for a download), open (dialog or upload), autosave in the
 * desktop app (debounced, through SessionStore), and the data reference checked by SHA-256 on
 * reopen — when the data moved or changed the window asks for it (locateSessionData).
 * Until the session has a file, the same autosave goes to this process's recovery file
 * (session/recovery.ts), offered back after a crash and deleted on a real save or a normal quit.
 *
 * The session is built from what the Node side holds (the data file, every finished run with
 * its samples) and what the window sends (settings, views, reference graph: updateSession).
 * Paths stay here: errors reach the window with file names only.
 */
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { embeddedDataBytes, makeDataReference, relocateData, resolveDataReference } from '../gflownet/session/dataReference.ts';
import { SESSION_FORMAT, SESSION_VERSION, SessionError, type DataReference, type JsonObject, type SessionFile, type SessionRun } from '../gflownet/session/schema.ts';
import { parseSession, serializeSession } from '../gflownet/session/sessionFile.ts';
import type { JobHost } from '../jobs/host.ts';
import type { ApiHandlers, DataPreview } from '../shared/api.ts';
import type { OpenedSessionView, SessionDataStatus, SessionStateRequest, SessionStatus } from '../shared/exchange.ts';
import { readSessionFile } from '../gflownet/session/sessionFile.ts';
import { posteriorFromSessionRun, sessionRunFromPosterior } from './session/appRuns.ts';
import { heldByLiveProcess, listRecoverable, recoveryId, recoveryPath, type RecoveryOptions } from './session/recovery.ts';
import { SessionStore, removeSessionFile } from './session/sessionStore.ts';
import type { DataStore, OpenedData } from './dataStore.ts';
import type { NativeDialogs } from './nativeDialogs.ts';
import type { RunStore } from './runStore.ts';

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

type SessionOps = 'updateSession' | 'saveSession' | 'openSession' | 'locateSessionData' | 'listRecoverableSessions' | 'recoverSession' | 'discardRecoverableSession';

export interface SessionHandlers {
  handlers: Pick<ApiHandlers, SessionOps>;
  /** Record the request a run was started with (its settings go into the session). */
  recordRun(runId: string, request: object): void;
  /** Write pending changes and delete this process's recovery file (the app quits normally). */
  flush(): Promise<void>;
}

const SESSION_FILTERS = [{ name: 'DAGFlow session', extensions: ['dagflow'] }];

/** The window sees file names, never the folders they are in. */
function withoutFolders<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((e: unknown) => {
    if (e instanceof DagflowError && e.location.file) e.location.file = path.basename(e.location.file);
    throw e;
  });
}

export function createSessionHandlers(deps: SessionDeps): SessionHandlers {
  let state: SessionStateRequest = { datasetId: null, settings: {}, views: {}, reference: null };
  let store: SessionStore | null = null;
  let savedAt: number | undefined;
  let lastBytes = 0;
  /** The session's data when it moved or changed, until the window locates it. */
  let pendingData: DataReference | null = null;
  const settingsOf = new Map<string, JsonObject>();
  const sessionRuns = new Map<string, SessionRun>();
  const dataRefs = new Map<string, DataReference>();

  const storeOptions = {
    debounceMs: deps.debounceMs ?? 1500,
    onSaved: (event: { bytes: number }) => {
      savedAt = Date.now();
      lastBytes = event.bytes;
    },
    // An autosave that failed stays pending and is retried with the next change or save.
    onError: () => undefined,
  };

  /** This process's recovery file, written while the session has no file of its own. */
  const ownId = deps.recovery ? recoveryId(deps.recovery.pid ?? process.pid, deps.recovery.startedAt ?? Date.now()) : null;
  let recoveryStore: SessionStore | null = null;
  /** A crashed process's file this window recovered: kept until the session is saved for real or it is discarded. */
  let adopted: string | null = null;
  const recoveryOptions = { debounceMs: storeOptions.debounceMs, onError: () => undefined };

  async function dropRecovery(includeAdopted: boolean): Promise<void> {
    const own = recoveryStore;
    recoveryStore = null;
    await own?.discard().catch(() => undefined);
    if (includeAdopted) await dropAdopted();
  }

  async function dropAdopted(): Promise<void> {
    if (adopted === null || !deps.recovery) return;
    await removeSessionFile(recoveryPath(deps.recovery.folder, adopted));
    adopted = null;
  }

  const status = (): SessionStatus => ({ fileName: store ? path.basename(store.file) : null, autosave: store !== null, ...(savedAt === undefined ? {} : { savedAt }) });

  async function dataReference(datasetId: string | null, sessionFile: string | null, embed: boolean): Promise<DataReference | null> {
    if (datasetId === null) return pendingData;
    const opened = deps.data.get(datasetId);
    if (!opened) return null;
    let ref = dataRefs.get(datasetId);
    if (!ref || (embed && !ref.embedded)) {
      ref = { ...(ref ?? {}), ...(await makeDataReference(opened.path, sessionFile, { embed })) };
      dataRefs.set(datasetId, ref);
    }
    return ref;
  }

  function runsOfSession(): SessionRun[] {
    return deps.runs.list().flatMap((summary) => {
      if (summary.status !== 'done') return [];
      let run = sessionRuns.get(summary.runId);
      if (!run) {
        const record = deps.runs.get(summary.runId);
        if (!record?.result) return [];
        run = sessionRunFromPosterior(summary, record.result, settingsOf.get(summary.runId) ?? {});
        sessionRuns.set(summary.runId, run);
      }
      return [run];
    });
  }

  async function snapshot(sessionFile: string | null, embed = false): Promise<SessionFile> {
    const session: SessionFile = {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      writtenBy: deps.generator,
      data: await dataReference(state.datasetId, sessionFile, embed),
      settings: state.settings as JsonObject,
      runs: runsOfSession(),
      views: state.views as JsonObject,
    };
    if (state.reference) session.reference = { source: state.reference.source, edges: state.reference.edges };
    return session;
  }

  /** Schedule an autosave of the current state: to the session's file, or else to the recovery file. */
  async function touch(): Promise<void> {
    if (!store) return touchRecovery();
    const target = store;
    const next = await snapshot(target.file);
    if (store === target) target.update(next);
  }

  async function touchRecovery(): Promise<void> {
    if (!deps.recovery || ownId === null) return;
    const next = await snapshot(null);
    // A window with nothing in it has nothing to lose.
    if (store || (next.runs.length === 0 && next.data === null && !recoveryStore)) return;
    recoveryStore ??= new SessionStore(recoveryPath(deps.recovery.folder, ownId), next, recoveryOptions);
    recoveryStore.update(next);
  }

  // A run that finishes is saved with the session.
  deps.host.onEvent((event) => {
    if (event.type === 'status' && (event.job.status === 'done' || event.job.status === 'failed' || event.job.status === 'cancelled')) void touch().catch(() => undefined);
  });

  function stem(): string {
    const name = state.datasetId ? deps.data.get(state.datasetId)?.name : undefined;
    return name ? name.replace(/\.[^.]*$/, '') : 'session';
  }

  async function openData(ref: DataReference, sessionFile: string | null): Promise<SessionDataStatus> {
    const name = path.basename(ref.path);
    const where = await resolveDataReference(ref, sessionFile);
    let opened: OpenedData;
    if (where.status === 'found') opened = deps.registerPath(where.path);
    else if (where.status === 'embedded') opened = deps.data.saveUpload(name, embeddedDataBytes(ref, sessionFile ?? undefined));
    else {
      pendingData = ref;
      return { status: where.status, name };
    }
    dataRefs.set(opened.id, ref);
    state.datasetId = opened.id;
    return { status: where.status, preview: await deps.preview(opened) };
  }

  /** The recovery folder, if `id` names a file a window may take: not this process's, not a running app's. */
  function usableRecovery(id: string): string {
    if (!deps.recovery || ownId === null) throw new DagflowError('BAD_OPTION', 'this app has no recovery folder', {}, 'open the session file instead');
    if (id === ownId || heldByLiveProcess(id, deps.recovery)) {
      throw new DagflowError('BAD_OPTION', 'that unsaved session belongs to a DAGFlow window that is still open', {}, 'save it from that window');
    }
    return deps.recovery.folder;
  }

  function refuseWhileRunning(): void {
    if (deps.runs.list().some((r) => r.status === 'running' || r.status === 'queued')) {
      throw new DagflowError('BAD_OPTION', 'runs are still going in this window', {}, 'wait for them to finish or cancel them, then open the session');
    }
  }

  /** The opened session's runs, data and window state replace this window's. */
  async function adopt(session: SessionFile, fromVersion: number, opened: SessionStore | null, fileName: string): Promise<OpenedSessionView> {
    // The previous session's file gets its last changes before the runs are replaced.
    if (store) await store.close().catch(() => undefined);
    store = null;
    const { summaries, renamed } = deps.runs.restore(session.runs.map(posteriorFromSessionRun));
    settingsOf.clear();
    sessionRuns.clear();
    session.runs.forEach((run, k) => {
      const id = summaries[k]!.runId;
      settingsOf.set(id, run.settings);
      if (id === run.id) sessionRuns.set(id, run);
    });
    pendingData = null;
    state = { datasetId: null, settings: session.settings, views: session.views, reference: session.reference ? { source: session.reference.source ?? 'reference graph', edges: session.reference.edges } : null };
    const data: SessionDataStatus = session.data ? await openData(session.data, opened?.file ?? null) : { status: 'none' };

    store = opened;
    savedAt = undefined;
    // A session with its own file needs no recovery copy; an uploaded one keeps autosaving there.
    if (store) await dropRecovery(false);
    else await touchRecovery();
    return { fileName, fromVersion, settings: state.settings, views: state.views, reference: state.reference, runs: summaries, renamed, data, status: status() };
  }

  const handlers: Pick<ApiHandlers, SessionOps> = {
    updateSession: (request) =>
      withoutFolders(async () => {
        state = { ...request, datasetId: request.datasetId ?? (pendingData ? null : state.datasetId) };
        await touch();
        return status();
      }),

    saveSession: (request) =>
      withoutFolders(async () => {
        const embed = request.embedData ?? false;
        if (!deps.dialogs) {
          const content = serializeSession(await snapshot(null, embed));
          // The download is the saved copy; this process's own recovery file keeps the session until a normal quit.
          await dropAdopted();
          return { fileName: `${stem()}.dagflow`, bytes: Buffer.byteLength(content), content };
        }
        if (!store || request.saveAs) {
          const target = await deps.dialogs.saveFile({ title: 'Save the session', defaultName: store ? path.basename(store.file) : `${stem()}.dagflow`, filters: SESSION_FILTERS });
          if (!target) return null;
          const next = await snapshot(target, embed);
          const chosen = store ?? new SessionStore(target, next, storeOptions);
          chosen.update(next);
          await chosen.saveAs(target);
          store = chosen;
          // Saved under a real name: the recovery copies are no longer needed.
          await dropRecovery(true);
        } else {
          store.update(await snapshot(store.file, embed));
          await store.flush();
        }
        return { fileName: path.basename(store.file), bytes: lastBytes };
      }),

    openSession: (request) =>
      withoutFolders(async (): Promise<OpenedSessionView | null> => {
        refuseWhileRunning();
        let session: SessionFile;
        let fromVersion: number;
        let opened: SessionStore | null = null;
        let fileName: string;
        if (request.source === 'dialog') {
          if (!deps.dialogs) throw new DagflowError('BAD_OPTION', 'there is no native file dialog in browser mode', {}, 'choose the .dagflow file with "Open session…"');
          const file = await deps.dialogs.openFile({ title: 'Open a session', filters: SESSION_FILTERS });
          if (!file) return null;
          // Throws on a damaged or newer file before any store exists: nothing can be overwritten.
          const result = await SessionStore.open(file, storeOptions);
          ({ session, fromVersion } = result);
          opened = result.store;
          fileName = path.basename(file);
        } else {
          fileName = request.fileName;
          ({ session, fromVersion } = parseSession(new TextDecoder('utf-8').decode(request.content), request.fileName));
        }

        return adopt(session, fromVersion, opened, fileName);
      }),

    listRecoverableSessions: async () => {
      if (!deps.recovery || ownId === null) return [];
      return listRecoverable(deps.recovery, new Set([ownId, ...(adopted === null ? [] : [adopted])]));
    },

    recoverSession: (request) =>
      withoutFolders(async () => {
        const folder = usableRecovery(request.id);
        refuseWhileRunning();
        const { session, fromVersion } = await readSessionFile(recoveryPath(folder, request.id));
        const opened = await adopt(session, fromVersion, null, 'the recovered session');
        adopted = request.id;
        // Its state is in this process's own recovery file at once: a second crash loses nothing either.
        await recoveryStore?.flush().catch(() => undefined);
        return opened;
      }),

    discardRecoverableSession: (request) =>
      withoutFolders(async () => {
        const folder = usableRecovery(request.id);
        if (adopted === request.id) adopted = null;
        return { discarded: await removeSessionFile(recoveryPath(folder, request.id)) };
      }),

    locateSessionData: (request) =>
      withoutFolders(async () => {
        if (!pendingData) throw new DagflowError('BAD_OPTION', 'the open session is not waiting for its data file', {}, 'open a session first');
        let file: OpenedData;
        if (request.source === 'dialog') {
          if (!deps.dialogs) throw new DagflowError('BAD_OPTION', 'there is no native file dialog in browser mode', {}, 'choose the data file with "Locate data…"');
          const chosen = await deps.dialogs.openFile({ title: `Locate ${path.basename(pendingData.path)}`, filters: [{ name: 'Delimited text', extensions: ['csv', 'tsv', 'txt'] }, { name: 'All files', extensions: ['*'] }] });
          if (!chosen) return null;
          file = deps.registerPath(chosen);
        } else {
          const known = deps.data.get(request.datasetId);
          if (!known) throw new DagflowError('BAD_OPTION', 'that data set is no longer open', {}, 'choose the file again');
          file = known;
        }
        // Only the bytes the runs were computed on (SessionError 'data-changed' otherwise).
        const moved = await relocateData(pendingData, file.path, store?.file ?? null).catch((e: unknown) => {
          if (e instanceof SessionError) throw new SessionError(e.problem, e.message, file.name, e.hint);
          throw e;
        });
        pendingData = null;
        dataRefs.set(file.id, moved);
        state = { ...state, datasetId: file.id };
        await touch();
        return deps.preview(file);
      }),
  };

  return {
    handlers,
    recordRun: (runId, request) => settingsOf.set(runId, JSON.parse(JSON.stringify(request)) as JsonObject),
    flush: async () => {
      if (store) await store.flush();
      await dropRecovery(false);
    },
  };
}

