/**
 * The layout shared by the SVG, PNG and Cytoscape exports: ELK's layered algorithm (elkjs)
 * with the options of shared/graphLayout.ts, which the window uses too (cytoscape-elk).
 * ELK breaks cycles, orders layers, places nodes and edge labels, and routes each edge as a
 * polyline around the nodes. Same input, same picture: ELK runs with a
 * fixed seed and ties follow column order.
 */
import { createRequire } from 'node:module';
import {
  EDGE_LABEL_FONT_SIZE,
  edgeLabelSize,
  LAYERED_LAYOUT_OPTIONS,
  NODE_FONT_SIZE,
  NODE_HEIGHT,
  nodeWidth,
} from '../../shared/graphLayout.ts';
import { formatNumber, type ExportGraph } from '../graphio/graph.ts';

export interface LaidOutNode {
  name: string;
  /** Centre of the node's box. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Point = [number, number];

export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  probability?: number;
  /** The route: from the parent's border through ELK's bend points to the child's border. */
  points: Point[];
  /** Where ELK put the probability (edges with a probability only). */
  label?: LabelBox;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

export const LAYOUT_FONT_SIZE = NODE_FONT_SIZE;
export { EDGE_LABEL_FONT_SIZE };
/** The text of an edge's label: its probability with two decimals. */
export const edgeLabelText = (probability: number): string => formatNumber(probability, 2);
const labelSize = edgeLabelSize;

interface ElkPoint {
  x: number;
  y: number;
}
interface ElkInputNode {
  id: string;
  width: number;
  height: number;
}
interface ElkInputEdge {
  id: string;
  sources: [string];
  targets: [string];
  labels?: Array<{ text: string; width: number; height: number }>;
}
interface ElkInputGraph {
  id: string;
  layoutOptions: Readonly<Record<string, string>>;
  children: ElkInputNode[];
  edges: ElkInputEdge[];
}
interface ElkOutputGraph {
  width: number;
  height: number;
  children: Array<ElkInputNode & ElkPoint>;
  edges: Array<{
    id: string;
    sections?: Array<{ startPoint: ElkPoint; endPoint: ElkPoint; bendPoints?: ElkPoint[] }>;
    labels?: Array<LabelBox & { text: string }>;
  }>;
}
type ElkMessage = { cmd: 'register'; id: number; algorithms: string[] } | { cmd: 'layout'; id: number; graph: ElkInputGraph };
interface ElkReply {
  id: number;
  data?: unknown;
  error?: unknown;
}
/** elkjs's bundled stand-in for a web worker, as its elk-worker.min.js exports it for Node. */
interface ElkFakeWorker {
  onmessage: (message: { data: ElkReply }) => void;
  dispatcher?: { saveDispatch(event: { data: ElkMessage }): void };
}

/**
 * ELK's public API (`new ELK().layout()`) returns a promise only because it may run in a web
 * worker; the exports are synchronous functions, so we talk to elkjs's in-process worker
 * directly, whose dispatcher computes and answers within the call.
 */
function createElk(): (graph: ElkInputGraph) => ElkOutputGraph {
  const { Worker } = createRequire(import.meta.url)('elkjs/lib/elk-worker.min.js') as { Worker: new () => ElkFakeWorker };
  const worker = new Worker();
  let reply: ElkReply | undefined;
  worker.onmessage = (message) => (reply = message.data);
  const send = (message: ElkMessage): unknown => {
    reply = undefined;
    if (!worker.dispatcher) throw new Error('elkjs: the in-process worker has no dispatcher (elkjs version changed?)');
    worker.dispatcher.saveDispatch({ data: message });
    const answer = reply as ElkReply | undefined;
    if (!answer || answer.id !== message.id) throw new Error('elkjs: no synchronous answer from the in-process worker');
    if (answer.error !== undefined)
      throw new Error(`elkjs: ${answer.error instanceof Error ? answer.error.message : String(answer.error)}`);
    return answer.data;
  };
  send({ cmd: 'register', id: 0, algorithms: ['layered'] });
  let id = 1;
  return (graph) => send({ cmd: 'layout', id: id++, graph }) as ElkOutputGraph;
}

let elk: ((graph: ElkInputGraph) => ElkOutputGraph) | undefined;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const point = (p: ElkPoint): Point => [round1(p.x), round1(p.y)];

/** One ELK edge section as a polyline: start, bend points, end. */
const sectionPoints = (s: { startPoint: ElkPoint; endPoint: ElkPoint; bendPoints?: ElkPoint[] }): Point[] =>
  [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map(point);

export function layoutGraph(graph: ExportGraph): GraphLayout {
  elk ??= createElk();
  const input: ElkInputGraph = {
    id: 'graph',
    layoutOptions: LAYERED_LAYOUT_OPTIONS,
    children: graph.nodes.map((name, k) => ({ id: `n${k}`, width: nodeWidth(name), height: NODE_HEIGHT })),
    edges: [],
  };
  const index = new Map(graph.nodes.map((name, k) => [name, k] as const));
  graph.edges.forEach((e, k) => {
    const edge: ElkInputEdge = { id: `e${k}`, sources: [`n${index.get(e.from)}`], targets: [`n${index.get(e.to)}`] };
    if (e.probability !== undefined) {
      const text = edgeLabelText(e.probability);
      edge.labels = [{ text, ...labelSize(text) }];
    }
    input.edges.push(edge);
  });
  const out = elk(input);
  const byId = new Map(out.children.map((n) => [n.id, n] as const));
  const nodes = graph.nodes.map((name, k): LaidOutNode => {
    const n = byId.get(`n${k}`)!;
    return { name, x: round1(n.x + n.width / 2), y: round1(n.y + n.height / 2), width: n.width, height: n.height };
  });
  const routed = new Map(out.edges.map((e) => [e.id, e] as const));
  const edges = graph.edges.map((e, k): LaidOutEdge => {
    const r = routed.get(`e${k}`);
    const sections = r?.sections ?? [];
    if (sections.length === 0) throw new Error(`elkjs routed no path for ${e.from} → ${e.to}`);
    const points = sections.flatMap((s, k) => sectionPoints(s).slice(k === 0 ? 0 : 1));
    const edge: LaidOutEdge = { from: e.from, to: e.to, points };
    if (e.probability !== undefined) {
      edge.probability = e.probability;
      const box = r?.labels?.[0];
      if (box) edge.label = { x: round1(box.x), y: round1(box.y), width: box.width, height: box.height };
    }
    return edge;
  });
  return { width: Math.ceil(out.width), height: Math.ceil(out.height), nodes, edges };
}
