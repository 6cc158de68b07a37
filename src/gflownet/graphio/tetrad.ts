/**
 * Tetrad's plain-text graph format (File › Save Graph › Text in Tetrad; read by Tetrad's
 * "Load Graph", py-tetrad and causal-cmd):
 *
 *   Graph Nodes:
 *   A;B;C
 *
 *   Graph Edges:
 *   1. A --> B
 *   2. B --> C
 *
 * The format separates names by ';' and fields by spaces, so node names with white space or
 * ';' cannot be written (a clear error says so). Reading accepts ',' between node names (older
 * Tetrad) and ignores later sections (Graph Attributes, triples); an edge that is not "-->"
 * (undirected, bidirected, PAG circles) is refused, since a DAG needs directions.
 */
import { DagflowError } from '../core/errors.ts';
import type { ExportGraph } from './graph.ts';
import type { ParsedGraph } from './parsedGraph.ts';

export function writeTetradGraph(graph: ExportGraph): string {
  for (const name of graph.nodes) {
    if (name === '' || /[\s;,]/.test(name)) {
      throw new DagflowError(
        'BAD_GRAPH',
        `Tetrad's text format cannot hold the node name "${name}" (white space, ";" or ",")`,
        { flag: '--format' },
        'rename the column, or export GraphML or DOT',
      );
    }
  }
  const lines = ['Graph Nodes:', graph.nodes.join(';'), '', 'Graph Edges:'];
  graph.edges.forEach((e, k) => lines.push(`${k + 1}. ${e.from} --> ${e.to}`));
  lines.push('');
  return lines.join('\n');
}

export function readTetradGraph(text: string, file: string): ParsedGraph {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const parsed: ParsedGraph = { file, format: 'tetrad', nodes: [], edges: [] };
  const nodesAt = lines.findIndex((l) => l.trim() === 'Graph Nodes:');
  if (nodesAt < 0) throw new DagflowError('BAD_GRAPH', 'no "Graph Nodes:" line', { file }, 'save the graph from Tetrad as text');
  const names = (lines[nodesAt + 1] ?? '').trim();
  for (const name of names.split(names.includes(';') ? ';' : ','))
    if (name.trim() !== '') parsed.nodes.push({ name: name.trim(), line: nodesAt + 2 });
  const edgesAt = lines.findIndex((l) => l.trim() === 'Graph Edges:');
  if (edgesAt < 0) return parsed;
  for (let k = edgesAt + 1; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === '') {
      if (parsed.edges.length > 0) break;
      continue;
    }
    if (/^[A-Za-z ]+:$/.test(line)) break; // next section
    const m = /^\d+\.\s+(\S+)\s+(\S+)\s+(\S+)(?:\s.*)?$/.exec(line);
    if (!m) throw new DagflowError('BAD_GRAPH', `line ${k + 1}: expected "N. FROM --> TO", found "${line}"`, { file, row: k + 1 });
    const [, from, arrow, to] = m;
    if (arrow === '<--') parsed.edges.push({ from: to!, to: from!, line: k + 1 });
    else if (arrow === '-->') parsed.edges.push({ from: from!, to: to!, line: k + 1 });
    else
      throw new DagflowError(
        'BAD_GRAPH',
        `line ${k + 1}: the edge ${from} ${arrow} ${to} is not directed`,
        { file, row: k + 1 },
        'a DAG needs "-->" edges only (not a CPDAG or PAG)',
      );
  }
  return parsed;
}
