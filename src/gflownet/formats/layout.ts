/**
 * A small deterministic layered ("Sugiyama-style") layout shared by the SVG, PNG and
 * Cytoscape exports, so a graph looks the same in every file and the same input always gives
 * the same picture: no randomness, ties broken by column order.
 *
 * 1. Order the nodes: a topological order when the graph is acyclic; otherwise (a consensus
 *    at a low threshold can hold cycles) greedily the node with the fewest incoming edges
 *    from the nodes not yet placed. Edges against the order only count reversed for layering.
 * 2. Layer = longest path from a source.
 * 3. Within a layer: start in column order, then a few down/up sweeps placing each node at the
 *    mean position of its neighbours in the adjacent layer (stable sort, previous position
 *    breaking ties).
 * 4. Coordinates: layers top to bottom, each layer centred; every edge is a quadratic curve
 *    that bends when its reverse edge is also drawn or when it skips layers.
 */
import { adjacencyOf, type ExportGraph } from './graph.ts';
import { topologicalOrder } from '../graph/dag.ts';

export interface LaidOutNode {
  name: string;
  x: number;
  y: number;
  /** Half-axes of the node's ellipse. */
  rx: number;
  ry: number;
  layer: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  probability?: number;
  /** Start on the parent's outline, control point, end on the child's outline. */
  x1: number;
  y1: number;
  cx: number;
  cy: number;
  x2: number;
  y2: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

export const LAYOUT_FONT_SIZE = 12;
/** Width of a character at LAYOUT_FONT_SIZE: generous for proportional fonts, exact for the PNG font. */
export const CHAR_WIDTH = 7.5;
const NODE_RY = 16;
const LAYER_GAP = 90;
const MARGIN = 24;
const NODE_GAP = 28;

function nodeOrder(a: Uint8Array, d: number): number[] {
  const topo = topologicalOrder(a, d);
  if (topo) return topo;
  const placed = new Uint8Array(d);
  const order: number[] = [];
  for (let step = 0; step < d; step++) {
    let best = -1;
    let bestIn = Infinity;
    for (let v = 0; v < d; v++) {
      if (placed[v]) continue;
      let incoming = 0;
      for (let u = 0; u < d; u++) if (!placed[u] && a[u * d + v]) incoming++;
      if (incoming < bestIn) {
        best = v;
        bestIn = incoming;
      }
    }
    placed[best] = 1;
    order.push(best);
  }
  return order;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Where the segment from the ellipse centre towards (tx, ty) leaves the ellipse. */
function onOutline(n: LaidOutNode, tx: number, ty: number): [number, number] {
  const dx = tx - n.x;
  const dy = ty - n.y;
  if (dx === 0 && dy === 0) return [n.x, n.y];
  const t = 1 / Math.sqrt((dx * dx) / (n.rx * n.rx) + (dy * dy) / (n.ry * n.ry));
  return [n.x + dx * t, n.y + dy * t];
}

export function layoutGraph(graph: ExportGraph): GraphLayout {
  const d = graph.nodes.length;
  const a = adjacencyOf(graph);
  const order = nodeOrder(a, d);
  const rank = new Int32Array(d);
  order.forEach((v, k) => (rank[v] = k));
  // forward[u][v]: the edge between u and v drawn from the earlier to the later node in the order
  const layer = new Int32Array(d);
  for (const v of order) {
    for (let u = 0; u < d; u++) {
      if ((a[u * d + v] || a[v * d + u]) && rank[u]! < rank[v]!) layer[v] = Math.max(layer[v]!, layer[u]! + 1);
    }
  }
  const layerCount = d === 0 ? 0 : Math.max(...layer) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let v = 0; v < d; v++) layers[layer[v]!]!.push(v);
  const position = new Float64Array(d);
  const reposition = (): void => layers.forEach((l) => l.forEach((v, k) => (position[v] = k)));
  reposition();
  const connected = (u: number, v: number): boolean => a[u * d + v] === 1 || a[v * d + u] === 1;
  const sweep = (l: number[], neighbourLayer: number[] | undefined): void => {
    if (!neighbourLayer || neighbourLayer.length === 0) return;
    const key = new Map<number, number>();
    for (const v of l) {
      const around = neighbourLayer.filter((u) => connected(u, v));
      key.set(v, around.length === 0 ? position[v]! : around.reduce((s, u) => s + position[u]!, 0) / around.length);
    }
    l.sort((p, q) => key.get(p)! - key.get(q)! || position[p]! - position[q]!);
    l.forEach((v, k) => (position[v] = k));
  };
  for (let round = 0; round < 4; round++) {
    for (let k = 1; k < layerCount; k++) sweep(layers[k]!, layers[k - 1]);
    for (let k = layerCount - 2; k >= 0; k--) sweep(layers[k]!, layers[k + 1]);
  }
  const rx = graph.nodes.map((name) => Math.max(26, (name.length * CHAR_WIDTH) / 2 + 14));
  const layerWidths = layers.map((l) => l.reduce((s, v) => s + 2 * rx[v]!, 0) + NODE_GAP * Math.max(0, l.length - 1));
  const width = Math.ceil(Math.max(120, ...layerWidths) + 2 * MARGIN);
  const height = Math.ceil(Math.max(1, layerCount) * (2 * NODE_RY) + Math.max(0, layerCount - 1) * (LAYER_GAP - 2 * NODE_RY) + 2 * MARGIN);
  const nodes: LaidOutNode[] = new Array(d);
  layers.forEach((l, k) => {
    let x = (width - layerWidths[k]!) / 2;
    for (const v of l) {
      nodes[v] = { name: graph.nodes[v]!, x: round1(x + rx[v]!), y: MARGIN + NODE_RY + k * LAYER_GAP, rx: round1(rx[v]!), ry: NODE_RY, layer: k };
      x += 2 * rx[v]! + NODE_GAP;
    }
  });
  const index = new Map(graph.nodes.map((n, i) => [n, i]));
  const edges = graph.edges.map((e): LaidOutEdge => {
    const i = index.get(e.from)!;
    const j = index.get(e.to)!;
    const p = nodes[i]!;
    const q = nodes[j]!;
    const mx = (p.x + q.x) / 2;
    const my = (p.y + q.y) / 2;
    const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    // bend to the right of the direction of travel: a 2-cycle becomes two separate arcs
    const span = Math.abs(p.layer - q.layer);
    const bend = (a[j * d + i] ? 18 : 0) + (span > 1 ? 14 * (span - 1) : 0) + (span === 0 ? 24 : 0);
    const cx = mx - ((q.y - p.y) / len) * bend;
    const cy = my + ((q.x - p.x) / len) * bend;
    const [x1, y1] = onOutline(p, cx, cy);
    const [x2, y2] = onOutline(q, cx, cy);
    const edge: LaidOutEdge = { from: e.from, to: e.to, x1: round1(x1), y1: round1(y1), cx: round1(cx), cy: round1(cy), x2: round1(x2), y2: round1(y2) };
    if (e.probability !== undefined) edge.probability = e.probability;
    return edge;
  });
  return { width, height, nodes, edges };
}
