/**
 * The window's run request as a ProblemSpec (gflownet/problem/spec.ts): the opened file (or an
 * upload's temporary copy, named as the user named it) with the Import screen's options, and the
 * Model screen's score, prior and knowledge. The one place the window's problem is built; the
 * command line builds the same spec from its flags (cli/dataFlags.ts).
 */
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import type { DataSpec, KnowledgeSpec, ProblemSpec, ScoreSpec } from '../gflownet/problem/spec.ts';
import type { StructurePriorOptions } from '../gflownet/core/types.ts';
import type { DataOptions, ModelSpec } from '../shared/workflow.ts';
import type { DataStore } from './dataStore.ts';

/** Sample data sets that come with an intervention sidecar. */
export const SIDECAR_SAMPLES: Record<string, string> = {
  'sachs_interventional_discrete_5400.csv': 'sachs_interventional_discrete_5400_INT.csv',
};

/** The opened data set `datasetId` read with the window's options. */
export function dataSpecFor(data: DataStore, samplesDir: string, datasetId: string, options: DataOptions): DataSpec {
  const opened = data.get(datasetId);
  if (!opened) throw new DagflowError('BAD_OPTION', 'that data set is no longer open', {}, 'open the file again on the Import screen');
  const { interventionFile, interventionSample, ...rest } = options;
  let sidecar: DataSpec['interventionFile'];
  if (interventionSample !== undefined) {
    if (!Object.values(SIDECAR_SAMPLES).includes(interventionSample))
      throw new DagflowError(
        'BAD_OPTION',
        `there is no sample sidecar called "${interventionSample}"`,
        {},
        'choose the sidecar file yourself',
      );
    sidecar = { path: path.join(samplesDir, interventionSample), name: interventionSample };
  } else if (interventionFile !== undefined) {
    const file = data.get(interventionFile);
    if (!file) throw new DagflowError('BAD_OPTION', 'the intervention file is no longer open', {}, 'choose the sidecar file again');
    sidecar = { path: file.path, name: file.name };
  }
  return { path: opened.path, name: opened.name, options: rest, ...(sidecar ? { interventionFile: sidecar } : {}) };
}

/** The Model screen's choices; options that do not apply to the chosen score or prior are left out. */
export function problemSpecFor(data: DataSpec, model: ModelSpec): ProblemSpec {
  const score: ScoreSpec =
    model.score === 'bge'
      ? { score: 'bge', alphaMu: model.alphaMu, alphaW: model.alphaW, mean: model.mean }
      : { score: 'bdeu', ess: model.ess };
  const p = model.prior;
  const prior: StructurePriorOptions = {
    kind: p.kind,
    ...(p.kind === 'erdos-renyi' && p.edgesPerNode !== undefined ? { edgesPerNode: p.edgesPerNode } : {}),
    ...(p.kind === 'edge' && p.beta !== undefined ? { beta: p.beta } : {}),
  };
  const k = model.knowledge;
  const knowledge: KnowledgeSpec = {
    forbidden: { edges: k.forbidden },
    required: { edges: k.required },
    ...(k.tiers ? { tiers: { tiers: k.tiers } } : {}),
    ...(k.maxParents !== undefined ? { maxParents: k.maxParents } : {}),
    ...(k.edgeBeliefs && k.edgeBeliefs.length > 0 ? { edgeBeliefs: { beliefs: k.edgeBeliefs } } : {}),
  };
  return { data, score, prior, knowledge };
}
