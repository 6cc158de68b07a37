/**
 * The API contract: every operation the UI can ask of the Node side and every event the Node
 * side streams back. Implemented by the Electron preload (IPC) and by the browser-mode client
 * (HTTP + server-sent events); consumed by the renderer. Nothing else may cross that boundary.
 */
import type { OpenDataRequest, StartJobRequest } from './foundationValidation.ts';
import type { AnswersRequest, AnswersView } from './answers.ts';
import type { DesignRequest, DesignView, PoolExperimentRequest, PoolExperimentView } from './design.ts';
import type { FieldKey } from './fields.ts';
import type { OpenSweepRequest, SweepView } from './sweep.ts';
import type { TrustRequest, TrustView } from './trust.ts';
import type { CandidateSpaceRequest, CandidateSpaceView } from './candidateSpace.ts';
import type { TrainingDefaultsRequest, TrainingDefaultsView } from './trainingOptions.ts';
import type { JobEvent, JobSummary } from './jobTypes.ts';
import type {
  ExportedFile,
  ExportRequest,
  ImportGraphRequest,
  ImportedGraphView,
  LocateDataRequest,
  OpenedSessionView,
  OpenSessionRequest,
  RecoverableSession,
  CurrentSessionView,
  RecoverySessionRequest,
  SavedExport,
  SavedSession,
  SaveSessionRequest,
  SessionProblem,
  SessionStateRequest,
  SessionStatus,
} from './exchange.ts';
import type {
  Capabilities,
  ComparisonView,
  CompareRequestView,
  CpdagView,
  DataOptions,
  DataReport,
  PosteriorView,
  RunSummaryView,
  StartRunRequest,
} from './workflow.ts';

export type { JobEvent, JobSummary } from './jobTypes.ts';
export type * from './progress.ts';
export type * from './workflow.ts';
export type * from './answers.ts';
export type * from './exchange.ts';
export type * from './sweep.ts';
export type * from './trust.ts';
export type * from './design.ts';
export type * from './candidateSpace.ts';
export type * from './trainingOptions.ts';

export const API_OPERATIONS = [
  'getAppInfo',
  'listSamples',
  'openData',
  'startJob',
  'cancelJob',
  'listJobs',
  'getCapabilities',
  'inspectData',
  'startRun',
  'cancelRun',
  'listRuns',
  'getPosterior',
  'getCpdag',
  'getAnswers',
  'getTrust',
  'getDesign',
  'poolExperiment',
  'compareRuns',
  'getCandidateSpace',
  'getTrainingDefaults',
  'exportRun',
  'saveExport',
  'importGraph',
  'updateSession',
  'getSessionState',
  'saveSession',
  'openSession',
  'locateSessionData',
  'listRecoverableSessions',
  'recoverSession',
  'discardRecoverableSession',
  'listRecentFiles',
  'openSweep',
  'getSweep',
] as const;
export type ApiOperation = (typeof API_OPERATIONS)[number];

export type Transport = 'electron' | 'browser';

export interface AppInfo {
  version: string;
  backend: 'tensorflow' | 'wasm' | 'cpu';
  backendReason: string;
  transport: Transport;
  platform: string;
  /** Worker threads that may run at once. */
  maxConcurrentJobs: number;
}

export interface SampleInfo {
  /** File name in samples/, e.g. "sachs_obs_853.csv". */
  name: string;
  title: string;
  kind: 'continuous' | 'discrete';
  description: string;
}

/** The foundation's requests are their schemas' outputs (valibot, shared/foundationValidation.ts). */
export type { OpenDataRequest, StartJobRequest } from './foundationValidation.ts';

export interface DataPreview {
  datasetId: string;
  /** File name only; the full path never reaches the renderer. */
  name: string;
  sizeBytes: number;
  columns: string[];
  /** The first rows as text, for the preview table. */
  rows: string[][];
  rowCount: number;
  delimiter: string;
}

export type ApiErrorInfo = {
  message: string;
  code: string;
  location?: { file?: string; row?: number; column?: string; field?: FieldKey; flag?: string };
  /** Session files: why one could not be opened or its data not used (newer version, data missing or changed …). */
  problem?: SessionProblem;
};

