/**
 * The consensus graph as a standalone SVG image drawn from layout.ts: rounded boxes with the
 * column names, arrows whose width and darkness grow with the edge probability, and
 * the probability written where ELK placed the edge's label. Plain SVG 1.1 (no scripts, no
 * external fonts or styles), so browsers, Inkscape and word processors show it alike, and the HTML report can
 * embed the same markup.
 */
import { formatNumber, type ExportGraph } from '../graphio/graph.ts';
import { EDGE_LABEL_FONT_SIZE, edgeLabelText, LAYOUT_FONT_SIZE, layoutGraph, type GraphLayout, type LaidOutEdge } from './layout.ts';
import { escapeXml } from '../graphio/xml.ts';

const f1 = (x: number): string => formatNumber(x, 1);

/** Stroke width and grey level of an edge: p = 1 is thick and black, an unweighted edge like p = 1. */
export function edgeStyle(probability: number | undefined): { width: number; grey: number } {
  const p = probability ?? 1;
  return { width: 1 + 2.5 * p, grey: Math.round(160 * (1 - p)) };
}

function pathData(e: LaidOutEdge): string {
  return e.points.map(([x, y], k) => `${k === 0 ? 'M' : ' L'}${f1(x)},${f1(y)}`).join('');
}

export function renderSvg(graph: ExportGraph, layout: GraphLayout = layoutGraph(graph), options: { idPrefix?: string } = {}): string {
  const prefix = options.idPrefix ?? 'dagflow';
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${LAYOUT_FONT_SIZE}">`,
  );
  const title =
    graph.title ??
    (graph.threshold !== undefined ? `Consensus graph: edges with posterior probability ≥ ${formatNumber(graph.threshold)}` : 'Graph');
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(
    `<defs><marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="#333333"/></marker></defs>`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push('<g fill="none" stroke-linejoin="round">');
  for (const e of layout.edges) {
    const { width, grey } = edgeStyle(e.probability);
    const colour = `rgb(${grey},${grey},${grey})`;
    out.push(
      `<path d="${pathData(e)}" stroke="${colour}" stroke-width="${formatNumber(width, 2)}" marker-end="url(#${prefix}-arrow)"><title>${escapeXml(`${e.from} → ${e.to}${e.probability === undefined ? '' : ` (p = ${formatNumber(e.probability, 3)})`}`)}</title></path>`,
    );
  }
  out.push('</g>');
  out.push(
    `<g fill="#444444" font-size="${EDGE_LABEL_FONT_SIZE}" stroke="#ffffff" stroke-width="3" stroke-opacity="0.8" paint-order="stroke">`,
  );
  for (const e of layout.edges) {
    if (e.probability === undefined || !e.label) continue;
    out.push(`<text x="${f1(e.label.x + 2)}" y="${f1(e.label.y + e.label.height - 3)}">${edgeLabelText(e.probability)}</text>`);
  }
  out.push('</g>');
  out.push('<g>');
  for (const n of layout.nodes) {
    out.push(
      `<rect x="${f1(n.x - n.width / 2)}" y="${f1(n.y - n.height / 2)}" width="${f1(n.width)}" height="${f1(n.height)}" rx="8" fill="#eef3fb" stroke="#30507a" stroke-width="1.5"/>`,
    );
    out.push(
      `<text x="${f1(n.x)}" y="${f1(n.y + LAYOUT_FONT_SIZE * 0.35)}" text-anchor="middle" fill="#111111">${escapeXml(n.name)}</text>`,
    );
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
