/**
 * From a ProblemSpec to what the samplers need: the data set read with the user's options, a
 * cached local-score model, the structure-prior table f(k), checked prior knowledge and the
 * reward that combines them. The one place the window, the command line and the browser-mode
 * server turn a problem into numbers, so every one of them reads a file the same way and says
 * the same thing about it.
 *
 * Contradictory knowledge (a required edge that is also forbidden or goes against the tiers,
 * required edges forming a cycle, more required parents than the parent bound) is an error
 * naming the edges. Messages name files as the user knows them, never the temporary copy of an
 * upload.
 */
import { DagflowError } from '../core/errors.ts';
import { structurePriorTable } from '../core/priors.ts';
import type { PriorKnowledge, StructurePriorOptions } from '../core/types.ts';
import { loadDataset, type LoadedDataset, type LoadOptions } from '../data/load.ts';
import { adjacencyFromEdges, findCycle } from '../graph/dag.ts';
import { readEdgeListCsv } from '../graph/edgeList.ts';
import { readTiersCsv } from '../graph/tierList.ts';
import { createRewardModel, type RewardModel } from '../scores/reward.ts';
import { createScoreModel, type CachedScoreModel, type ScoreOptions } from '../scores/scoreModel.ts';
import type { DataSpec, EdgeBeliefsSpec, EdgesSpec, KnowledgeSpec, ProblemSpec, ScoreSpec, TiersSpec, UserFile } from './spec.ts';
import { readEdgeBeliefsCsv } from '../causal/beliefCsv.ts';
import { beliefTerms, type EdgeBelief } from '../causal/edgeBeliefs.ts';

export interface ScoringProblem {
  dataset: LoadedDataset;
  model: CachedScoreModel;
  /** The score as resolved for this data (auto → bge or bdeu) with its hyper-parameters. */
  scoreOptions: ScoreOptions;
}

export interface LoadedKnowledge {
  prior: StructurePriorOptions;
  /** f(k), k = 0..d−1. */
  priorTable: Float64Array;
  knowledge: PriorKnowledge;
  /** Soft edge beliefs, when given, and their per-edge log prior odds (d·d) that the reward adds. */
  edgeBeliefs?: EdgeBelief[];
  edgeLogPrior?: Float64Array;
}

export interface LoadedProblem extends ScoringProblem, LoadedKnowledge {
  reward: RewardModel;
}

export interface LoadExtras {
  signal?: AbortSignal;
  onProgress?: LoadOptions['onProgress'];
}

/** Rewrite temporary paths in an engine error to the names the user chose. */
export function renameFilesInError(e: unknown, source: UserFile & { interventionFile?: UserFile }): never {
  if (e instanceof DagflowError) {
    const files = [source, ...(source.interventionFile ? [source.interventionFile] : [])];
    for (const file of files) {
      if (file.name === undefined) continue;
      if (e.location.file === file.path) e.location.file = file.name;
      e.message = e.message.split(file.path).join(file.name);
    }
  }
  throw e;
}

/** The data file read as `data` says, for the score `score` (auto: the kinds are detected). */
export async function readData(data: DataSpec, score: ScoreSpec['score'], extras: LoadExtras = {}): Promise<LoadedDataset> {
  const o = data.options;
  const options: LoadOptions = {
    score,
    columnTypes: o.columnTypes,
    exclude: o.exclude,
    missingTokens: o.missingTokens,
    missing: o.missing,
    mixed: o.mixed,
    bins: o.bins,
    maxDiscreteLevels: o.maxDiscreteLevels,
    standardize: o.standardize,
    interventionColumn: o.interventionColumn,
    interventionFile: data.interventionFile?.path,
    signal: extras.signal,
    onProgress: extras.onProgress,
  };
  return loadDataset(data.path, options).catch((e: unknown) => renameFilesInError(e, data));
}

/** The data set and its cached local-score model. */
export async function loadScoring(data: DataSpec, score: ScoreSpec, extras: LoadExtras = {}): Promise<ScoringProblem> {
  checkScoreSpecificOptions(score, score.score);
  const dataset = await readData(data, score.score, extras);
  const resolved = dataset.kind === 'continuous' ? 'bge' : 'bdeu';
  checkScoreSpecificOptions(score, resolved);
  const scoreOptions: ScoreOptions =
    resolved === 'bge'
      ? { score: 'bge', alphaMu: score.alphaMu, alphaW: score.alphaW, mean: score.mean }
      : { score: 'bdeu', ess: score.ess };
  const model = createScoreModel(dataset, scoreOptions);
  return { dataset, model, scoreOptions };
}

