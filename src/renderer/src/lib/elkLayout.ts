/**
 * ELK's layered layout for the window, computed in a web worker: at 60 variables ELK took over a
 * second on the window's thread (cytoscape-elk runs elkjs's bundled copy there), and the window
 * froze meanwhile. elkjs ships its worker script; Vite bundles it as a worker of its own. Where a
 * worker cannot start, the same layout runs in the window's thread (elkjs's bundled copy).
 */
import ElkConstructor, { type ELK, type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk-api.js';
import ElkWorker from 'elkjs/lib/elk-worker.min.js?worker';
import { LAYERED_LAYOUT_OPTIONS } from '../../../shared/graphLayout.ts';

export interface LayoutInputNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutInputEdge {
  id: string;
  source: string;
  target: string;
  /** The edge's probability label and its size, when it has one: ELK places it in space it keeps free. */
  label?: { text: string; width: number; height: number };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LaidOutGraph {
  /** Top-left corner and size of every node. */
  nodes: Map<string, Box>;
  /** ELK's route of every edge (start, bend points, end) and where it put the label. */
  edges: Map<string, { sections: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }>; label?: Box }>;
}
interface Point {
  x: number;
  y: number;
}

let elk: ELK | undefined;
let inThread: Promise<ELK> | undefined;
/** Rejects when the worker reports an error (a script it could not load, a crash): elkjs would wait forever. */
let workerFailed: Promise<never> | undefined;
let workerBroken = false;

function workerElk(): ELK | undefined {
  if (elk || workerBroken) return elk;
  try {
    elk = new ElkConstructor({
      workerFactory: () => {
        const worker = new ElkWorker();
        workerFailed = new Promise<never>((_, reject) =>
          worker.addEventListener('error', (e) => reject(new Error(e.message || 'the layout worker failed'))),
        );
        workerFailed.catch(() => undefined);
        return worker;
      },
    });
  } catch {
    workerBroken = true;
    elk = undefined;
  }
  return elk;
}

async function threadElk(): Promise<ELK> {
  inThread ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return inThread;
}

export async function layeredLayout(nodes: LayoutInputNode[], edges: LayoutInputEdge[], aspectRatio: number): Promise<LaidOutGraph> {
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { ...LAYERED_LAYOUT_OPTIONS, 'elk.aspectRatio': String(aspectRatio) },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.map((e): ElkExtendedEdge => ({
      id: e.id,
      sources: [e.source],
      targets: [e.target],
      ...(e.label ? { labels: [{ ...e.label }] } : {}),
    })),
  };
  let out: ElkNode;
  const worker = workerElk();
  try {
    if (!worker) throw new Error('no worker');
    out = await Promise.race([worker.layout(graph), workerFailed ?? new Promise<never>(() => undefined)]);
  } catch {
    // A worker that could not start (or died): lay out here from now on rather than show nothing.
    worker?.terminateWorker();
    workerBroken = true;
    elk = undefined;
    out = await (await threadElk()).layout(graph);
  }
  const laid: LaidOutGraph = { nodes: new Map(), edges: new Map() };
  for (const n of out.children ?? []) laid.nodes.set(n.id, { x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 });
  for (const e of out.edges ?? []) {
    const label = e.labels?.[0];
    laid.edges.set(e.id, {
      sections: e.sections ?? [],
      ...(label ? { label: { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
    });
  }
  return laid;
}
