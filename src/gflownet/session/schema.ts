/**
 * The `.dagflow` session file (JSON): everything needed to reopen an analysis exactly as it
 * was left — the data reference (path + SHA-256 of the bytes, optionally the data itself),
 * all settings and seeds, every run with its samples and summaries (optionally the GFlowNet
 * checkpoint files), the reference graph and the UI's view state. docs/exports.md documents
 * the schema; this file is its single definition, with a validator whose errors give the
 * JSON path of the first problem.
 */
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';

export const SESSION_FORMAT = 'dagflow-session';
/** Bump on any incompatible change and add a step to MIGRATIONS in migrate.ts. */
export const SESSION_VERSION = 1;
export const SESSION_EXTENSION = '.dagflow';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EmbeddedData {
  encoding: 'utf8' | 'base64';
  content: string;
}

export interface DataReference {
  /** Absolute path when the session was saved. */
  path: string;
  /** The same file relative to the session's folder, so a folder moved as a whole still works. */
  relativePath?: string;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
  bytes: number;
  /** The file itself, when the user chose to embed it (sharing a session with its data). */
  embedded?: EmbeddedData;
}

export interface CheckpointFile {
  /** Path inside the checkpoint folder, '/'-separated, no '..'. */
  name: string;
  encoding: 'base64';
  content: string;
  sha256: string;
}

export interface SessionRun {
  id: string;
  label?: string;
  /** Sampler: 'gflownet', 'mc3', 'order', 'partition', 'exact', … */
  method: string;
  columns: string[];
  /** Model and sampler settings as the app sent them (free JSON). */
  settings: JsonObject;
  seed?: number;
  /** summary.json of the run (free JSON). */
  summary: JsonObject;
  samples?: PosteriorSampleRecord[];
  /** Row-major d·d P(i → j). */
  edgeMarginals?: number[];
  /** Where the run's marginals came from: the sampler's edge_marginals.csv, or counted from the samples. */
  marginalsFrom?: 'edge_marginals.csv' | 'samples.jsonl';
  checkpoint?: CheckpointFile[];
  /**
   * 'interrupted': the run was still going when the session was last written (the app crashed
   * or was stopped). It has its settings but no samples or marginals; absent for finished runs.
   */
  status?: 'interrupted';
}

export interface ReferenceGraph {
  /** Where it was imported from, for display. */
  source?: string;
  edges: Array<[string, string]>;
}

export interface SessionFile {
  format: typeof SESSION_FORMAT;
  version: number;
  /** Which app wrote it ("DAGFlow 0.1.0"), for messages about newer files. */
  writtenBy?: string;
  data: DataReference | null;
  /** Data, model and sampler settings of the workspace, seeds included (free JSON). */
  settings: JsonObject;
  runs: SessionRun[];
  reference?: ReferenceGraph;
  /** UI state: selected run, threshold, open views, node positions … (free JSON). */
  views: JsonObject;
}

export type SessionProblem = 'corrupt' | 'not-a-session' | 'newer-version' | 'invalid' | 'data-missing' | 'data-changed';

/** Every session problem; `problem` lets the UI pick its dialog (ask for the data, refuse a newer file …). */
export class SessionError extends DagflowError {
  readonly problem: SessionProblem;

  constructor(problem: SessionProblem, message: string, file: string | undefined, hint?: string) {
    super('IO', message, file === undefined ? {} : { file }, hint);
    this.problem = problem;
  }
}

export function emptySession(): SessionFile {
  return { format: SESSION_FORMAT, version: SESSION_VERSION, data: null, settings: {}, runs: [], views: {} };
}

// ---------------------------------------------------------------- validation

class Checker {
  constructor(private readonly file: string | undefined) {}

  fail(where: string, what: string): never {
    throw new SessionError('invalid', `${where}: ${what}`, this.file, 'the session file was edited or damaged; open its .bak copy if there is one');
  }

  object(v: unknown, where: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(where, `expected an object, found ${kindOf(v)}`);
    return v as Record<string, unknown>;
  }

  array(v: unknown, where: string): unknown[] {
    if (!Array.isArray(v)) this.fail(where, `expected a list, found ${kindOf(v)}`);
    return v;
  }

  string(v: unknown, where: string, nonEmpty = false): string {
    if (typeof v !== 'string') this.fail(where, `expected a string, found ${kindOf(v)}`);
    if (nonEmpty && v === '') this.fail(where, 'must not be empty');
    return v;
  }

  number(v: unknown, where: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(where, `expected a finite number, found ${kindOf(v)}`);
    return v;
  }

  /** Free JSON; `undefined` members (optional fields the app left out) are allowed and vanish on save. */
  json(v: unknown, where: string): void {
    if (v === undefined || v === null || typeof v === 'boolean' || typeof v === 'string') return;
    if (typeof v === 'number') {
      this.number(v, where);
      return;
    }
    if (Array.isArray(v)) v.forEach((x, k) => this.json(x, `${where}[${k}]`));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) this.json(x, `${where}.${k}`);
    else this.fail(where, `expected JSON data, found ${kindOf(v)}`);
  }

  jsonObject(v: unknown, where: string): void {
    this.object(v, where);
    this.json(v, where);
  }
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function checkData(c: Checker, v: unknown): void {
  if (v === null) return;
  const data = c.object(v, 'data');
  c.string(data.path, 'data.path', true);
  if (data.relativePath !== undefined) c.string(data.relativePath, 'data.relativePath', true);
  if (!/^[0-9a-f]{64}$/.test(c.string(data.sha256, 'data.sha256'))) c.fail('data.sha256', 'expected 64 lowercase hex digits (SHA-256)');
  const bytes = c.number(data.bytes, 'data.bytes');
  if (!Number.isInteger(bytes) || bytes < 0) c.fail('data.bytes', 'expected a whole number ≥ 0');
  if (data.embedded !== undefined) {
    const e = c.object(data.embedded, 'data.embedded');
    if (e.encoding !== 'utf8' && e.encoding !== 'base64') c.fail('data.embedded.encoding', 'expected "utf8" or "base64"');
    c.string(e.content, 'data.embedded.content');
  }
}

