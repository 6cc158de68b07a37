/**
 * A small deterministic layered ("Sugiyama-style") layout shared by the SVG, PNG and
 * Cytoscape exports, so a graph looks the same in every file and the same input always gives
 * the same picture: no randomness, ties broken by column order.
 *
 * 1. Order the nodes: a topological order when the graph is acyclic; otherwise (a consensus
 *    at a low threshold can hold cycles) greedily the node with the fewest incoming edges
 *    from the nodes not yet placed. Edges against the order only count reversed for layering.
 * 2. Layer = longest path from a source. An edge that skips layers gets a dummy point in
 *    every layer it crosses, so it is routed around the nodes instead of through them.
 * 3. Order within layers: column order, then a few down/up sweeps placing each node (or
 *    dummy) at the mean position of its neighbours in the adjacent layer.
 * 4. x coordinates: each node pulled towards the mean x of its neighbours, subject to the
 *    order and a minimum gap (the average of a left-packed and a right-packed placement,
 *    both feasible, so the average is too); y by layer.
 * 5. Edges are chains of cubic Bézier segments through their dummy points (Catmull-Rom
 *    tangents); an edge whose reverse is drawn too bends aside, so a 2-cycle is two arcs.
 */
import { topologicalOrder } from '../graph/dag.ts';
import { adjacencyOf, type ExportGraph } from './graph.ts';

export interface LaidOutNode {
  name: string;
  x: number;
  y: number;
  /** Half-axes of the node's ellipse. */
  rx: number;
  ry: number;
  layer: number;
}

export type Point = [number, number];
/** One cubic Bézier segment: two control points and the end point. */
export type CubicSegment = [c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number];

export interface LaidOutEdge {
  from: string;
  to: string;
  probability?: number;
  /** On the parent's outline. */
  start: Point;
  /** The curve, ending on the child's outline. */
  segments: CubicSegment[];
  /** Where the probability label goes (the middle of the curve). */
  label: Point;
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
const DUMMY_HALF_WIDTH = 8;

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

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Where the segment from the ellipse centre towards (tx, ty) leaves the ellipse. */
function onOutline(n: { x: number; y: number; rx: number; ry: number }, tx: number, ty: number): Point {
  const dx = tx - n.x;
  const dy = ty - n.y;
  if (dx === 0 && dy === 0) return [n.x, n.y];
  const t = 1 / Math.sqrt((dx * dx) / (n.rx * n.rx) + (dy * dy) / (n.ry * n.ry));
  return [n.x + dx * t, n.y + dy * t];
}

/** Vertices of the layered graph: real nodes 0..d-1, then dummies. */
interface Vertex {
  layer: number;
  halfWidth: number;
}

export function layoutGraph(graph: ExportGraph): GraphLayout {
  const d = graph.nodes.length;
  const a = adjacencyOf(graph);
  const order = nodeOrder(a, d);
  const rank = new Int32Array(d);
  order.forEach((v, k) => (rank[v] = k));
  const layerOf = new Int32Array(d);
  for (const v of order) {
    for (let u = 0; u < d; u++) if ((a[u * d + v] || a[v * d + u]) && rank[u]! < rank[v]!) layerOf[v] = Math.max(layerOf[v]!, layerOf[u]! + 1);
  }
  const vertices: Vertex[] = graph.nodes.map((name, v) => ({ layer: layerOf[v]!, halfWidth: Math.max(26, (name.length * CHAR_WIDTH) / 2 + 14) }));
  // links between vertices in adjacent layers (upper, lower); each edge's chain of vertices from parent to child
  const links: Array<[number, number]> = [];
  const index = new Map(graph.nodes.map((n, i) => [n, i] as const));
  const chains = graph.edges.map((e) => {
    const i = index.get(e.from)!;
    const j = index.get(e.to)!;
    const [top, bottom] = layerOf[i]! < layerOf[j]! ? [i, j] : [j, i];
    const chain = [top];
    for (let layer = layerOf[top]! + 1; layer < layerOf[bottom]!; layer++) {
      vertices.push({ layer, halfWidth: DUMMY_HALF_WIDTH });
      chain.push(vertices.length - 1);
    }
    chain.push(bottom);
    for (let k = 0; k + 1 < chain.length; k++) links.push([chain[k]!, chain[k + 1]!]);
    return top === i ? chain : chain.reverse();
  });
  const n = vertices.length;
  const layerCount = d === 0 ? 0 : Math.max(...layerOf) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let v = 0; v < n; v++) layers[vertices[v]!.layer]!.push(v);
  const up: number[][] = Array.from({ length: n }, () => []);
  const down: number[][] = Array.from({ length: n }, () => []);
  for (const [u, v] of links) {
    down[u]!.push(v);
    up[v]!.push(u);
  }

  // 3. order within layers
  const position = new Float64Array(n);
  layers.forEach((l) => l.forEach((v, k) => (position[v] = k)));
  const sweep = (l: number[], neighbours: number[][]): void => {
    const key = new Float64Array(n);
    for (const v of l) {
      const around = neighbours[v]!;
      key[v] = around.length === 0 ? position[v]! : around.reduce((s, u) => s + position[u]!, 0) / around.length;
    }
    l.sort((p, q) => key[p]! - key[q]! || position[p]! - position[q]!);
    l.forEach((v, k) => (position[v] = k));
  };
  for (let round = 0; round < 4; round++) {
    for (let k = 1; k < layerCount; k++) sweep(layers[k]!, up);
    for (let k = layerCount - 2; k >= 0; k--) sweep(layers[k]!, down);
  }

