/**
 * Import a reference ("true") graph or prior knowledge from a file: edge-list CSV, DOT,
 * GraphML, adjacency-matrix CSV or Tetrad text, chosen by extension or content, then checked against the
 * data's columns (unknown nodes, self-loops, duplicates and — unless asked not to — cycles,
 * each named with file and line).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { refuseSpecialFile } from '../io/regularFile.ts';
import { readDot } from './dotReader.ts';
import { readGraphml } from './graphml.ts';
import { findCycle } from '../graph/dag.ts';
import { readEdgeListCsv } from '../graph/edgeList.ts';
import { resolveGraph, type GraphFileFormat, type ImportedGraph, type ParsedGraph, type ResolveOptions } from './parsedGraph.ts';
import { readAdjacencyMatrixText } from './adjacencyCsv.ts';
import { readTetradGraph } from './tetrad.ts';

export const GRAPH_FILE_FORMATS: readonly GraphFileFormat[] = ['edge-list', 'dot', 'graphml', 'adjacency-matrix', 'tetrad'];

/** The format of a graph file from its extension, or for .csv/.txt from its first line. */
export function detectGraphFormat(file: string, text: string): GraphFileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.dot' || ext === '.gv') return 'dot';
  if (ext === '.graphml' || ext === '.xml') return 'graphml';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return 'graphml';
  if (/^Graph Nodes:/.test(start)) return 'tetrad';
  if (/^(\/\/|\/\*|#|(strict\s+)?(di)?graph\b)/i.test(start)) return 'dot';
  const first = (start.split(/\r?\n/, 1)[0] ?? '').split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  if (first.includes('from') && first.includes('to')) return 'edge-list';
  if (first[0] === '' || first.length > 2) return 'adjacency-matrix';
  return 'edge-list';
}

/** DOT, GraphML or adjacency-matrix text; edge lists are read from their file by graph/edgeList.ts. */
export function parseGraphText(text: string, file: string, format: Exclude<GraphFileFormat, 'edge-list'>): ParsedGraph {
  switch (format) {
    case 'dot':
      return readDot(text, file);
    case 'graphml':
      return readGraphml(text, file);
    case 'adjacency-matrix':
      return readAdjacencyMatrixText(text, file);
    case 'tetrad':
      return readTetradGraph(text, file);
  }
}

export interface ImportGraphOptions extends ResolveOptions {
  format?: GraphFileFormat | 'auto';
}

/** An edge list read by graph/edgeList.ts (unknown nodes, self-loops, duplicates by row), then the cycle check. */
async function importEdgeList(file: string, columns: readonly string[], options: ResolveOptions): Promise<ImportedGraph> {
  const d = columns.length;
  const edges = (await readEdgeListCsv(file, columns)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const adjacency = new Uint8Array(d * d);
  for (const [i, j] of edges) adjacency[i * d + j] = 1;
  if (options.acyclic ?? true) {
    const cycle = findCycle(adjacency, d);
    if (cycle) {
      const names = [...cycle, cycle[0]!].map((c) => columns[c]!);
      throw new DagflowError(
        'BAD_GRAPH',
        `the graph has a cycle: ${names.join(' → ')}`,
        { file },
        'remove or reverse one edge of the cycle',
      );
    }
  }
  return { file, format: 'edge-list', columns: [...columns], edges, adjacency };
}

export async function importGraphFile(file: string, columns: readonly string[], options: ImportGraphOptions = {}): Promise<ImportedGraph> {
  let text: string;
  await refuseSpecialFile(file);
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DagflowError(
      'IO',
      code === 'ENOENT' ? 'the graph file does not exist' : `cannot read the graph file (${code ?? String(e)})`,
      { file },
    );
  }
  if (text.trim() === '')
    throw new DagflowError(
      'EMPTY_FILE',
      'the graph file is empty',
      { file },
      'give an edge-list CSV (from,to), a DOT or GraphML file, or an adjacency matrix',
    );
  const format = !options.format || options.format === 'auto' ? detectGraphFormat(file, text) : options.format;
  if (format === 'edge-list') return importEdgeList(file, columns, options);
  return resolveGraph(parseGraphText(text, file, format), columns, options);
}