/** A BGe option with BDeu (or the reverse) is a mistake worth saying, not something to ignore. */
function checkScoreSpecificOptions(spec: ScoreSpec, score: ScoreSpec['score']): void {
  if (score === 'bdeu') {
    for (const [key, field] of [
      ['alphaMu', 'score.alphaMu'],
      ['alphaW', 'score.alphaW'],
    ] as const) {
      if (spec[key] !== undefined)
        throw new DagflowError(
          'BAD_OPTION',
          'applies to BGe only, but the score is BDeu',
          { field },
          'drop it, or use {{score=bge}} for continuous data',
        );
    }
    if (spec.mean !== undefined && spec.mean !== 'zero')
      throw new DagflowError('BAD_OPTION', 'applies to BGe only, but the score is BDeu', { field: 'score.mean' }, 'drop it');
  }
  if (score === 'bge' && spec.ess !== undefined) {
    throw new DagflowError(
      'BAD_OPTION',
      'applies to BDeu only, but the score is BGe',
      { field: 'score.ess' },
      'drop it, or use {{score=bdeu}} for discrete data',
    );
  }
}

async function readEdges(
  spec: EdgesSpec | undefined,
  what: 'forbidden' | 'required',
  columns: readonly string[],
): Promise<Array<[number, number]>> {
  if (spec === undefined) return [];
  if ('file' in spec) return readEdgeListCsv(spec.file, columns);
  const d = columns.length;
  for (const [i, j] of spec.edges) {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < d && j < d)) {
      throw new DagflowError(
        'BAD_OPTION',
        `a ${what} edge refers to variable ${Math.max(i, j) + 1}, but the data set has ${d} variables`,
        { field: what === 'forbidden' ? 'knowledge.forbidden' : 'knowledge.required' },
        'reset the prior knowledge after changing the columns',
      );
    }
  }
  return spec.edges.map(([i, j]) => [i, j]);
}

async function readTiers(spec: TiersSpec | undefined, columns: readonly string[]): Promise<number[] | undefined> {
  if (spec === undefined) return undefined;
  if ('file' in spec) return readTiersCsv(spec.file, columns);
  if (spec.tiers.length !== columns.length)
    throw new DagflowError(
      'BAD_OPTION',
      `tiers are given for ${spec.tiers.length} variables, the data set has ${columns.length}`,
      { field: 'knowledge.tiers' },
      'reset the tiers',
    );
  return [...spec.tiers];
}

function fileOf(spec: EdgesSpec | TiersSpec | undefined): string | undefined {
  return spec !== undefined && 'file' in spec ? spec.file : undefined;
}

