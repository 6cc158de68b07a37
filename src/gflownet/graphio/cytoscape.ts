/**
 * Cytoscape JSON (the `.cyjs` format of Cytoscape.js, which Cytoscape desktop imports with
 * File › Import › Network from File): `elements.nodes` with `data.id` = column name and a
 * `position` from layout.ts, `elements.edges` with `data.source`, `data.target` and the
 * posterior `data.probability`. Keys are written in a fixed order, so output is byte-stable.
 */
import type { ExportGraph } from './graph.ts';
import { layoutGraph, type GraphLayout } from '../render/layout.ts';

export function writeCytoscapeJson(graph: ExportGraph, layout: GraphLayout = layoutGraph(graph)): string {
  const document = {
    format_version: '1.0',
    generated_by: 'DAGFlow',
    target_cytoscapejs_version: '~3.0',
    data: {
      name: graph.title ?? 'DAGFlow consensus graph',
      ...(graph.threshold === undefined ? {} : { threshold: graph.threshold }),
    },
    elements: {
      nodes: layout.nodes.map((n) => ({ data: { id: n.name, name: n.name }, position: { x: n.x, y: n.y } })),
      edges: graph.edges.map((e, k) => ({
        data: {
          id: `e${k}`,
          source: e.from,
          target: e.to,
          interaction: 'causes',
          ...(e.probability === undefined ? {} : { probability: e.probability }),
        },
      })),
    },
  };
  return JSON.stringify(document, null, 2) + '\n';
}

/** Edges back out of a Cytoscape JSON document (for round-trip tests and re-import). */
export function readCytoscapeEdges(text: string): Array<{ from: string; to: string; probability?: number }> {
  const doc = JSON.parse(text) as {
    elements?: { edges?: Array<{ data?: { source?: unknown; target?: unknown; probability?: unknown } }> };
  };
  return (doc.elements?.edges ?? []).map((e) => {
    const edge: { from: string; to: string; probability?: number } = { from: String(e.data?.source), to: String(e.data?.target) };
    if (typeof e.data?.probability === 'number') edge.probability = e.data.probability;
    return edge;
  });
}