function checkRun(c: Checker, v: unknown, where: string, ids: Set<string>): void {
  const run = c.object(v, where);
  const id = c.string(run.id, `${where}.id`, true);
  if (ids.has(id)) c.fail(`${where}.id`, `the run id "${id}" is used twice`);
  ids.add(id);
  if (run.label !== undefined) c.string(run.label, `${where}.label`);
  c.string(run.method, `${where}.method`, true);
  const columns = c.array(run.columns, `${where}.columns`).map((x, k) => c.string(x, `${where}.columns[${k}]`, true));
  if (new Set(columns).size !== columns.length) c.fail(`${where}.columns`, 'a column name appears twice');
  const known = new Set(columns);
  c.jsonObject(run.settings, `${where}.settings`);
  if (run.seed !== undefined) c.number(run.seed, `${where}.seed`);
  c.jsonObject(run.summary, `${where}.summary`);
  if (run.samples !== undefined) {
    c.array(run.samples, `${where}.samples`).forEach((s, k) => {
      const at = `${where}.samples[${k}]`;
      const sample = c.object(s, at);
      c.array(sample.edges, `${at}.edges`).forEach((e, m) => {
        if (!Array.isArray(e) || e.length !== 2 || !known.has(e[0]) || !known.has(e[1])) {
          c.fail(`${at}.edges[${m}]`, `expected ["from", "to"] naming two of the run's columns, found ${JSON.stringify(e)}`);
        }
      });
      c.number(sample.logScore, `${at}.logScore`);
    });
  }
  if (run.edgeMarginals !== undefined) {
    const m = c.array(run.edgeMarginals, `${where}.edgeMarginals`);
    if (m.length !== columns.length * columns.length) c.fail(`${where}.edgeMarginals`, `expected ${columns.length}×${columns.length} = ${columns.length ** 2} numbers, found ${m.length}`);
    m.forEach((p, k) => {
      const x = c.number(p, `${where}.edgeMarginals[${k}]`);
      if (x < 0 || x > 1) c.fail(`${where}.edgeMarginals[${k}]`, `${x} is not a probability`);
    });
  }
  if (run.marginalsFrom !== undefined && run.marginalsFrom !== 'edge_marginals.csv' && run.marginalsFrom !== 'samples.jsonl') {
    c.fail(`${where}.marginalsFrom`, 'expected "edge_marginals.csv" or "samples.jsonl"');
  }
  if (run.status !== undefined && run.status !== 'interrupted') c.fail(`${where}.status`, `expected "interrupted" or no status, found ${JSON.stringify(run.status)}`);
  if (run.status === undefined && run.samples === undefined && run.edgeMarginals === undefined) c.fail(where, 'a run needs "samples" or "edgeMarginals"');
  if (run.checkpoint !== undefined) {
    c.array(run.checkpoint, `${where}.checkpoint`).forEach((f, k) => {
      const at = `${where}.checkpoint[${k}]`;
      const file = c.object(f, at);
      const name = c.string(file.name, `${at}.name`, true);
      if (name.startsWith('/') || name.split(/[\\/]/).some((part) => part === '..' || part === '')) c.fail(`${at}.name`, `"${name}" must be a relative path inside the checkpoint folder`);
      if (file.encoding !== 'base64') c.fail(`${at}.encoding`, 'expected "base64"');
      c.string(file.content, `${at}.content`);
      if (!/^[0-9a-f]{64}$/.test(c.string(file.sha256, `${at}.sha256`))) c.fail(`${at}.sha256`, 'expected 64 lowercase hex digits (SHA-256)');
    });
  }
}

/** Throws SessionError('invalid', "<json path>: <what>") at the first problem. */
export function validateSession(value: unknown, file?: string): SessionFile {
  const c = new Checker(file);
  const s = c.object(value, '(top level)');
  if (s.format !== SESSION_FORMAT) c.fail('format', `expected "${SESSION_FORMAT}"`);
  if (s.version !== SESSION_VERSION) c.fail('version', `expected ${SESSION_VERSION} after migration, found ${JSON.stringify(s.version)}`);
  if (s.writtenBy !== undefined) c.string(s.writtenBy, 'writtenBy');
  checkData(c, s.data);
  c.jsonObject(s.settings, 'settings');
  const ids = new Set<string>();
  c.array(s.runs, 'runs').forEach((r, k) => checkRun(c, r, `runs[${k}]`, ids));
  if (s.reference !== undefined) {
    const ref = c.object(s.reference, 'reference');
    if (ref.source !== undefined) c.string(ref.source, 'reference.source');
    c.array(ref.edges, 'reference.edges').forEach((e, k) => {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string') c.fail(`reference.edges[${k}]`, `expected ["from", "to"], found ${JSON.stringify(e)}`);
    });
  }
  c.jsonObject(s.views, 'views');
  return value as SessionFile;
}
