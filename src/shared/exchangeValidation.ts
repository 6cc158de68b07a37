/**
 * Validation of the export, graph-import and session operations: every field's type, range and
 * size is checked before a handler runs, and anything unexpected is refused (BAD_REQUEST).
 */
import {
  EXPORT_FORMAT_IDS,
  type ExportRequest,
  type GraphPurpose,
  type ImportGraphRequest,
  type JsonRecord,
  type LocateDataRequest,
  type OpenSessionRequest,
  type RecoverySessionRequest,
  type ReferenceGraphView,
  type SaveSessionRequest,
  type SessionStateRequest,
} from './exchange.ts';
import { MAX_WORKFLOW_VARIABLES } from './workflowValidation.ts';
import { datasetId, fail, fileName, name, onlyKeys, optBool, record, runId } from './validators.ts';

export const MAX_GRAPH_TEXT = 2 * 1024 * 1024;
/** Settings and views of the window: a few kilobytes in practice. */
export const MAX_STATE_JSON = 256 * 1024;
/** A session with many runs of many samples. */
export const MAX_SESSION_BYTES = 256 * 1024 * 1024;
const MAX_EDGES = MAX_WORKFLOW_VARIABLES * (MAX_WORKFLOW_VARIABLES - 1);

function exportRequest(op: string, v: unknown): ExportRequest {
  const obj = record(op, v);
  onlyKeys(op, obj, ['runId', 'format', 'threshold']);
  if (typeof obj.format !== 'string' || !(EXPORT_FORMAT_IDS as readonly string[]).includes(obj.format)) fail(op, `format must be one of ${EXPORT_FORMAT_IDS.join(', ')}`);
  const out: ExportRequest = { runId: runId(op, obj.runId), format: obj.format as ExportRequest['format'] };
  if (obj.threshold !== undefined) {
    if (typeof obj.threshold !== 'number' || !Number.isFinite(obj.threshold) || obj.threshold < 0 || obj.threshold > 1) fail(op, 'threshold must be a number in [0, 1]');
    out.threshold = obj.threshold;
  }
  return out;
}

/** Free JSON of bounded size (settings and views the window reads back). */
function jsonRecord(op: string, value: unknown, field: string): JsonRecord {
  record(op, value, field);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    fail(op, `${field} must be plain JSON`);
  }
  if (text.length > MAX_STATE_JSON) fail(op, `${field} is larger than ${MAX_STATE_JSON / 1024} KB`);
  return JSON.parse(text) as JsonRecord;
}

function reference(op: string, value: unknown): ReferenceGraphView | null {
  if (value === null || value === undefined) return null;
  const obj = record(op, value, 'reference');
  onlyKeys(op, obj, ['source', 'edges'], 'reference');
  if (!Array.isArray(obj.edges) || obj.edges.length > MAX_EDGES) fail(op, `reference.edges must be a list of at most ${MAX_EDGES} edges`);
  const edges = obj.edges.map((e, k) => {
    if (!Array.isArray(e) || e.length !== 2) fail(op, `reference.edges[${k}] must be a pair ["from", "to"]`);
    return [name(op, e[0], `reference.edges[${k}][0]`), name(op, e[1], `reference.edges[${k}][1]`)] as [string, string];
  });
  return { source: name(op, obj.source, 'reference.source'), edges };
}

/** `<pid>-<start time>`, as listRecoverableSessions gives it (it becomes part of a file name). */
function recoveryRequest(op: string, v: unknown): RecoverySessionRequest {
  const obj = record(op, v);
  onlyKeys(op, obj, ['id']);
  if (typeof obj.id !== 'string' || !/^[0-9]{1,10}-[0-9]{1,16}$/.test(obj.id)) fail(op, 'id must be a recovery id as listRecoverableSessions gives it ("<pid>-<time>")');
  return { id: obj.id };
}

function upload(op: string, obj: Record<string, unknown>, limit: number): { fileName: string; content: Uint8Array } {
  if (!(obj.content instanceof Uint8Array)) fail(op, 'content must be bytes');
  if (obj.content.byteLength > limit) fail(op, `the file is larger than ${limit / 1024 / 1024} MB`);
  return { fileName: fileName(op, obj.fileName, 'fileName'), content: obj.content };
}

