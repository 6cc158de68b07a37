/**
 * The export, graph-import, session and recovery requests as valibot schemas: every field's
 * type, range and size, checked before a handler runs, anything unexpected refused
 * (BAD_REQUEST). The request types of shared/exchange.ts are these schemas' outputs.
 */
import * as v from 'valibot';
import { EXPORT_FORMAT_IDS, type JsonRecord } from './exchange.ts';
import { MAX_WORKFLOW_VARIABLES } from './workflowValidation.ts';
import {
  bool,
  bytes,
  datasetId,
  fileName,
  name,
  num,
  oneOf,
  parseRequest,
  plainObject,
  runId,
  strictObject,
  variantCase,
} from './validators.ts';

export const MAX_GRAPH_TEXT = 2 * 1024 * 1024;
/** Settings and views of the window: a few kilobytes in practice. */
export const MAX_STATE_JSON = 256 * 1024;
/** A session with many runs of many samples. */
export const MAX_SESSION_BYTES = 256 * 1024 * 1024;
const MAX_EDGES = MAX_WORKFLOW_VARIABLES * (MAX_WORKFLOW_VARIABLES - 1);

export const ExportRequestSchema = strictObject({
  runId,
  format: oneOf(EXPORT_FORMAT_IDS),
  /** Consensus threshold of the graph formats and the report: edges with P ≥ threshold (0 = every edge with P > 0). Default 0.5. */
  threshold: v.optional(num(0, 1)),
});
export type ExportRequest = v.InferOutput<typeof ExportRequestSchema>;

export const GRAPH_PURPOSES = ['truth', 'required', 'forbidden'] as const;
export type GraphPurpose = (typeof GRAPH_PURPOSES)[number];

export const ImportGraphRequestSchema = strictObject({
  /** The data set's variables, in order: edges come back as indices into this list. */
  variables: v.pipe(
    v.array(name, `must be a list of 2 to ${MAX_WORKFLOW_VARIABLES} names`),
    v.minLength(2, `must be a list of 2 to ${MAX_WORKFLOW_VARIABLES} names`),
    v.maxLength(MAX_WORKFLOW_VARIABLES, `must be a list of 2 to ${MAX_WORKFLOW_VARIABLES} names`),
    v.check((names) => new Set(names).size === names.length, 'must not repeat a name'),
  ),
  /** The file's text (edge-list CSV, DOT, GraphML, Tetrad or adjacency-matrix CSV). */
  text: v.pipe(
    v.string(`must be the file's text, at most ${MAX_GRAPH_TEXT / 1024 / 1024} MB`),
    v.maxLength(MAX_GRAPH_TEXT, `must be the file's text, at most ${MAX_GRAPH_TEXT / 1024 / 1024} MB`),
  ),
  fileName,
  /** A reference graph or required edges must be acyclic; forbidden edges need not be. */
  purpose: oneOf(GRAPH_PURPOSES),
});
export type ImportGraphRequest = v.InferOutput<typeof ImportGraphRequestSchema>;

/** A reference ("true") graph by variable names, as the session keeps it. */
export const ReferenceGraphSchema = strictObject({
  source: name,
  edges: v.pipe(
    v.array(v.strictTuple([name, name], 'must be a pair ["from", "to"]'), `must be a list of at most ${MAX_EDGES} edges`),
    v.maxLength(MAX_EDGES, `must be a list of at most ${MAX_EDGES} edges`),
  ),
});
export type ReferenceGraphView = v.InferOutput<typeof ReferenceGraphSchema>;

/** Free JSON of bounded size (settings and views the window reads back), as a plain copy. */
const jsonRecord = v.pipe(
  plainObject,
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    let text: string;
    try {
      text = JSON.stringify(dataset.value);
    } catch {
      addIssue({ message: 'must be plain JSON' });
      return NEVER;
    }
    if (text.length > MAX_STATE_JSON) {
      addIssue({ message: `is larger than ${MAX_STATE_JSON / 1024} KB` });
      return NEVER;
    }
    return JSON.parse(text) as JsonRecord;
  }),
);

export const SessionStateRequestSchema = strictObject({
  /** The data set the settings apply to, or null before one is opened. */
  datasetId: v.nullish(datasetId, null),
  settings: v.optional(jsonRecord, () => ({})),
  views: v.optional(jsonRecord, () => ({})),
  reference: v.nullish(ReferenceGraphSchema, null),
});
export type SessionStateRequest = v.InferOutput<typeof SessionStateRequestSchema>;

export const SaveSessionRequestSchema = v.optional(
  strictObject({
    /** Desktop: ask for a new file even when the session has one. */
    saveAs: v.optional(bool),
    /** Put the data file's bytes into the session (to share it with its data). */
    embedData: v.optional(bool),
  }),
  () => ({}),
);
export type SaveSessionRequest = v.InferOutput<typeof SaveSessionRequestSchema>;

export const OpenSessionRequestSchema = v.variant(
  'source',
  [
    /** Native dialog (desktop app). */
    variantCase({ source: v.literal('dialog') }),
    /** Bytes of a .dagflow file the user picked in the page. */
    variantCase({ source: v.literal('upload'), fileName, content: bytes(MAX_SESSION_BYTES) }),
  ],
  'must be "dialog" or "upload"',
);
export type OpenSessionRequest = v.InferOutput<typeof OpenSessionRequestSchema>;

export const LocateDataRequestSchema = v.variant(
  'source',
  [
    /** Native dialog (desktop app). */
    variantCase({ source: v.literal('dialog') }),
    /** A file already opened in this window (browser mode uploads it with openData first). */
    variantCase({ source: v.literal('opened'), datasetId }),
  ],
  'must be "dialog" or "opened"',
);
export type LocateDataRequest = v.InferOutput<typeof LocateDataRequestSchema>;

export const RecoverySessionRequestSchema = strictObject({
  /** `<pid>-<start time>`, as listRecoverableSessions gives it (it becomes part of a file name). */
  id: v.pipe(
    v.string('must be a recovery id as listRecoverableSessions gives it ("<pid>-<time>")'),
    v.regex(/^[0-9]{1,10}-[0-9]{1,16}$/, 'must be a recovery id as listRecoverableSessions gives it ("<pid>-<time>")'),
  ),
});
export type RecoverySessionRequest = v.InferOutput<typeof RecoverySessionRequestSchema>;

export const exchangeValidators = {
  exportRun: (value: unknown): ExportRequest => parseRequest('exportRun', ExportRequestSchema, value),
  saveExport: (value: unknown): ExportRequest => parseRequest('saveExport', ExportRequestSchema, value),
  importGraph: (value: unknown): ImportGraphRequest => parseRequest('importGraph', ImportGraphRequestSchema, value),
  updateSession: (value: unknown): SessionStateRequest => parseRequest('updateSession', SessionStateRequestSchema, value),
  saveSession: (value: unknown): SaveSessionRequest =>
    parseRequest(
      'saveSession',
      v.nullish(SaveSessionRequestSchema, () => ({})),
      value,
    ),
  openSession: (value: unknown): OpenSessionRequest => parseRequest('openSession', OpenSessionRequestSchema, value),
  recoverSession: (value: unknown): RecoverySessionRequest => parseRequest('recoverSession', RecoverySessionRequestSchema, value),
  discardRecoverableSession: (value: unknown): RecoverySessionRequest =>
    parseRequest('discardRecoverableSession', RecoverySessionRequestSchema, value),
  locateSessionData: (value: unknown): LocateDataRequest => parseRequest('locateSessionData', LocateDataRequestSchema, value),
};
