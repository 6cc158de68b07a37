/**
 * A known true graph for the Compare screen: an edge-list CSV (columns from,to, names as in the
 * data) from the samples folder or uploaded as text, turned into an adjacency matrix over the
 * run's variables. Every unknown name or malformed line is an error with its row.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Papa from 'papaparse';
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { TruthRequestView } from '../../shared/workflow.ts';

export interface TruthGraph {
  name: string;
  adjacency: Uint8Array;
  edges: number;
}

export function readTruthText(request: TruthRequestView, samplesDir: string, truthSamples: readonly string[]): { name: string; text: string } {
  if (request.source === 'upload') return { name: request.name, text: request.text ?? '' };
  if (!truthSamples.includes(request.name)) throw new DagflowError('BAD_OPTION', `there is no sample graph called "${request.name}"`, {}, `choose one of ${truthSamples.join(', ')}`);
  return { name: request.name, text: readFileSync(path.join(samplesDir, request.name), 'utf8') };
}

export function parseTruthGraph(name: string, text: string, variables: readonly string[]): TruthGraph {
  const d = variables.length;
  const rows = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data;
  if (rows.length === 0) throw new DagflowError('EMPTY_FILE', 'the graph file is empty', { file: name }, 'give one edge per line with a header from,to');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const hasHeader = header[0] === 'from' && header[1] === 'to';
  const index = new Map(variables.map((v, k) => [v, k]));
  const adjacency = new Uint8Array(d * d);
  let edges = 0;
  rows.forEach((fields, r) => {
    if (r === 0 && hasHeader) return;
    if (fields.length < 2) throw new DagflowError('BAD_GRAPH', 'each line needs two names: from,to', { file: name, row: r + 1 }, 'fix that line of the graph file');
    const [from, to] = [fields[0]!.trim(), fields[1]!.trim()];
    const i = index.get(from);
    const j = index.get(to);
    if (i === undefined || j === undefined) {
      throw new DagflowError('BAD_GRAPH', `"${i === undefined ? from : to}" is not a variable of this run`, { file: name, row: r + 1 }, `the variables are ${variables.join(', ')}`);
    }
    if (i === j) throw new DagflowError('BAD_GRAPH', `"${from}" points to itself`, { file: name, row: r + 1 }, 'remove the self-loop');
    if (!adjacency[i * d + j]) edges++;
    adjacency[i * d + j] = 1;
  });
  return { name, adjacency, edges };
}
