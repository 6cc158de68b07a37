/**
 * Small static SVG charts for the HTML run report: the edge-marginal heat map, a line chart
 * (log score per sample) and a bar chart (edges per sampled DAG). Inline SVG, fixed number
 * formatting, no scripts — the report stays one self-contained, byte-stable file.
 */
import { formatNumber } from '../graphio/graph.ts';
import { escapeXml } from '../graphio/xml.ts';

const f1 = (x: number): string => formatNumber(x, 1);

/** White (p = 0) to dark blue (p = 1). */
export function heatColour(p: number): string {
  const t = Math.max(0, Math.min(1, p));
  const channel = (from: number, to: number): number => Math.round(from + (to - from) * t);
  return `rgb(${channel(255, 8)},${channel(255, 48)},${channel(255, 107)})`;
}

/** Heat map of P(row → column) with the values written in the cells. */
export function heatmapSvg(columns: readonly string[], marginals: ArrayLike<number>): string {
  const d = columns.length;
  const cell = d <= 12 ? 40 : d <= 30 ? 22 : 12;
  const label = Math.min(140, 14 + 7 * Math.max(1, ...columns.map((c) => c.length)));
  const size = label + d * cell + 10;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`,
  ];
  out.push('<title>Edge marginals: P(row → column)</title>');
  for (let i = 0; i < d; i++) {
    const y = label + i * cell;
    out.push(`<text x="${label - 6}" y="${f1(y + cell / 2 + 4)}" text-anchor="end">${escapeXml(columns[i]!)}</text>`);
    out.push(
      `<text transform="translate(${f1(label + i * cell + cell / 2 + 4)},${label - 6}) rotate(-90)">${escapeXml(columns[i]!)}</text>`,
    );
    for (let j = 0; j < d; j++) {
      const p = marginals[i * d + j]!;
      const x = label + j * cell;
      const fill = i === j ? '#dddddd' : heatColour(p);
      out.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ffffff"><title>${escapeXml(`${columns[i]} → ${columns[j]}: ${formatNumber(p, 4)}`)}</title></rect>`,
      );
      if (cell >= 22 && i !== j) {
        out.push(
          `<text x="${f1(x + cell / 2)}" y="${f1(y + cell / 2 + 4)}" text-anchor="middle" font-size="${cell >= 40 ? 11 : 8}" fill="${p > 0.55 ? '#ffffff' : '#222222'}">${formatNumber(p, 2)}</text>`,
        );
      }
    }
  }
  out.push('</svg>');
  return out.join('\n');
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const FRAME: Frame = { width: 560, height: 260, left: 64, right: 16, top: 24, bottom: 40 };

function axes(title: string, xLabel: string, yLabel: string, yMin: number, yMax: number, xMax: number | null): string[] {
  const { width, height, left, right, top, bottom } = FRAME;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">`,
  ];
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<text x="${width / 2}" y="14" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(`<path d="M${left},${top} V${height - bottom} H${width - right}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${width / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(14,${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  out.push(`<text x="${left - 4}" y="${top + 4}" text-anchor="end">${formatNumber(yMax, 2)}</text>`);
  out.push(`<text x="${left - 4}" y="${height - bottom}" text-anchor="end">${formatNumber(yMin, 2)}</text>`);
  if (xMax !== null) out.push(`<text x="${width - right}" y="${height - bottom + 14}" text-anchor="end">${formatNumber(xMax, 0)}</text>`);
  return out;
}

export interface Series {
  name?: string;
  /** x of each point; default 1, 2, …, n. */
  x?: readonly number[];
  y: readonly number[];
}

const PALETTE = ['#30507a', '#c0504d', '#4f9a4f', '#8064a2', '#d68a1a', '#2c9aa0'];

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

/** One or more lines; at most ~1000 points per line are drawn (evenly spaced) to keep the file small. */
export function lineChartSvg(series: readonly Series[], title: string, xLabel: string, yLabel: string): string {
  const xs = series.map((s) => s.x ?? s.y.map((_, k) => k + 1));
  const [yMin, yMax] = extent(series.flatMap((s) => s.y));
  const [xMin, xMax] = extent(xs.flat());
  const ySpan = yMax - yMin || 1;
  const xSpan = xMax - xMin || 1;
  const out = axes(title, xLabel, yLabel, yMin, yMax, xMax);
  const { width, height, left, right, top, bottom } = FRAME;
  series.forEach((s, k) => {
    const n = s.y.length;
    const step = Math.max(1, Math.ceil(n / 1000));
    const points: string[] = [];
    for (let i = 0; i < n; i += step) {
      const y = s.y[i]!;
      if (!Number.isFinite(y)) continue;
      const px = left + ((xs[k]![i]! - xMin) / xSpan) * (width - left - right);
      const py = height - bottom - ((y - yMin) / ySpan) * (height - top - bottom);
      points.push(`${f1(px)},${f1(py)}`);
    }
    const colour = PALETTE[k % PALETTE.length]!;
    if (points.length > 0) out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="1"/>`);
    if (series.length > 1 && s.name !== undefined)
      out.push(`<text x="${width - right - 4}" y="${top + 12 + 13 * k}" text-anchor="end" fill="${colour}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** counts[k] = how often the value k occurred. */
export function barChartSvg(counts: readonly number[], title: string, xLabel: string, yLabel: string): string {
  const max = Math.max(1, extent(counts)[1]);
  // every bar is labelled below (up to 40 bars), so no separate x maximum
  const out = axes(title, xLabel, yLabel, 0, max, counts.length <= 40 ? null : counts.length - 1);
  const { width, height, left, right, top, bottom } = FRAME;
  const bar = (width - left - right) / Math.max(1, counts.length);
  counts.forEach((c, k) => {
    const h = (c / max) * (height - top - bottom);
    out.push(
      `<rect x="${f1(left + k * bar + 1)}" y="${f1(height - bottom - h)}" width="${f1(Math.max(1, bar - 2))}" height="${f1(h)}" fill="#6c8ebf"><title>${k}: ${c}</title></rect>`,
    );
    if (counts.length <= 40)
      out.push(`<text x="${f1(left + k * bar + bar / 2)}" y="${height - bottom + 14}" text-anchor="middle" font-size="9">${k}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
