/**
 * The one set of ELK options that lays out a causal graph, shared by the exports (engine,
 * elkjs directly) and the window (cytoscape-elk), so a graph has the same shape in both:
 * ELK's layered (Sugiyama) algorithm, parents above children, edges routed as polylines around
 * the nodes, edge labels placed by ELK in space it reserves for them. Polylines, because ELK's
 * splines end sideways on a node's border (the arrowheads then point across the edge) and
 * orthogonal routes run long parallel stretches that are hard to follow.
 */
export const NODE_HEIGHT = 32;
export const NODE_FONT_SIZE = 12;
/** Width of a character at NODE_FONT_SIZE: generous for DejaVu Sans and Arial. */
const CHAR_WIDTH = 7.5;

/** A node is a rounded box wide enough for its name. */
export function nodeWidth(name: string): number {
  return Math.max(52, Math.round(name.length * CHAR_WIDTH + 28));
}

export const LAYERED_LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.spacing.edgeNode': '14',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '2',
  'elk.edgeLabels.placement': 'CENTER',
  // ties broken by column order, and one seed: the same graph always gets the same picture
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.randomSeed': '1',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
};