/** The structure-prior table and the prior knowledge over `columns`, checked against each other. */
export async function loadKnowledge(
  prior: StructurePriorOptions,
  spec: KnowledgeSpec,
  columns: readonly string[],
): Promise<LoadedKnowledge> {
  const d = columns.length;
  const kind = prior.kind;
  if (prior.edgesPerNode !== undefined && kind !== 'erdos-renyi') {
    throw new DagflowError(
      'BAD_OPTION',
      `applies to the Erdős–Rényi prior only, but the prior is ${kind}`,
      { field: 'prior.edgesPerNode' },
      'choose {{prior=erdos-renyi}} or drop it',
    );
  }
  if (prior.beta !== undefined && kind !== 'edge') {
    throw new DagflowError(
      'BAD_OPTION',
      `applies to the edge prior only, but the prior is ${kind}`,
      { field: 'prior.beta' },
      'choose {{prior=edge}} or drop it',
    );
  }
  const priorOptions: StructurePriorOptions = { kind, edgesPerNode: prior.edgesPerNode, beta: prior.beta };
  const priorTable = structurePriorTable(d, priorOptions);
  const maxParents = spec.maxParents === undefined ? Math.max(0, d - 1) : Math.min(spec.maxParents, Math.max(0, d - 1));
  const forbidden = await readEdges(spec.forbidden, 'forbidden', columns);
  const required = await readEdges(spec.required, 'required', columns);
  const tiers = await readTiers(spec.tiers, columns);
  const requiredFile = fileOf(spec.required);
  const name = ([i, j]: readonly [number, number]): string => `${columns[i]} → ${columns[j]}`;

  const forbiddenSet = new Set(forbidden.map(([i, j]) => i * d + j));
  const both = required.filter(([i, j]) => forbiddenSet.has(i * d + j));
  if (both.length > 0) {
    const hint =
      requiredFile !== undefined && fileOf(spec.forbidden) !== undefined
        ? 'remove the edge from one of the two files'
        : 'make the edge either required or forbidden';
    throw new DagflowError(
      'BAD_GRAPH',
      `${both.map(name).join(', ')} ${both.length === 1 ? 'is' : 'are'} both required and forbidden`,
      { file: requiredFile, field: 'knowledge.required' },
      hint,
    );
  }
  const backwards = tiers ? required.filter(([i, j]) => tiers[i]! > tiers[j]!) : [];
  if (tiers && backwards.length > 0) {
    const list = backwards.map((e) => `${name(e)} (tier ${tiers[e[0]]} → ${tiers[e[1]]})`).join(', ');
    const tiersFile = fileOf(spec.tiers);
    const which = tiersFile === undefined ? 'which the tiers forbid' : `which ${tiersFile} forbids`;
    throw new DagflowError(
      'BAD_GRAPH',
      `${list} ${backwards.length === 1 ? 'goes' : 'go'} from a later tier to an earlier one, ${which}`,
      { file: requiredFile, field: 'knowledge.required' },
      'remove the edge or change the tiers',
    );
  }
  const cycle = findCycle(adjacencyFromEdges(d, required), d);
  if (cycle) {
    const path = [...cycle, cycle[0]!].map((k) => columns[k]).join(' → ');
    throw new DagflowError(
      'BAD_GRAPH',
      `the required edges form a cycle: ${path}`,
      { file: requiredFile, field: 'knowledge.required' },
      'a DAG cannot contain them all; remove one of these edges',
    );
  }
  const requiredParents = new Int32Array(d);
  for (const [, j] of required) requiredParents[j]!++;
  for (let j = 0; j < d; j++) {
    if (requiredParents[j]! > maxParents) {
      throw new DagflowError(
        'BAD_GRAPH',
        `${columns[j]} has ${requiredParents[j]} required parents but {{knowledge.maxParents}} is ${maxParents}`,
        { field: 'knowledge.maxParents' },
        'raise {{knowledge.maxParents}} or require fewer edges',
      );
    }
  }
  const edgeBeliefs = await readBeliefs(spec.edgeBeliefs, columns);
  return {
    prior: priorOptions,
    priorTable,
    knowledge: { forbidden, required, maxParents, ...(tiers ? { tiers } : {}) },
    ...(edgeBeliefs ? { edgeBeliefs, edgeLogPrior: beliefTerms(d, edgeBeliefs).logOdds } : {}),
  };
}

async function readBeliefs(spec: EdgeBeliefsSpec | undefined, columns: readonly string[]): Promise<EdgeBelief[] | undefined> {
  if (spec === undefined) return undefined;
  if ('file' in spec) return readEdgeBeliefsCsv(spec.file, columns);
  const d = columns.length;
  for (const b of spec.beliefs) {
    if (!(Number.isInteger(b.from) && Number.isInteger(b.to) && b.from >= 0 && b.to >= 0 && b.from < d && b.to < d))
      throw new DagflowError(
        'BAD_OPTION',
        `an edge belief refers to variable ${Math.max(b.from, b.to) + 1}, but the data set has ${d} variables`,
        { field: 'knowledge.edgeBeliefs' },
        'reset the edge beliefs after changing the columns',
      );
  }
  return spec.beliefs.map((b) => ({ ...b }));
}

/** Everything a posterior needs, from one spec. */
export async function loadProblem(spec: ProblemSpec, extras: LoadExtras = {}): Promise<LoadedProblem> {
  const scoring = await loadScoring(spec.data, spec.score, extras);
  const knowledge = await loadKnowledge(spec.prior, spec.knowledge, scoring.dataset.columns);
  return { ...scoring, ...knowledge, reward: createRewardModel(scoring.model, knowledge.priorTable, knowledge.edgeLogPrior) };
}

/** As loadProblem, for a sampler: a data set with fewer than two variables is refused before the knowledge is read. */
export async function loadSamplerProblem(spec: ProblemSpec, extras: LoadExtras = {}): Promise<LoadedProblem> {
  const scoring = await loadScoring(spec.data, spec.score, extras);
  const d = scoring.dataset.columns.length;
  if (d < 2)
    throw new DagflowError('TOO_FEW_COLUMNS', `the data has ${d} variable; a DAG needs at least 2`, {
      file: spec.data.name ?? spec.data.path,
    });
  const knowledge = await loadKnowledge(spec.prior, spec.knowledge, scoring.dataset.columns);
  return { ...scoring, ...knowledge, reward: createRewardModel(scoring.model, knowledge.priorTable, knowledge.edgeLogPrior) };
}
