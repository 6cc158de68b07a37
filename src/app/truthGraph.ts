/**
 * A known true graph for the Compare screen: an edge-list CSV (header from,to, names as in the
 * data) from the samples folder, or uploaded as text and kept as a private temporary file, read
 * by the engine's edge-list reader (errors name the file and row).
 */
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { adjacencyFromEdges } from '../gflownet/graph/dag.ts';
import { readEdgeListCsv } from '../gflownet/graph/edgeList.ts';
import type { TruthRequestView } from '../shared/workflow.ts';
import type { DataStore } from './dataStore.ts';

export interface TruthGraph {
  name: string;
  adjacency: Uint8Array;
  edges: number;
}

export async function readTruthGraph(
  request: TruthRequestView,
  variables: readonly string[],
  samplesDir: string,
  truthSamples: readonly string[],
  store: DataStore,
): Promise<TruthGraph> {
  let file: string;
  if (request.source === 'sample') {
    if (!truthSamples.includes(request.name))
      throw new DagflowError(
        'BAD_OPTION',
        `there is no sample graph called "${request.name}"`,
        {},
        `choose one of ${truthSamples.join(', ')}`,
      );
    file = path.join(samplesDir, request.name);
  } else {
    file = store.saveUpload(request.name, new TextEncoder().encode(request.text ?? '')).path;
  }
  const edges = await readEdgeListCsv(file, variables).catch((e: unknown) => {
    if (e instanceof DagflowError && e.location.file === file) e.location.file = request.name;
    throw e;
  });
  return { name: request.name, adjacency: adjacencyFromEdges(variables.length, edges), edges: edges.length };
}
