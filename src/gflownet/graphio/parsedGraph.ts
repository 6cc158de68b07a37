/**
 * What every graph reader produces (names as written, with the line each came from) and the
 * one place that checks it against the data's columns: unknown nodes, self-loops, duplicate
 * edges and cycles are errors that name the file and the line, so a user can fix the file.
 */
import { DagflowError } from '../core/errors.ts';
import { findCycle } from '../graph/dag.ts';
import { quoteUserText } from '../core/userText.ts';

export type GraphFileFormat = 'edge-list' | 'dot' | 'graphml' | 'adjacency-matrix' | 'tetrad';

export interface ParsedEdge {
  from: string;
  to: string;
  /** 1-based line in the file. */
  line: number;
}

export interface ParsedGraph {
  file: string;
  format: GraphFileFormat;
  /** Nodes the file declares (also those without edges). */
  nodes: Array<{ name: string; line: number }>;
  edges: ParsedEdge[];
  /**
   * Display names by node id, when the file keeps them apart (Cytoscape and yEd write ids
   * such as "n0" with the name in a `name` or `label` attribute). Used only when the ids are
   * not the data's columns but these names are.
   */
  labels?: Map<string, string>;
}

export interface ImportedGraph {
  file: string;
  format: GraphFileFormat;
  columns: string[];
  /** [from, to] column indices, row-major order. */
  edges: Array<[number, number]>;
  /** d·d, 1 = edge i → j. */
  adjacency: Uint8Array;
}

export interface ResolveOptions {
  /** Refuse cycles (a reference graph or required edges); false for forbidden edges. Default true. */
  acyclic?: boolean;
}

function unknownNode(name: string, line: number, file: string, columns: readonly string[]): DagflowError {
  const shown = columns.length <= 12 ? columns.join(', ') : `${columns.slice(0, 12).join(', ')}, …`;
  return new DagflowError(
    'BAD_GRAPH',
    `line ${line}: unknown node ${quoteUserText(name)}`,
    { file, row: line },
    `node names must be data columns (${shown})`,
  );
}

/** The graph with labels as node names, when the ids are not columns but every label is. */
function preferLabels(parsed: ParsedGraph, index: ReadonlyMap<string, number>): ParsedGraph {
  const labels = parsed.labels;
  if (!labels || parsed.nodes.every((n) => index.has(n.name))) return parsed;
  if (!parsed.nodes.every((n) => labels.has(n.name) && index.has(labels.get(n.name)!))) return parsed;
  const rename = (id: string): string => labels.get(id) ?? id;
  return {
    ...parsed,
    nodes: parsed.nodes.map((n) => ({ ...n, name: rename(n.name) })),
    edges: parsed.edges.map((e) => ({ ...e, from: rename(e.from), to: rename(e.to) })),
  };
}

export function resolveGraph(original: ParsedGraph, columns: readonly string[], options: ResolveOptions = {}): ImportedGraph {
  const { file } = original;
  const index = new Map(columns.map((c, i) => [c, i] as const));
  const parsed = preferLabels(original, index);
  for (const n of parsed.nodes) if (!index.has(n.name)) throw unknownNode(n.name, n.line, file, columns);
  const d = columns.length;
  const adjacency = new Uint8Array(d * d);
  const firstLine = new Map<number, number>();
  for (const e of parsed.edges) {
    const i = index.get(e.from);
    if (i === undefined) throw unknownNode(e.from, e.line, file, columns);
    const j = index.get(e.to);
    if (j === undefined) throw unknownNode(e.to, e.line, file, columns);
    if (i === j)
      throw new DagflowError(
        'BAD_GRAPH',
        `line ${e.line}: self-loop ${e.from} → ${e.to}`,
        { file, row: e.line },
        'a DAG has no edge from a node to itself',
      );
    const k = i * d + j;
    if (adjacency[k]) {
      throw new DagflowError(
        'BAD_GRAPH',
        `line ${e.line}: duplicate edge ${e.from} → ${e.to} (first on line ${firstLine.get(k)})`,
        { file, row: e.line },
        'list each edge once',
      );
    }
    adjacency[k] = 1;
    firstLine.set(k, e.line);
  }
  if (options.acyclic ?? true) {
    const cycle = findCycle(adjacency, d);
    if (cycle) {
      const names = [...cycle, cycle[0]!].map((c) => columns[c]!);
      const line = firstLine.get(cycle[cycle.length - 1]! * d + cycle[0]!);
      throw new DagflowError(
        'BAD_GRAPH',
        `the graph has a cycle: ${names.join(' → ')}${line ? ` (closed by line ${line})` : ''}`,
        { file, row: line },
        'remove or reverse one edge of the cycle',
      );
    }
  }
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (adjacency[i * d + j]) edges.push([i, j]);
  return { file, format: parsed.format, columns: [...columns], edges, adjacency };
}
