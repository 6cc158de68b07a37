/**
 * What leaves the window and comes back (issue 8), as the contract carries it: exports of a run
 * in every format, graph files imported as a reference graph or as prior knowledge, and session
 * files. Plain JSON shapes; binary exports travel as base64. Full paths never reach the renderer.
 */
import type { DataPreview } from './api.ts';
import type { ReferenceGraphView } from './exchangeValidation.ts';
import type { RunSummaryView } from './workflow.ts';

/** The requests' types are their schemas' outputs (valibot, shared/exchangeValidation.ts). */
export type {
  ExportRequest,
  GraphPurpose,
  ImportGraphRequest,
  LocateDataRequest,
  OpenSessionRequest,
  RecoverySessionRequest,
  ReferenceGraphView,
  SaveSessionRequest,
  SessionStateRequest,
} from './exchangeValidation.ts';

/** Every export format; the engine's renderExport.ts uses this list. */
export const EXPORT_FORMAT_IDS = [
  'samples-jsonl',
  'samples-csv',
  'arc-strength',
  'edge-marginals',
  'causal-features',
  'causal-effects',
  'causal-json',
  'graphml',
  'dot',
  'cytoscape',
  'tetrad',
  'dagitty',
  'bif',
  'xmlbif',
  'svg',
  'png',
  'report',
] as const;
export type ExportFormat = (typeof EXPORT_FORMAT_IDS)[number];

/** Formats that need DAG samples (the exact posterior gives edge probabilities only). */
export const SAMPLE_EXPORTS: readonly ExportFormat[] = ['samples-jsonl', 'samples-csv', 'causal-features', 'causal-effects', 'causal-json'];

/** Formats that need the data the run was scored on (effects; conditional tables). */
export const DATA_EXPORTS: readonly ExportFormat[] = ['causal-effects', 'bif', 'xmlbif'];

/** How the Export menu names each format. */
export const EXPORT_FORMAT_TITLES: Record<ExportFormat, string> = {
  'samples-jsonl': 'Samples (JSON Lines)',
  'samples-csv': 'Samples (CSV: sample,from,to)',
  'arc-strength': 'Arc strengths (bnlearn CSV)',
  'edge-marginals': 'Edge marginals (CSV matrix)',
  'causal-features': 'Path, Markov-blanket and edge probabilities with error bars (CSV)',
  'causal-effects': 'Causal effects of every pair with intervals (CSV)',
  'causal-json': 'Causal answers: features with error bars and effects (JSON)',
  graphml: 'Consensus graph (GraphML)',
  dot: 'Consensus graph (Graphviz DOT)',
  cytoscape: 'Consensus graph (Cytoscape JSON)',
  tetrad: 'Consensus graph (Tetrad text)',
  dagitty: 'Consensus graph (DAGitty)',
  bif: 'Consensus network with conditional tables (BIF, discrete data)',
  xmlbif: 'Consensus network with conditional tables (XMLBIF, discrete data)',
  svg: 'Consensus graph (SVG image)',
  png: 'Consensus graph (PNG image)',
  report: 'Run report (HTML)',
};

/** An export for the browser to download: text, or base64 for binary formats (PNG). */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  text?: string;
  base64?: string;
  /** Edges of the exported consensus graph (graph formats and the report). */
  edges?: number;
}

/** An export the desktop app wrote where the user chose (native dialog in main, atomic write). */
export interface SavedExport {
  fileName: string;
  bytes: number;
  edges?: number;
}

/** Mirrors SessionProblem of src/gflownet/session/schema.ts: lets the window pick its message. */
export type SessionProblem = 'corrupt' | 'not-a-session' | 'data-table' | 'newer-version' | 'invalid' | 'data-missing' | 'data-changed';

export interface ImportedGraphView {
  fileName: string;
  format: 'edge-list' | 'dot' | 'graphml' | 'adjacency-matrix' | 'tetrad';
  /** [from, to] indices into the request's variables. */
  edges: Array<[number, number]>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonRecord = { [key: string]: Json };

export interface SessionStatus {
  /** The session file's name (desktop app, once saved or opened); null otherwise. */
  fileName: string | null;
  /** Whether changes are written to that file automatically. */
  autosave: boolean;
  /** When the file was last written (ms since the epoch). */
  savedAt?: number;
}

export interface SavedSession {
  fileName: string;
  bytes: number;
  /** Browser mode: the file's text, for the window to download. */
  content?: string;
}

export type SessionDataStatus =
  /** The data file is where the session says (or beside it) with the same bytes: it is open again. */
  | { status: 'found'; preview: DataPreview }
  /** Not found, but the session carries the data: it is open again from there. */
  | { status: 'embedded'; preview: DataPreview }
  /** Not found: the window asks for it (locateSessionData). */
  | { status: 'missing'; name: string }
  /** A file is there but its bytes changed since the runs: the window asks for the original. */
  | { status: 'changed'; name: string }
  /** The session was saved before any data was opened. */
  | { status: 'none' };

export interface OpenedSessionView {
  fileName: string;
  /** The format version the file was written in (older ones are migrated when read). */
  fromVersion: number;
  settings: JsonRecord;
  views: JsonRecord;
  reference: ReferenceGraphView | null;
  /** The session's runs, finished, in the run list. */
  runs: RunSummaryView[];
  /** Run ids that had to change because the id was taken (old → new). */
  renamed: Record<string, string>;
  data: SessionDataStatus;
  status: SessionStatus;
}

/**
 * The session as the Node side holds it now (the window's last settings and views, its data set,
 * every run): a reloaded page starts from it.
 */
export interface CurrentSessionView {
  settings: JsonRecord;
  views: JsonRecord;
  reference: ReferenceGraphView | null;
  runs: RunSummaryView[];
  /** 'found' when a data set is open (its preview); 'missing'/'changed' while a reopened session waits for its data. */
  data: SessionDataStatus;
  status: SessionStatus;
}

/** An untitled session a crashed (or killed) app process left in the recovery folder. */
export interface RecoverableSession {
  /** `<pid>-<start time>` of the process that wrote it: what recoverSession and discardRecoverableSession take. */
  id: string;
  /** When it was last autosaved (ms since the epoch). */
  savedAt: number;
  /** The data file's name, or null when no data was open. */
  dataFile: string | null;
  runs: number;
  /** Set when the file cannot be read (why): it can only be discarded. */
  damaged?: string;
}
