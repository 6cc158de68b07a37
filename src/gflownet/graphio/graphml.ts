/**
 * GraphML (http://graphml.graphdrawing.org/): read by Python's networkx (`read_graphml`),
 * igraph, yEd, Gephi and Cytoscape desktop. Node ids are the column names; each edge carries
 * its posterior probability in the declared `probability` attribute (a double).
 *
 * The reader accepts the subset other tools write for a plain directed graph: <key>
 * declarations, <graph edgedefault="directed">, <node id>, <edge source target [directed]>,
 * any <data>. Hyperedges, nested graphs and undirected edges are refused with the line.
 */
import { DagflowError } from '../core/errors.ts';
import { MAX_NESTING_DEPTH, xmlTooDeep } from '../io/nesting.ts';
import { formatNumber, type ExportGraph } from './graph.ts';
import type { ParsedGraph } from './parsedGraph.ts';
import { escapeXml, parseXml, type XmlElement } from './xml.ts';

const GRAPHML_NS = 'http://graphml.graphdrawing.org/xmlns';

export function writeGraphml(graph: ExportGraph): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<graphml xmlns="${GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${GRAPHML_NS} ${GRAPHML_NS}/1.0/graphml.xsd">`,
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="probability" for="edge" attr.name="probability" attr.type="double"/>',
    '  <key id="threshold" for="graph" attr.name="threshold" attr.type="double"/>',
    '  <graph id="G" edgedefault="directed">',
  ];
  if (graph.threshold !== undefined) lines.push(`    <data key="threshold">${formatNumber(graph.threshold)}</data>`);
  for (const name of graph.nodes) {
    const id = escapeXml(name);
    lines.push(`    <node id="${id}"><data key="label">${id}</data></node>`);
  }
  graph.edges.forEach((e, k) => {
    const open = `    <edge id="e${k}" source="${escapeXml(e.from)}" target="${escapeXml(e.to)}"`;
    lines.push(e.probability === undefined ? `${open}/>` : `${open}><data key="probability">${formatNumber(e.probability)}</data></edge>`);
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

function attribute(el: XmlElement, name: string, file: string): string {
  const value = el.attributes.get(name);
  if (value === undefined || value === '') {
    throw new DagflowError('BAD_GRAPH', `line ${el.line}: <${el.local}> needs a "${name}" attribute`, { file, row: el.line });
  }
  return value;
}

export function readGraphml(text: string, file: string): ParsedGraph {
  // The XML reader descends once per element: bound the depth before it can exhaust the stack.
  const deep = xmlTooDeep(text);
  if (deep)
    throw new DagflowError(
      'BAD_GRAPH',
      `line ${deep.line}: elements nested more than ${MAX_NESTING_DEPTH} levels deep`,
      { file, row: deep.line },
      'the file is damaged or not GraphML',
    );
  const root = parseXml(text, file);
  if (root.local !== 'graphml') {
    throw new DagflowError(
      'BAD_GRAPH',
      `line ${root.line}: the root element is <${root.name}>, not <graphml>`,
      { file, row: root.line },
      'export the graph as GraphML',
    );
  }
  const graphs = root.children.filter((c) => c.local === 'graph');
  if (graphs.length !== 1) {
    throw new DagflowError('BAD_GRAPH', `expected exactly one <graph>, found ${graphs.length}`, { file }, 'save a single graph per file');
  }
  const g = graphs[0]!;
  const edgeDefault = g.attributes.get('edgedefault') ?? 'directed';
  const parsed: ParsedGraph = { file, format: 'graphml', nodes: [], edges: [] };
  // node keys that hold a display name (Cytoscape: "name", yEd and ours: "label")
  const nameKeys = new Map<string, number>();
  for (const key of root.children.filter((c) => c.local === 'key')) {
    const attrName = (key.attributes.get('attr.name') ?? '').toLowerCase();
    const forWhat = key.attributes.get('for') ?? 'all';
    const id = key.attributes.get('id');
    if (id !== undefined && (forWhat === 'node' || forWhat === 'all') && (attrName === 'name' || attrName === 'label'))
      nameKeys.set(id, attrName === 'name' ? 0 : 1);
  }
  const labels = new Map<string, string>();
  for (const el of g.children) {
    if (el.local === 'node') {
      if (el.children.some((c) => c.local === 'graph')) {
        throw new DagflowError('BAD_GRAPH', `line ${el.line}: nested graphs are not supported`, { file, row: el.line });
      }
      const id = attribute(el, 'id', file);
      parsed.nodes.push({ name: id, line: el.line });
      let best = Infinity;
      for (const data of el.children) {
        const rank = data.local === 'data' ? nameKeys.get(data.attributes.get('key') ?? '') : undefined;
        if (rank !== undefined && rank < best && data.text.trim() !== '') {
          best = rank;
          labels.set(id, data.text.trim());
        }
      }
    } else if (el.local === 'edge') {
      const directed = el.attributes.get('directed') ?? (edgeDefault === 'directed' ? 'true' : 'false');
      if (directed !== 'true') {
        throw new DagflowError(
          'BAD_GRAPH',
          `line ${el.line}: the edge ${el.attributes.get('source')} — ${el.attributes.get('target')} is undirected`,
          { file, row: el.line },
          'a DAG needs directed edges (edgedefault="directed")',
        );
      }
      parsed.edges.push({ from: attribute(el, 'source', file), to: attribute(el, 'target', file), line: el.line });
    } else if (el.local === 'hyperedge') {
      throw new DagflowError('BAD_GRAPH', `line ${el.line}: hyperedges are not supported`, { file, row: el.line });
    }
  }
  if (labels.size > 0) parsed.labels = labels;
  return parsed;
}
