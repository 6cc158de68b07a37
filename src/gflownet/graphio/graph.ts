/**
 * The graph every writer in this folder draws or serialises: named nodes in column order and
 * directed edges with an optional posterior probability, plus the one rule that turns edge
 * marginals into such a graph (the consensus at a threshold) and the fixed number format all
 * writers share, so identical input gives byte-identical files.
 */
import { DagflowError } from '../core/errors.ts';

export interface GraphEdge {
  from: string;
  to: string;
  /** P(from → to) under the posterior; absent for a plain graph (an imported truth). */
  probability?: number;
}

export interface ExportGraph {
  /** Node names (= data column names) in column order. */
  nodes: readonly string[];
  /** Edges in a stable order (row-major: by parent's column, then child's column). */
  edges: readonly GraphEdge[];
  /** The threshold that produced a consensus graph, for titles and metadata. */
  threshold?: number;
  /** A short caption ("gflownet run, 1000 samples"). */
  title?: string;
}

export const DEFAULT_CONSENSUS_THRESHOLD = 0.5;

/**
 * The consensus graph of edge marginals: i → j iff P(i → j) ≥ threshold (at or above, as the
 * export contract says). Note that metrics/consensus.ts scores with a strict ">"; at
 * threshold 0.5 the two differ only for an edge whose probability is exactly 0.5, and with
 * "≥" both directions of a pair may then be present, so the result can hold a 2-cycle.
 */
export function consensusAt(nodes: readonly string[], marginals: ArrayLike<number>, threshold = DEFAULT_CONSENSUS_THRESHOLD): ExportGraph {
  const d = nodes.length;
  if (marginals.length !== d * d) throw new DagflowError('BAD_OPTION', `edge marginals must be ${d}×${d}, got ${marginals.length} entries`);
  if (!(threshold > 0 && threshold <= 1)) {
    throw new DagflowError('BAD_OPTION', `the threshold must be in (0, 1], got ${threshold}`, { flag: '--threshold' });
  }
  const edges: GraphEdge[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const p = marginals[i * d + j]!;
      if (i !== j && p >= threshold) edges.push({ from: nodes[i]!, to: nodes[j]!, probability: p });
    }
  }
  return { nodes: [...nodes], edges, threshold };
}

/**
 * A probability or other number as text: at most `digits` decimals, trailing zeros removed,
 * never exponent notation and never "-0". Deterministic on every platform (toFixed is exact
 * by specification), so files are byte-identical for identical input.
 */
export function formatNumber(x: number, digits = 6): string {
  if (!Number.isFinite(x)) throw new DagflowError('INTERNAL', `cannot write the number ${x}`);
  let s = x.toFixed(digits);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** Index of each node name, with a clear error for duplicates. */
export function nodeIndex(nodes: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  nodes.forEach((name, i) => {
    if (index.has(name)) throw new DagflowError('BAD_GRAPH', `the node "${name}" appears twice`);
    index.set(name, i);
  });
  return index;
}

/** Row-major d·d adjacency (1 = edge i → j) of a graph over its own node order. */
export function adjacencyOf(graph: ExportGraph): Uint8Array {
  const index = nodeIndex(graph.nodes);
  const d = graph.nodes.length;
  const a = new Uint8Array(d * d);
  for (const e of graph.edges) {
    const i = index.get(e.from);
    const j = index.get(e.to);
    if (i === undefined || j === undefined)
      throw new DagflowError('BAD_GRAPH', `the edge ${e.from} → ${e.to} names a node that is not in the graph`);
    a[i * d + j] = 1;
  }
  return a;
}
