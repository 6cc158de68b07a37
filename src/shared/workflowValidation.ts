/**
 * Validation of the workflow operations (inspect, runs, posterior, compare): every field's
 * type, range and size is checked before a handler runs, and anything unexpected is refused.
 */
import { datasetId, fail, fileName, name, num, onlyKeys, optNum, record, runId } from './validators.ts';
import type { CompareRequestView, DataOptions, ModelSpec, SamplerMethod, SamplerSpec, StartRunRequest, TruthRequestView } from './workflow.ts';

/** Matches src/gflownet/core/limits.ts (the shared folder may not import the engine). */
export const MAX_WORKFLOW_VARIABLES = 128;
export const MAX_TRUTH_TEXT = 512 * 1024;
export const MAX_TOP_DAGS = 200;
function oneOf<T extends string>(op: string, value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(op, `${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

function bool(op: string, value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(op, `${field} must be true or false`);
  return value;
}

function nameList(op: string, value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length > 4 * MAX_WORKFLOW_VARIABLES) fail(op, `${field} must be a list of at most ${4 * MAX_WORKFLOW_VARIABLES} column names`);
  return value.map((v, k) => name(op, v, `${field}[${k}]`));
}

function edgeList(op: string, value: unknown, field: string, maxEdges: number): Array<[number, number]> {
  if (!Array.isArray(value) || value.length > maxEdges) fail(op, `${field} must be a list of at most ${maxEdges} edges`);
  return value.map((e, k) => {
    if (!Array.isArray(e) || e.length !== 2) fail(op, `${field}[${k}] must be a pair [from, to]`);
    const from = num(op, e[0], `${field}[${k}][0]`, 0, MAX_WORKFLOW_VARIABLES - 1, true);
    const to = num(op, e[1], `${field}[${k}][1]`, 0, MAX_WORKFLOW_VARIABLES - 1, true);
    if (from === to) fail(op, `${field}[${k}] is a self-loop`);
    return [from, to] as [number, number];
  });
}

export function validateDataOptions(op: string, value: unknown): DataOptions {
  const obj = record(op, value, 'options');
  onlyKeys(op, obj, ['columnTypes', 'exclude', 'missing', 'standardize', 'interventionColumn', 'interventionFile', 'interventionSample', 'mixed', 'bins'], 'options');
  const out: DataOptions = {};
  if (obj.columnTypes !== undefined) {
    const types = record(op, obj.columnTypes, 'options.columnTypes');
    const entries = Object.entries(types);
    if (entries.length > 4 * MAX_WORKFLOW_VARIABLES) fail(op, 'options.columnTypes has too many entries');
    out.columnTypes = Object.fromEntries(entries.map(([k, v]) => [name(op, k, 'a column name'), oneOf(op, v, `options.columnTypes["${k}"]`, ['continuous', 'discrete'] as const)]));
  }
  if (obj.exclude !== undefined) out.exclude = nameList(op, obj.exclude, 'options.exclude');
  if (obj.missing !== undefined) out.missing = oneOf(op, obj.missing, 'options.missing', ['refuse', 'drop'] as const);
  if (obj.standardize !== undefined) out.standardize = bool(op, obj.standardize, 'options.standardize');
  if (obj.mixed !== undefined) out.mixed = oneOf(op, obj.mixed, 'options.mixed', ['refuse', 'discretize', 'exclude-continuous', 'exclude-discrete'] as const);
  if (obj.bins !== undefined) out.bins = num(op, obj.bins, 'options.bins', 2, 50, true);
  if (obj.interventionColumn !== undefined) out.interventionColumn = name(op, obj.interventionColumn, 'options.interventionColumn');
  if (obj.interventionFile !== undefined) out.interventionFile = datasetId(op, obj.interventionFile, 'options.interventionFile');
  if (obj.interventionSample !== undefined) out.interventionSample = fileName(op, obj.interventionSample, 'options.interventionSample');
  const sources = [out.interventionColumn, out.interventionFile, out.interventionSample].filter((x) => x !== undefined).length;
  if (sources > 1) fail(op, 'give an intervention column or a sidecar file, not both');
  return out;
}

function validateModel(op: string, value: unknown): ModelSpec {
  const obj = record(op, value, 'model');
  onlyKeys(op, obj, ['score', 'alphaMu', 'alphaW', 'mean', 'ess', 'prior', 'knowledge'], 'model');
  const prior = record(op, obj.prior, 'model.prior');
  onlyKeys(op, prior, ['kind', 'edgesPerNode', 'beta'], 'model.prior');
  const knowledge = record(op, obj.knowledge, 'model.knowledge');
  onlyKeys(op, knowledge, ['forbidden', 'required', 'maxParents', 'tiers'], 'model.knowledge');
  const maxEdges = MAX_WORKFLOW_VARIABLES * (MAX_WORKFLOW_VARIABLES - 1);
  let tiers: number[] | undefined;
  if (knowledge.tiers !== undefined) {
    if (!Array.isArray(knowledge.tiers) || knowledge.tiers.length > MAX_WORKFLOW_VARIABLES) fail(op, `model.knowledge.tiers must be a list of at most ${MAX_WORKFLOW_VARIABLES} tier numbers`);
    tiers = knowledge.tiers.map((t, k) => num(op, t, `model.knowledge.tiers[${k}]`, 0, MAX_WORKFLOW_VARIABLES, true));
  }
  return {
    score: oneOf(op, obj.score, 'model.score', ['bge', 'bdeu'] as const),
    alphaMu: optNum(op, obj.alphaMu, 'model.alphaMu', 1e-6, 1e6),
    alphaW: optNum(op, obj.alphaW, 'model.alphaW', 1e-6, 1e6),
    mean: obj.mean === undefined ? undefined : oneOf(op, obj.mean, 'model.mean', ['zero', 'sample'] as const),
    ess: optNum(op, obj.ess, 'model.ess', 1e-6, 1e6),
    prior: {
      kind: oneOf(op, prior.kind, 'model.prior.kind', ['uniform', 'erdos-renyi', 'edge', 'fair'] as const),
      edgesPerNode: optNum(op, prior.edgesPerNode, 'model.prior.edgesPerNode', 1e-6, MAX_WORKFLOW_VARIABLES),
      beta: optNum(op, prior.beta, 'model.prior.beta', 1e-9, 1e9),
    },
    knowledge: {
      forbidden: edgeList(op, knowledge.forbidden ?? [], 'model.knowledge.forbidden', maxEdges),
      required: edgeList(op, knowledge.required ?? [], 'model.knowledge.required', maxEdges),
      maxParents: optNum(op, knowledge.maxParents, 'model.knowledge.maxParents', 0, MAX_WORKFLOW_VARIABLES - 1, true),
      tiers,
    },
  };
}

const METHODS: readonly SamplerMethod[] = ['exact', 'gflownet', 'mc3', 'order', 'partition'];

function validateSampler(op: string, value: unknown): SamplerSpec {
  const obj = record(op, value, 'sampler');
  onlyKeys(op, obj, ['method', 'iterations', 'timeLimitSeconds', 'seed', 'samples', 'chains', 'burnIn', 'thin'], 'sampler');
  return {
    method: oneOf(op, obj.method, 'sampler.method', METHODS),
    iterations: optNum(op, obj.iterations, 'sampler.iterations', 1, 1e9, true),
    timeLimitSeconds: optNum(op, obj.timeLimitSeconds, 'sampler.timeLimitSeconds', 0.1, 7 * 24 * 3600),
    seed: optNum(op, obj.seed, 'sampler.seed', 0, 2 ** 32 - 1, true),
    samples: optNum(op, obj.samples, 'sampler.samples', 1, 1_000_000, true),
    chains: optNum(op, obj.chains, 'sampler.chains', 1, 16, true),
    burnIn: optNum(op, obj.burnIn, 'sampler.burnIn', 0, 0.95),
    thin: optNum(op, obj.thin, 'sampler.thin', 1, 1e6, true),
  };
}

function validateTruth(op: string, value: unknown): TruthRequestView {
  const obj = record(op, value, 'truth');
  onlyKeys(op, obj, ['source', 'name', 'text'], 'truth');
  const source = oneOf(op, obj.source, 'truth.source', ['sample', 'upload'] as const);
  const truthName = fileName(op, obj.name, 'truth.name');
  if (source === 'sample') {
    if (obj.text !== undefined) fail(op, 'truth.text is only for uploads');
    return { source, name: truthName };
  }
  if (typeof obj.text !== 'string' || obj.text.length > MAX_TRUTH_TEXT) fail(op, `truth.text must be the file's text, at most ${MAX_TRUTH_TEXT / 1024} KB`);
  return { source, name: truthName, text: obj.text };
}

export const workflowValidators = {
  inspectData: (v: unknown): { datasetId: string; options: DataOptions } => {
    const op = 'inspectData';
    const obj = record(op, v);
    onlyKeys(op, obj, ['datasetId', 'options']);
    return { datasetId: datasetId(op, obj.datasetId), options: validateDataOptions(op, obj.options ?? {}) };
  },
  startRun: (v: unknown): StartRunRequest => {
    const op = 'startRun';
    const obj = record(op, v);
    onlyKeys(op, obj, ['datasetId', 'data', 'model', 'sampler']);
    return { datasetId: datasetId(op, obj.datasetId), data: validateDataOptions(op, obj.data ?? {}), model: validateModel(op, obj.model), sampler: validateSampler(op, obj.sampler) };
  },
  cancelRun: (v: unknown): { runId: string } => {
    const obj = record('cancelRun', v);
    onlyKeys('cancelRun', obj, ['runId']);
    return { runId: runId('cancelRun', obj.runId) };
  },
  getPosterior: (v: unknown): { runId: string; topDags: number } => {
    const op = 'getPosterior';
    const obj = record(op, v);
    onlyKeys(op, obj, ['runId', 'topDags']);
    return { runId: runId(op, obj.runId), topDags: num(op, obj.topDags ?? 20, 'topDags', 0, MAX_TOP_DAGS, true) };
  },
  getCpdag: (v: unknown): { runId: string; edges: Array<[number, number]> } => {
    const op = 'getCpdag';
    const obj = record(op, v);
    onlyKeys(op, obj, ['runId', 'edges']);
    return { runId: runId(op, obj.runId), edges: edgeList(op, obj.edges, 'edges', MAX_WORKFLOW_VARIABLES * (MAX_WORKFLOW_VARIABLES - 1)) };
  },
  compareRuns: (v: unknown): CompareRequestView => {
    const op = 'compareRuns';
    const obj = record(op, v);
    onlyKeys(op, obj, ['a', 'b', 'truth']);
    const a = runId(op, obj.a, 'a');
    const b = runId(op, obj.b, 'b');
    return { a, b, truth: obj.truth === undefined ? undefined : validateTruth(op, obj.truth) };
  },
};
