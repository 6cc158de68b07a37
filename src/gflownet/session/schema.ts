/**
 * The `.dagflow` session file (JSON): everything needed to reopen an analysis exactly as it
 * was left — the data reference (path + SHA-256 of the bytes, optionally the data itself),
 * all settings and seeds, every run with its samples and summaries (optionally the GFlowNet
 * checkpoint files), the reference graph and the UI's view state. docs/exports.md documents
 * the schema; this file is its single definition: valibot schemas whose outputs are the
 * session's types, and whose errors give the JSON path of the first problem.
 */
import * as v from 'valibot';
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';
import { checkPackedSamples, PACKED_SAMPLES_ENCODING, type PackedSamples } from './packedSamples.ts';

export const SESSION_FORMAT = 'dagflow-session';
/**
 * Bump on any incompatible change and add a step to MIGRATIONS in migrate.ts.
 * 2: a run's samples may be `packedSamples` (packedSamples.ts), which a version-1 reader would
 * silently drop; named `samples` stay valid.
 */
export const SESSION_VERSION = 2;
export const SESSION_EXTENSION = '.dagflow';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------- schema

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  return typeof x === 'object' ? 'an object' : `${typeof x} ${JSON.stringify(x)?.slice(0, 40)}`;
}

/** "expected <what>, found <what was there>". */
const found = (what: string, input: unknown): string => `expected ${what}, found ${kindOf(input)}`;
const expected =
  (what: string) =>
  (issue: v.BaseIssue<unknown>): string =>
    found(what, issue.input);

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
/** An object with these fields; other fields are allowed (a newer writer's) and kept by validateSession. */
const record = <E extends v.ObjectEntries>(entries: E) =>
  v.pipe(v.custom<Record<string, unknown>>(isPlainObject, expected('an object')), v.object(entries, expected('an object')));
const list = <S extends v.GenericSchema>(item: S) => v.array(item, expected('a list'));
const text = v.string(expected('a string'));
const nonEmptyText = v.pipe(text, v.nonEmpty('must not be empty'));
const finite = v.pipe(v.number(expected('a finite number')), v.finite(expected('a finite number')));
const sha256 = v.pipe(text, v.regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (SHA-256)'));

/** An issue's path below the place a check looks at (valibot prepends where that is); none for the place itself. */
function pathItems(input: unknown, path: ReadonlyArray<string | number>): [v.IssuePathItem, ...v.IssuePathItem[]] | undefined {
  const items = path.map(
    (key) => ({ type: typeof key === 'number' ? 'array' : 'object', origin: 'value', input, key, value: undefined }) as v.IssuePathItem,
  );
  return items.length === 0 ? undefined : (items as [v.IssuePathItem, ...v.IssuePathItem[]]);
}

/**
 * Free JSON (settings, views, summaries): null, booleans, strings, finite numbers, lists and
 * objects; `undefined` members (optional fields the app left out) are allowed and vanish on
 * save. Walked with an explicit stack, so a deeply nested file cannot overflow the call stack.
 */
const jsonObject = v.pipe(
  v.custom<JsonObject>(isPlainObject, expected('an object')),
  v.rawCheck(({ dataset, addIssue }) => {
    const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: dataset.value, path: [] }];
    while (stack.length > 0) {
      const { value, path } = stack.pop()!;
      const bad = (message: string): void => addIssue({ message, path: pathItems(value, path) });
      if (value === undefined || value === null || typeof value === 'boolean' || typeof value === 'string') continue;
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return bad(`expected a finite number, found ${kindOf(value)}`);
      } else if (Array.isArray(value)) {
        for (let k = value.length - 1; k >= 0; k--) stack.push({ value: value[k], path: [...path, k] });
      } else if (typeof value === 'object') {
        for (const [key, member] of Object.entries(value).reverse()) stack.push({ value: member, path: [...path, key] });
      } else return bad(`expected JSON data, found ${kindOf(value)}`);
    }
  }),
);

const EmbeddedDataSchema = record({
  encoding: v.picklist(['utf8', 'base64'], 'expected "utf8" or "base64"'),
  content: text,
});
export type EmbeddedData = v.InferOutput<typeof EmbeddedDataSchema>;

const DataReferenceSchema = record({
  /** Absolute path when the session was saved. */
  path: nonEmptyText,
  /** The same file relative to the session's folder, so a folder moved as a whole still works. */
  relativePath: v.optional(nonEmptyText),
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256,
  bytes: v.pipe(
    finite,
    v.check((b) => Number.isInteger(b) && b >= 0, 'expected a whole number ≥ 0'),
  ),
  /** The file itself, when the user chose to embed it (sharing a session with its data). */
  embedded: v.optional(EmbeddedDataSchema),
});
export type DataReference = v.InferOutput<typeof DataReferenceSchema>;

