/**
 * The session operations of the API: save (desktop: to the session's file, a native dialog the
 * first time; browser mode: the file's text for a download), open (dialog or upload), locate the
 * data of a reopened session, and recovery of untitled sessions after a crash. The work is in
 * session/controller.ts (the session), session/autosave.ts (its file) and
 * session/sessionRecovery.ts (the recovery files). Paths stay here: errors reach the window with
 * file names only.
 */
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import type { ApiHandlers } from '../shared/api.ts';
import { SessionController, type SessionDeps } from './session/controller.ts';

export type { SessionDeps } from './session/controller.ts';

type SessionOps =
  | 'updateSession'
  | 'getSessionState'
  | 'saveSession'
  | 'openSession'
  | 'locateSessionData'
  | 'listRecoverableSessions'
  | 'recoverSession'
  | 'discardRecoverableSession';

export interface SessionHandlers {
  handlers: Pick<ApiHandlers, SessionOps>;
  /** Record the request a run was started with (its settings go into the session). */
  recordRun(runId: string, request: object): void;
  /** Write pending changes and delete this process's recovery file (the app quits normally). */
  flush(): Promise<void>;
  /** Write pending changes and keep unsaved work in the recovery files (browser mode stopped by a signal); the files kept. */
  stopKeepingUnsaved(): Promise<string[]>;
}

/** The window sees file names, never the folders they are in. */
function withoutFolders<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((e: unknown) => {
    if (e instanceof DagflowError && e.location.file) e.location.file = path.basename(e.location.file);
    throw e;
  });
}

export function createSessionHandlers(deps: SessionDeps): SessionHandlers {
  const session = new SessionController(deps);
  return {
    handlers: {
      updateSession: (request) => withoutFolders(() => session.update(request)),
      getSessionState: () => withoutFolders(() => session.current()),
      saveSession: (request) => withoutFolders(() => session.save(request)),
      openSession: (request) => withoutFolders(() => session.open(request)),
      listRecoverableSessions: () => session.listRecoverable(),
      recoverSession: (request) => withoutFolders(() => session.recover(request.id)),
      discardRecoverableSession: (request) => withoutFolders(() => session.discardRecoverable(request.id)),
      locateSessionData: (request) => withoutFolders(() => session.locateData(request)),
    },
    recordRun: (runId, request) => session.recordRun(runId, request),
    flush: () => session.flush(),
    stopKeepingUnsaved: () => session.stopKeepingUnsaved(),
  };
}
