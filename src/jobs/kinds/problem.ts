/**
 * What every posterior job kind started from the window needs first: the data file read with
 * the user's options, a cached local-score model, the structure-prior table and the prior
 * knowledge, all from plain (structured-clone-able) parameters. Messages name the file the
 * user chose, never the temporary copy of an upload.
 */
import { renameFilesInError } from './userFileNames.ts';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { structurePriorTable } from '../../gflownet/core/priors.ts';
import type { PriorKnowledge } from '../../gflownet/core/types.ts';
import { loadDataset, type LoadedDataset, type LoadOptions } from '../../gflownet/data/load.ts';
import { createRewardModel, type RewardModel } from '../../gflownet/scores/reward.ts';
import { createScoreModel, type CachedScoreModel } from '../../gflownet/scores/scoreModel.ts';
import type { DataOptions, ModelSpec } from '../../shared/workflow.ts';

export interface DataSource {
  path: string;
  /** The name the user knows the file by. */
  name: string;
  options: Omit<DataOptions, 'interventionFile'>;
  /** Resolved sidecar with intervention targets. */
  interventionFile?: { path: string; name: string };
}

export interface ProblemParams {
  data: DataSource;
  model: ModelSpec;
}

export interface Problem {
  dataset: LoadedDataset;
  scores: CachedScoreModel;
  priorTable: Float64Array;
  reward: RewardModel;
  knowledge: PriorKnowledge;
}

export { renameFilesInError };

export async function readData(source: DataSource, score: LoadOptions['score'], signal?: AbortSignal, onProgress?: LoadOptions['onProgress']): Promise<LoadedDataset> {
  const options: LoadOptions = {
    score,
    columnTypes: source.options.columnTypes,
    exclude: source.options.exclude,
    missing: source.options.missing,
    standardize: source.options.standardize,
    mixed: source.options.mixed,
    bins: source.options.bins,
    interventionColumn: source.options.interventionColumn,
    interventionFile: source.interventionFile?.path,
    signal,
    onProgress,
  };
  return loadDataset(source.path, options).catch((e: unknown) => renameFilesInError(e, source));
}

export function knowledgeFor(d: number, spec: ModelSpec['knowledge'], names: readonly string[]): PriorKnowledge {
  const check = (edges: Array<[number, number]>, what: string): void => {
    for (const [i, j] of edges) {
      if (i >= d || j >= d) throw new DagflowError('BAD_OPTION', `a ${what} edge refers to variable ${Math.max(i, j) + 1}, but the data set has ${d} variables`, {}, 'reset the prior knowledge after changing the columns');
    }
  };
  check(spec.forbidden, 'forbidden');
  check(spec.required, 'required');
  const forbidden = new Set(spec.forbidden.map(([i, j]) => i * d + j));
  for (const [i, j] of spec.required) {
    if (forbidden.has(i * d + j)) throw new DagflowError('BAD_OPTION', `the edge ${names[i]} → ${names[j]} is both required and forbidden`, {}, 'click the cell again to choose one');
  }
  if (spec.tiers && spec.tiers.length !== d) throw new DagflowError('BAD_OPTION', `tiers are given for ${spec.tiers.length} variables, the data set has ${d}`, {}, 'reset the tiers');
  const maxParents = Math.min(spec.maxParents ?? d - 1, d - 1);
  return { forbidden: spec.forbidden, required: spec.required, maxParents, tiers: spec.tiers };
}

export async function buildProblem(params: ProblemParams, signal?: AbortSignal, onProgress?: LoadOptions['onProgress']): Promise<Problem> {
  const dataset = await readData(params.data, params.model.score, signal, onProgress);
  const d = dataset.columns.length;
  const m = params.model;
  const scores = createScoreModel(dataset, { score: m.score, alphaMu: m.alphaMu, alphaW: m.alphaW, mean: m.mean, ess: m.ess });
  const priorTable = structurePriorTable(d, { kind: m.prior.kind, edgesPerNode: m.prior.edgesPerNode, beta: m.prior.beta });
  return { dataset, scores, priorTable, reward: createRewardModel(scores, priorTable), knowledge: knowledgeFor(d, m.knowledge, dataset.columns) };
}