  // 4. x coordinates
  const x = new Float64Array(n);
  const gap = (p: number, q: number): number => vertices[p]!.halfWidth + vertices[q]!.halfWidth + (p < d && q < d ? NODE_GAP : NODE_GAP / 2);
  for (const l of layers) {
    let cursor = 0;
    l.forEach((v, k) => {
      cursor += k === 0 ? 0 : gap(l[k - 1]!, v);
      x[v] = cursor;
    });
  }
  const place = (l: number[], neighbours: number[][]): void => {
    const want = l.map((v) => (neighbours[v]!.length === 0 ? x[v]! : neighbours[v]!.reduce((s, u) => s + x[u]!, 0) / neighbours[v]!.length));
    const left = want.slice();
    for (let k = 1; k < l.length; k++) left[k] = Math.max(want[k]!, left[k - 1]! + gap(l[k - 1]!, l[k]!));
    const right = want.slice();
    for (let k = l.length - 2; k >= 0; k--) right[k] = Math.min(want[k]!, right[k + 1]! - gap(l[k]!, l[k + 1]!));
    l.forEach((v, k) => (x[v] = (left[k]! + right[k]!) / 2));
  };
  for (let round = 0; round < 6; round++) {
    for (let k = 1; k < layerCount; k++) place(layers[k]!, up);
    for (let k = layerCount - 2; k >= 0; k--) place(layers[k]!, down);
  }
  let minX = Infinity;
  let maxX = -Infinity;
  for (let v = 0; v < n; v++) {
    minX = Math.min(minX, x[v]! - vertices[v]!.halfWidth);
    maxX = Math.max(maxX, x[v]! + vertices[v]!.halfWidth);
  }
  if (n === 0) minX = maxX = 0;
  const contentWidth = maxX - minX;
  const width = Math.ceil(Math.max(120, contentWidth) + 2 * MARGIN);
  const shift = MARGIN + (width - 2 * MARGIN - contentWidth) / 2 - minX;
  const xy = (v: number): Point => [round1(x[v]! + shift), MARGIN + NODE_RY + vertices[v]!.layer * LAYER_GAP];
  const height = Math.ceil(Math.max(1, layerCount) * (2 * NODE_RY) + Math.max(0, layerCount - 1) * (LAYER_GAP - 2 * NODE_RY) + 2 * MARGIN);
  const nodes: LaidOutNode[] = graph.nodes.map((name, v) => {
    const [px, py] = xy(v);
    return { name, x: px, y: py, rx: round1(vertices[v]!.halfWidth), ry: NODE_RY, layer: layerOf[v]! };
  });

  // 5. edges
  const edges = graph.edges.map((e, k): LaidOutEdge => {
    const chain = chains[k]!;
    const i = chain[0]!;
    const j = chain[chain.length - 1]!;
    const points: Point[] = chain.map(xy);
    if (a[j * d + i] && chain.length === 2) {
      // a 2-cycle between adjacent layers: bend to the right of the direction of travel
      const [p, q] = points as [Point, Point];
      const len = Math.hypot(q[0] - p[0], q[1] - p[1]) || 1;
      points.splice(1, 0, [(p[0] + q[0]) / 2 - ((q[1] - p[1]) / len) * 18, (p[1] + q[1]) / 2 + ((q[0] - p[0]) / len) * 18]);
    } else if (a[j * d + i]) {
      for (let m = 1; m + 1 < points.length; m++) points[m] = [points[m]![0] + (layerOf[i]! < layerOf[j]! ? -5 : 5), points[m]![1]];
    }
    points[0] = onOutline(nodes[i]!, points[1]![0], points[1]![1]);
    const last = points.length - 1;
    points[last] = onOutline(nodes[j]!, points[last - 1]![0], points[last - 1]![1]);
    const r = points.map(([px, py]) => [round1(px), round1(py)] as Point);
    const segments: CubicSegment[] = [];
    for (let m = 0; m < last; m++) {
      const p0 = r[Math.max(0, m - 1)]!;
      const p1 = r[m]!;
      const p2 = r[m + 1]!;
      const p3 = r[Math.min(last, m + 2)]!;
      segments.push([round1(p1[0] + (p2[0] - p0[0]) / 6), round1(p1[1] + (p2[1] - p0[1]) / 6), round1(p2[0] - (p3[0] - p1[0]) / 6), round1(p2[1] - (p3[1] - p1[1]) / 6), p2[0], p2[1]]);
    }
    const mid = Math.floor((segments.length - 1) / 2);
    const midStart: Point = mid === 0 ? r[0]! : [segments[mid - 1]![4], segments[mid - 1]![5]];
    const edge: LaidOutEdge = { from: e.from, to: e.to, start: r[0]!, segments, label: cubicPoint(midStart, segments[mid]!, 0.5) };
    if (e.probability !== undefined) edge.probability = e.probability;
    return edge;
  });
  return { width, height, nodes, edges };
}

/** The point at parameter t of one cubic segment starting at `from`. */
export function cubicPoint(from: Point, s: CubicSegment, t: number): Point {
  const u = 1 - t;
  return [
    round1(u * u * u * from[0] + 3 * u * u * t * s[0] + 3 * u * t * t * s[2] + t * t * t * s[4]),
    round1(u * u * u * from[1] + 3 * u * u * t * s[1] + 3 * u * t * t * s[3] + t * t * t * s[5]),
  ];
}