const CheckpointFileSchema = record({
  /** Path inside the checkpoint folder, '/'-separated, no '..'. */
  name: v.pipe(
    nonEmptyText,
    v.check(
      (name) => !name.startsWith('/') && !name.split(/[\\/]/).some((part) => part === '..' || part === ''),
      (issue) => `${JSON.stringify(issue.input)} must be a relative path inside the checkpoint folder`,
    ),
  ),
  encoding: v.literal('base64', 'expected "base64"'),
  content: text,
  sha256,
});
export type CheckpointFile = v.InferOutput<typeof CheckpointFileSchema>;

/**
 * The samples, the bulk of a session (100 000 DAGs are common), checked by one loop: the same
 * rules as a per-sample schema, 16× faster (103 ms against 1623 ms per validation of 100 000
 * samples of 10 edges), which every autosave pays.
 */
const samplesList = v.pipe(
  v.array(v.unknown(), expected('a list')),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const samples = dataset.value;
    for (let k = 0; k < samples.length; k++) {
      const sample = samples[k];
      if (!isPlainObject(sample)) return addIssue({ message: found('an object', sample), path: pathItems(samples, [k]) });
      const edges = sample.edges;
      if (!Array.isArray(edges)) return addIssue({ message: found('a list', edges), path: pathItems(samples, [k, 'edges']) });
      for (let m = 0; m < edges.length; m++) {
        const e: unknown = edges[m];
        if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string') {
          return addIssue({
            message: `expected ["from", "to"] naming two of the run's columns, found ${JSON.stringify(e)}`,
            path: pathItems(samples, [k, 'edges', m]),
          });
        }
      }
      if (typeof sample.logScore !== 'number' || !Number.isFinite(sample.logScore))
        return addIssue({ message: found('a finite number', sample.logScore), path: pathItems(samples, [k, 'logScore']) });
    }
  }),
  v.transform((samples) => samples as PosteriorSampleRecord[]),
);

/** The samples packed (format version 2): the stream itself is checked against the run's columns in crossCheckRun. */
const PackedSamplesSchema = v.pipe(
  record({
    encoding: v.literal(PACKED_SAMPLES_ENCODING, `expected "${PACKED_SAMPLES_ENCODING}"`),
    count: v.pipe(
      finite,
      v.check((n) => Number.isInteger(n) && n >= 0, 'expected a whole number ≥ 0'),
    ),
    graphs: text,
    logScores: text,
    logWeights: v.optional(text),
  }),
  v.transform((packed) => packed as PackedSamples),
);

/** Issues at a path inside the run (for the checks that look at several fields at once). */
type RunIssue = { message: string; path: Array<string | number> };

function crossCheckRun(run: {
  columns: string[];
  samples?: Array<{ edges: Array<[string, string]> }>;
  packedSamples?: PackedSamples;
  edgeMarginals?: number[];
  status?: 'interrupted';
}): RunIssue | undefined {
  const d = run.columns.length;
  if (new Set(run.columns).size !== d) return { message: 'a column name appears twice', path: ['columns'] };
  const known = new Set(run.columns);
  for (const [k, sample] of (run.samples ?? []).entries()) {
    for (const [m, e] of sample.edges.entries()) {
      if (e.length !== 2 || !known.has(e[0]) || !known.has(e[1]))
        return {
          message: `expected ["from", "to"] naming two of the run's columns, found ${JSON.stringify(e)}`,
          path: ['samples', k, 'edges', m],
        };
    }
  }
  if (run.packedSamples !== undefined) {
    if (run.samples !== undefined) return { message: 'a run has "samples" or "packedSamples", not both', path: ['packedSamples'] };
    const problem = checkPackedSamples(run.packedSamples, d);
    if (problem) return { message: problem.message, path: ['packedSamples', problem.field] };
  }
  if (run.edgeMarginals !== undefined) {
    if (run.edgeMarginals.length !== d * d)
      return { message: `expected ${d}×${d} = ${d * d} numbers, found ${run.edgeMarginals.length}`, path: ['edgeMarginals'] };
    const k = run.edgeMarginals.findIndex((p) => p < 0 || p > 1);
    if (k >= 0) return { message: `${run.edgeMarginals[k]} is not a probability`, path: ['edgeMarginals', k] };
  }
  if (run.status === undefined && run.samples === undefined && run.packedSamples === undefined && run.edgeMarginals === undefined)
    return { message: 'a run needs "samples", "packedSamples" or "edgeMarginals"', path: [] };
  return undefined;
}

