/**
 * The one set of ELK options that lays out a causal graph, shared by the exports (engine,
 * elkjs directly) and the window (elkjs in a web worker), so a graph has the same shape in both:
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

export const EDGE_LABEL_FONT_SIZE = 10;
/** The box ELK keeps free for an edge's probability label (the window and the exports alike). */
export function edgeLabelSize(text: string): { width: number; height: number } {
  return { width: Math.ceil(text.length * 6.5) + 4, height: EDGE_LABEL_FONT_SIZE + 4 };
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

/** A box by its top-left corner and size. */
export interface LayoutBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Does the segment p → q pass through the inside of the box (shrunk by `margin`)? Liang–Barsky clipping. */
function segmentEntersBox(p: [number, number], q: [number, number], b: LayoutBox, margin: number): boolean {
  const [x0, y0] = p;
  const dx = q[0] - x0;
  const dy = q[1] - y0;
  let t0 = 0;
  let t1 = 1;
  const sides: Array<[number, number]> = [
    [-dx, x0 - (b.x + margin)],
    [dx, b.x + b.width - margin - x0],
    [-dy, y0 - (b.y + margin)],
    [dy, b.y + b.height - margin - y0],
  ];
  for (const [pk, qk] of sides) {
    if (pk === 0) {
      if (qk <= 0) return false;
      continue;
    }
    const t = qk / pk;
    if (pk < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

const overlaps = (a: LayoutBox, b: LayoutBox): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * What makes a drawn graph hard to read, measured on its laid-out positions: an edge that passes
 * under a node other than its two ends, a label on a node, two labels on each other. Used by the
 * export tests and by the window (GraphView shows the counts for its end-to-end test).
 */
export function layoutProblems(
  nodes: ReadonlyArray<LayoutBox & { name: string }>,
  edges: ReadonlyArray<{ from: string; to: string; points: ReadonlyArray<[number, number]>; label?: LayoutBox }>,
): { crossings: string[]; labelOverlaps: string[] } {
  const crossings: string[] = [];
  const labelOverlaps: string[] = [];
  for (const e of edges) {
    for (const n of nodes) {
      if (n.name === e.from || n.name === e.to) continue;
      // a 1-px margin: a route may run along a node's border, not through it
      for (let k = 0; k + 1 < e.points.length; k++)
        if (segmentEntersBox(e.points[k]!, e.points[k + 1]!, n, 1)) {
          crossings.push(`${e.from}→${e.to} passes under ${n.name}`);
          break;
        }
      if (e.label && overlaps(e.label, n)) labelOverlaps.push(`the label of ${e.from}→${e.to} covers ${n.name}`);
    }
  }
  const labelled = edges.filter((e) => e.label);
  for (const [k, a] of labelled.entries())
    for (const b of labelled.slice(k + 1))
      if (overlaps(a.label!, b.label!)) labelOverlaps.push(`the labels of ${a.from}→${a.to} and ${b.from}→${b.to} overlap`);
  return { crossings, labelOverlaps };
}