export interface DagflowApi {
  getAppInfo(): Promise<AppInfo>;
  listSamples(): Promise<SampleInfo[]>;
  /** Resolves null when the user closes the dialog without choosing. */
  openData(request: OpenDataRequest): Promise<DataPreview | null>;
  startJob(request: StartJobRequest): Promise<{ jobId: string }>;
  cancelJob(request: { jobId: string }): Promise<{ cancelled: boolean }>;
  listJobs(): Promise<JobSummary[]>;
  /** Which samplers and views this build offers (engine parts land one by one). */
  getCapabilities(): Promise<Capabilities>;
  /** Read the opened file with these options (in a worker): column kinds, evidence, missing values. */
  inspectData(request: { datasetId: string; options: DataOptions }): Promise<DataReport>;
  /** Start a posterior run (exact, GFlowNet or MCMC) on an opened data set. */
  startRun(request: StartRunRequest): Promise<RunSummaryView>;
  cancelRun(request: { runId: string }): Promise<{ cancelled: boolean }>;
  /** Every run of this session, oldest first. */
  listRuns(): Promise<RunSummaryView[]>;
  /** Edge marginals and the most frequent DAGs of a finished run. */
  getPosterior(request: { runId: string; topDags: number }): Promise<PosteriorView>;
  /** The CPDAG (Markov equivalence class) of one DAG over the run's variables. */
  getCpdag(request: { runId: string; edges: Array<[number, number]> }): Promise<CpdagView>;
  /** Causal answers from a finished run's posterior: features with error bars, an effect, a hypothesis, what-ifs (docs/answers.md). */
  getAnswers(request: AnswersRequest): Promise<AnswersView>;
  /** How far to trust a run (the badge on Run, Posterior and exports), and the live figure's reference. */
  getTrust(request: TrustRequest): Promise<TrustView>;
  /** Which experiment next: the expected information gain of an intervention per target, ranked (docs/design.md). */
  getDesign(request: DesignRequest): Promise<DesignView>;
  /** Close the loop: an experiment's rows (an opened file) pooled with a run's data; start the returned run request to update the posterior. */
  poolExperiment(request: PoolExperimentRequest): Promise<PoolExperimentView>;
  /** The layered GFlowNet's candidate-parent space for this data and model, before a run (a worker; cached). */
  getCandidateSpace(request: CandidateSpaceRequest): Promise<CandidateSpaceView>;
  /** The GFlowNet's training defaults for a problem of this many variables (the engine's numbers). */
  getTrainingDefaults(request: TrainingDefaultsRequest): Promise<TrainingDefaultsView>;
  /** Two finished runs side by side, optionally against a known true graph. */
  compareRuns(request: CompareRequestView): Promise<ComparisonView>;
  /** The desktop app's recent files (names only, newest first; empty in browser mode); open one with openData({source:'recent', index}). */
  listRecentFiles(): Promise<string[]>;
  /** Open a sweep folder (dagflow sweep): the array's progress and the combined posterior; null when the dialog is dismissed. */
  openSweep(request: OpenSweepRequest): Promise<SweepView | null>;
  /** The open sweep read again (an array still running). */
  getSweep(request: { sweepId: string }): Promise<SweepView>;
  /** A finished run in one of the export formats, for the window to download (browser mode). */
  exportRun(request: ExportRequest): Promise<ExportedFile>;
  /** Desktop app: the same export written where the user chooses (native dialog, atomic write); null when dismissed. */
  saveExport(request: ExportRequest): Promise<SavedExport | null>;
  /** A graph file (text) as edges over the data's variables: a reference graph, required or forbidden edges. */
  importGraph(request: ImportGraphRequest): Promise<ImportedGraphView>;
  /** The window's settings and views changed: kept for the next save (and autosaved in the desktop app). */
  updateSession(request: SessionStateRequest): Promise<SessionStatus>;
  /** What the Node side holds of this window's session (data, settings, views, runs): a reloaded page puts the user back where they were. */
  getSessionState(): Promise<CurrentSessionView>;
  /** Save the session: desktop app to its file (a dialog the first time or with saveAs); browser mode returns the file to download. Null when dismissed. */
  saveSession(request: SaveSessionRequest): Promise<SavedSession | null>;
  /** Open a .dagflow file: its runs replace the finished runs of the window; null when dismissed. */
  openSession(request: OpenSessionRequest): Promise<OpenedSessionView | null>;
  /** The opened session's data moved or changed: use this file if its SHA-256 matches (else problem 'data-changed'). */
  locateSessionData(request: LocateDataRequest): Promise<DataPreview | null>;
  /** Untitled sessions that a crashed app left behind (not those of a running app), newest first. */
  listRecoverableSessions(): Promise<RecoverableSession[]>;
  /** Open one as openSession does; its recovery file goes once the session is saved under a real name or discarded. */
  recoverSession(request: RecoverySessionRequest): Promise<OpenedSessionView>;
  /** Delete a recovery file without opening it. */
  discardRecoverableSession(request: RecoverySessionRequest): Promise<{ discarded: boolean }>;
  /** Subscribe to job events; returns the unsubscribe function. */
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  /** Native menu commands (Electron only; never fires in browser mode). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

export type MenuCommand =
  | { action: 'open' }
  | { action: 'open-recent'; index: number }
  | { action: 'export' }
  | { action: 'open-session' }
  | { action: 'save-session' }
  | { action: 'save-session-as' };

export type ApiRequest<Op extends ApiOperation> = Parameters<DagflowApi[Op]> extends [infer R] ? R : undefined;
export type ApiResponse<Op extends ApiOperation> = Awaited<ReturnType<DagflowApi[Op]>>;

/** What both transports carry back: a value, or an error the UI can show as it is. */
export type ApiEnvelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorInfo };

/** The Node-side implementation behind both transports. */
export type ApiHandlers = { [Op in ApiOperation]: (request: ApiRequest<Op>) => Promise<ApiResponse<Op>> };

export const IPC_PREFIX = 'dagflow:';
export const IPC_EVENT_CHANNEL = 'dagflow:job-event';
export const IPC_MENU_CHANNEL = 'dagflow:menu';
export const ipcChannel = (op: ApiOperation): string => `${IPC_PREFIX}${op}`;

/** Error thrown on the renderer side when an operation fails; carries what the UI shows. */
export class ApiError extends Error {
  constructor(readonly info: ApiErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
  }
}

export function unwrapEnvelope<T>(envelope: ApiEnvelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}