const SessionRunSchema = v.pipe(
  record({
    id: nonEmptyText,
    label: v.optional(text),
    /** Sampler: 'gflownet', 'mc3', 'order', 'partition', 'exact', … */
    method: nonEmptyText,
    columns: list(nonEmptyText),
    /** Model and sampler settings as the app sent them (free JSON). */
    settings: jsonObject,
    seed: v.optional(finite),
    /** summary.json of the run (free JSON). */
    summary: jsonObject,
    /** Named edge lists: what version 1 wrote (and `dagflow session` before version 2); still read. */
    samples: v.optional(samplesList),
    /** The samples packed (what the app writes since version 2). */
    packedSamples: v.optional(PackedSamplesSchema),
    /** Row-major d·d P(i → j). */
    edgeMarginals: v.optional(list(finite)),
    /** Where the run's marginals came from: the sampler's edge_marginals.csv, or counted from the samples. */
    marginalsFrom: v.optional(v.picklist(['edge_marginals.csv', 'samples.jsonl'], 'expected "edge_marginals.csv" or "samples.jsonl"')),
    checkpoint: v.optional(list(CheckpointFileSchema)),
    /**
     * 'interrupted': the run was still going when the session was last written (the app crashed
     * or was stopped). It has its settings but no samples or marginals; absent for finished runs.
     */
    status: v.optional(v.literal('interrupted', (issue) => `expected "interrupted" or no status, found ${JSON.stringify(issue.input)}`)),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = crossCheckRun(dataset.value);
    if (problem) addIssue({ message: problem.message, path: pathItems(dataset.value, problem.path) });
  }),
);
export type SessionRun = v.InferOutput<typeof SessionRunSchema>;

const ReferenceGraphSchema = record({
  /** Where it was imported from, for display. */
  source: v.optional(text),
  edges: list(v.tuple([text, text], (issue) => `expected ["from", "to"], found ${JSON.stringify(issue.input)}`)),
});
export type ReferenceGraph = v.InferOutput<typeof ReferenceGraphSchema>;

const SessionFileSchema = record({
  format: v.literal(SESSION_FORMAT, `expected "${SESSION_FORMAT}"`),
  version: v.literal(SESSION_VERSION, (issue) => `expected ${SESSION_VERSION} after migration, found ${JSON.stringify(issue.input)}`),
  /** Which app wrote it ("DAGFlow 0.1.0"), for messages about newer files. */
  writtenBy: v.optional(text),
  data: v.nullable(DataReferenceSchema),
  /** Data, model and sampler settings of the workspace, seeds included (free JSON). */
  settings: jsonObject,
  runs: v.pipe(
    list(SessionRunSchema),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const seen = new Set<string>();
      for (const [k, run] of dataset.value.entries()) {
        if (seen.has(run.id))
          return addIssue({ message: `the run id "${run.id}" is used twice`, path: pathItems(dataset.value, [k, 'id']) });
        seen.add(run.id);
      }
    }),
  ),
  reference: v.optional(ReferenceGraphSchema),
  /** UI state: selected run, threshold, open views, node positions … (free JSON). */
  views: jsonObject,
});
export type SessionFile = v.InferOutput<typeof SessionFileSchema>;

export type SessionProblem = 'corrupt' | 'not-a-session' | 'data-table' | 'newer-version' | 'invalid' | 'data-missing' | 'data-changed';

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

/** `runs[0].samples[1].edges[0]`; the top level is "(top level)". */
function jsonPath(path: readonly v.IssuePathItem[] | undefined): string {
  if (!path || path.length === 0) return '(top level)';
  return path
    .map((item, k) => (typeof item.key === 'number' ? `[${item.key}]` : k === 0 ? String(item.key) : `.${String(item.key)}`))
    .join('');
}

/**
 * Throws SessionError('invalid', "<json path>: <what>") at the first problem. Returns the value
 * itself, not valibot's copy, so fields a newer writer added survive a re-save.
 */
export function validateSession(value: unknown, file?: string): SessionFile {
  const result = v.safeParse(SessionFileSchema, value, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0];
    throw new SessionError(
      'invalid',
      `${jsonPath(issue.path)}: ${issue.message}`,
      file,
      'the session file was edited or damaged; open its .bak copy if there is one',
    );
  }
  return value as SessionFile;
}