export const exchangeValidators = {
  exportRun: (v: unknown): ExportRequest => exportRequest('exportRun', v),
  saveExport: (v: unknown): ExportRequest => exportRequest('saveExport', v),
  importGraph: (v: unknown): ImportGraphRequest => {
    const op = 'importGraph';
    const obj = record(op, v);
    onlyKeys(op, obj, ['variables', 'text', 'fileName', 'purpose']);
    if (!Array.isArray(obj.variables) || obj.variables.length < 2 || obj.variables.length > MAX_WORKFLOW_VARIABLES) fail(op, `variables must be a list of 2 to ${MAX_WORKFLOW_VARIABLES} names`);
    const variables = obj.variables.map((x, k) => name(op, x, `variables[${k}]`));
    if (new Set(variables).size !== variables.length) fail(op, 'variables must not repeat a name');
    if (typeof obj.text !== 'string' || obj.text.length > MAX_GRAPH_TEXT) fail(op, `text must be the file's text, at most ${MAX_GRAPH_TEXT / 1024 / 1024} MB`);
    const purposes: readonly GraphPurpose[] = ['truth', 'required', 'forbidden'];
    if (typeof obj.purpose !== 'string' || !(purposes as readonly string[]).includes(obj.purpose)) fail(op, 'purpose must be "truth", "required" or "forbidden"');
    return { variables, text: obj.text, fileName: fileName(op, obj.fileName, 'fileName'), purpose: obj.purpose as GraphPurpose };
  },
  updateSession: (v: unknown): SessionStateRequest => {
    const op = 'updateSession';
    const obj = record(op, v);
    onlyKeys(op, obj, ['datasetId', 'settings', 'views', 'reference']);
    return {
      datasetId: obj.datasetId === null || obj.datasetId === undefined ? null : datasetId(op, obj.datasetId),
      settings: jsonRecord(op, obj.settings ?? {}, 'settings'),
      views: jsonRecord(op, obj.views ?? {}, 'views'),
      reference: reference(op, obj.reference),
    };
  },
  saveSession: (v: unknown): SaveSessionRequest => {
    const op = 'saveSession';
    const obj = record(op, v ?? {});
    onlyKeys(op, obj, ['saveAs', 'embedData']);
    const out: SaveSessionRequest = {};
    const saveAs = optBool(op, obj.saveAs, 'saveAs');
    const embedData = optBool(op, obj.embedData, 'embedData');
    if (saveAs !== undefined) out.saveAs = saveAs;
    if (embedData !== undefined) out.embedData = embedData;
    return out;
  },
  openSession: (v: unknown): OpenSessionRequest => {
    const op = 'openSession';
    const obj = record(op, v);
    if (obj.source === 'dialog') {
      onlyKeys(op, obj, ['source']);
      return { source: 'dialog' };
    }
    if (obj.source === 'upload') {
      onlyKeys(op, obj, ['source', 'fileName', 'content']);
      return { source: 'upload', ...upload(op, obj, MAX_SESSION_BYTES) };
    }
    return fail(op, 'source must be "dialog" or "upload"');
  },
  recoverSession: (v: unknown): RecoverySessionRequest => recoveryRequest('recoverSession', v),
  discardRecoverableSession: (v: unknown): RecoverySessionRequest => recoveryRequest('discardRecoverableSession', v),
  locateSessionData: (v: unknown): LocateDataRequest => {
    const op = 'locateSessionData';
    const obj = record(op, v);
    if (obj.source === 'dialog') {
      onlyKeys(op, obj, ['source']);
      return { source: 'dialog' };
    }
    if (obj.source === 'opened') {
      onlyKeys(op, obj, ['source', 'datasetId']);
      return { source: 'opened', datasetId: datasetId(op, obj.datasetId) };
    }
    return fail(op, 'source must be "dialog" or "opened"');
  },
};
