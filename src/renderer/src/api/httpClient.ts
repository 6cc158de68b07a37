/**
 * The API contract over HTTP for browser mode: POST /api/<operation> with a JSON body, uploads as
 * raw bytes, job events from a server-sent event stream. Authentication is the HttpOnly cookie
 * that the tokened URL set, so this code never sees the token.
 */
import {
  API_OPERATIONS,
  unwrapEnvelope,
  type ApiEnvelope,
  type ApiOperation,
  type DagflowApi,
  type JobEvent,
} from '../../../shared/api.ts';

/** Browsers cap the bodies of keepalive requests in flight at 64 KiB together. */
const KEEPALIVE_MAX = 60_000;

async function post<T>(op: ApiOperation, body: unknown, options: { keepalive?: boolean } = {}): Promise<T> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const response = await fetch(`/api/${op}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: text,
    credentials: 'same-origin',
    keepalive: options.keepalive === true && text.length < KEEPALIVE_MAX,
  });
  return readEnvelope<T>(response);
}

/** Raw bytes to POST /api/<op>/upload (data files and session files). */
async function upload<T>(op: 'openData' | 'openSession', fileName: string, content: Uint8Array): Promise<T> {
  const response = await fetch(`/api/${op}/upload?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: content as Uint8Array<ArrayBuffer>,
    credentials: 'same-origin',
  });
  return readEnvelope<T>(response);
}

async function readEnvelope<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const text = (await response.text()).trim();
    const hint = response.status === 401 || response.status === 403 ? ' — reopen the URL that npm run serve printed' : '';
    throw new Error(`${text || response.statusText}${hint}`);
  }
  return unwrapEnvelope((await response.json()) as ApiEnvelope<T>);
}

export function createHttpApi(): DagflowApi {
  const listeners = new Set<(event: JobEvent) => void>();
  let source: EventSource | undefined;
  const ensureStream = (): void => {
    if (source) return;
    source = new EventSource('/api/events');
    source.onmessage = (message) => {
      const event = JSON.parse(message.data as string) as JobEvent;
      for (const listener of listeners) listener(event);
    };
  };

  const api: DagflowApi = {
    getAppInfo: () => post('getAppInfo', undefined),
    listSamples: () => post('listSamples', undefined),
    openData: (request) =>
      request.source === 'upload' ? upload('openData', request.fileName, request.content) : post('openData', request),
    startJob: (request) => post('startJob', request),
    cancelJob: (request) => post('cancelJob', request),
    listJobs: () => post('listJobs', undefined),
    getCapabilities: () => post('getCapabilities', undefined),
    inspectData: (request) => post('inspectData', request),
    startRun: (request) => post('startRun', request),
    cancelRun: (request) => post('cancelRun', request),
    listRuns: () => post('listRuns', undefined),
    getPosterior: (request) => post('getPosterior', request),
    getCpdag: (request) => post('getCpdag', request),
    getTrust: (request) => post('getTrust', request),
    getDesign: (request) => post('getDesign', request),
    poolExperiment: (request) => post('poolExperiment', request),
    getAnswers: (request) => post('getAnswers', request),
    compareRuns: (request) => post('compareRuns', request),
    getCandidateSpace: (request) => post('getCandidateSpace', request),
    getTrainingDefaults: (request) => post('getTrainingDefaults', request),
    exportRun: (request) => post('exportRun', request),
    saveExport: (request) => post('saveExport', request),
    importGraph: (request) => post('importGraph', request),
    // Sent as the page goes too (a reload): keepalive lets the request outlive the page.
    updateSession: (request) => post('updateSession', request, { keepalive: true }),
    getSessionState: () => post('getSessionState', undefined),
    saveSession: (request) => post('saveSession', request),
    // A session can be larger than a JSON request may be: its bytes go up raw, like data files.
    openSession: (request) =>
      request.source === 'upload' ? upload('openSession', request.fileName, request.content) : post('openSession', request),
    locateSessionData: (request) => post('locateSessionData', request),
    listRecoverableSessions: () => post('listRecoverableSessions', undefined),
    recoverSession: (request) => post('recoverSession', request),
    discardRecoverableSession: (request) => post('discardRecoverableSession', request),
    listRecentFiles: () => post('listRecentFiles', undefined),
    openSweep: (request) => post('openSweep', request),
    getSweep: (request) => post('getSweep', request),
    onJobEvent: (listener) => {
      listeners.add(listener);
      ensureStream();
      return () => listeners.delete(listener);
    },
    // Browser mode has no native menu.
    onMenuCommand: () => () => {},
  };
  // Every operation of the contract must be here (also checked by the contract test).
  for (const op of API_OPERATIONS) if (typeof api[op] !== 'function') throw new Error(`browser client lacks ${op}`);
  return api;
}
