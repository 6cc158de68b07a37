/**
 * Draws a laid-out graph into RGB pixels for the PNG export: the same picture as svg.ts
 * (layout, widths, greys) with anti-aliased curves, arrowheads and ellipses computed from
 * pixel-centre distances, and labels in the 5×8 bitmap font. Pure integer/float arithmetic
 * on a typed array — deterministic, no canvas package.
 */
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows, textWidth } from './bitmapFont.ts';
import { formatNumber, type ExportGraph } from './graph.ts';
import { layoutGraph, type CubicSegment, type GraphLayout, type Point } from './layout.ts';
import { encodePng } from './png.ts';
import { edgeStyle } from './svg.ts';

type Rgb = readonly [number, number, number];

export class RgbCanvas {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let k = 0; k < width * height; k++) this.pixels.set(background, k * 3);
  }

  /** Mix `colour` into pixel (x, y) with coverage alpha in [0, 1]. */
  blend(x: number, y: number, colour: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const a = Math.min(1, alpha);
    const k = (y * this.width + x) * 3;
    for (let c = 0; c < 3; c++) this.pixels[k + c] = Math.round(this.pixels[k + c]! * (1 - a) + colour[c]! * a);
  }

  private box(x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
    return [Math.max(0, Math.floor(x0)), Math.max(0, Math.floor(y0)), Math.min(this.width - 1, Math.ceil(x1)), Math.min(this.height - 1, Math.ceil(y1))];
  }

  /** A polyline of the given width: each pixel's coverage from its distance to the nearest segment. */
  strokePolyline(points: ReadonlyArray<readonly [number, number]>, width: number, colour: Rgb): void {
    const half = width / 2;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const [x, y] of points) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    const [bx0, by0, bx1, by1] = this.box(minX - half - 1, minY - half - 1, maxX + half + 1, maxY + half + 1);
    if (bx1 < bx0 || by1 < by0) return;
    // coverage = max over segments, gathered per segment in its own box, then blended once (joints not darkened)
    const w = bx1 - bx0 + 1;
    const coverage = new Float32Array(w * (by1 - by0 + 1));
    for (let s = 0; s + 1 < points.length; s++) {
      const a = points[s]!;
      const b = points[s + 1]!;
      const [sx0, sy0, sx1, sy1] = this.box(Math.min(a[0], b[0]) - half - 1, Math.min(a[1], b[1]) - half - 1, Math.max(a[0], b[0]) + half + 1, Math.max(a[1], b[1]) + half + 1);
      for (let py = sy0; py <= sy1; py++) {
        for (let px = sx0; px <= sx1; px++) {
          const c = half + 0.5 - segmentDistance(px + 0.5, py + 0.5, a, b);
          const k = (py - by0) * w + (px - bx0);
          if (c > coverage[k]!) coverage[k] = c;
        }
      }
    }
    for (let py = by0; py <= by1; py++) for (let px = bx0; px <= bx1; px++) this.blend(px, py, colour, coverage[(py - by0) * w + (px - bx0)]!);
  }

  /** A rectangle of one colour mixed in with opacity alpha (label backgrounds). */
  fillRect(x: number, y: number, w: number, h: number, colour: Rgb, alpha: number): void {
    const [bx0, by0, bx1, by1] = this.box(x, y, x + w - 1, y + h - 1);
    for (let py = by0; py <= by1; py++) for (let px = bx0; px <= bx1; px++) this.blend(px, py, colour, alpha);
  }

  /** A filled triangle, 4×4 supersampled. */
  fillTriangle(a: readonly [number, number], b: readonly [number, number], c: readonly [number, number], colour: Rgb): void {
    const [bx0, by0, bx1, by1] = this.box(Math.min(a[0], b[0], c[0]), Math.min(a[1], b[1], c[1]), Math.max(a[0], b[0], c[0]), Math.max(a[1], b[1], c[1]));
    const area = edge(a, b, c);
    if (area === 0) return;
    for (let py = by0; py <= by1; py++) {
      for (let px = bx0; px <= bx1; px++) {
        let inside = 0;
        for (let sy = 0; sy < 4; sy++) {
          for (let sx = 0; sx < 4; sx++) {
            const p: [number, number] = [px + (sx + 0.5) / 4, py + (sy + 0.5) / 4];
            const w0 = edge(b, c, p) / area;
            const w1 = edge(c, a, p) / area;
            const w2 = edge(a, b, p) / area;
            if (w0 >= 0 && w1 >= 0 && w2 >= 0) inside++;
          }
        }
        this.blend(px, py, colour, inside / 16);
      }
    }
  }

  /** A filled ellipse with an outline of the given width (distance to the outline by first-order approximation). */
  ellipse(cx: number, cy: number, rx: number, ry: number, fill: Rgb, stroke: Rgb, strokeWidth: number): void {
    const [bx0, by0, bx1, by1] = this.box(cx - rx - strokeWidth - 1, cy - ry - strokeWidth - 1, cx + rx + strokeWidth + 1, cy + ry + strokeWidth + 1);
    for (let py = by0; py <= by1; py++) {
      for (let px = bx0; px <= bx1; px++) {
        const dx = px + 0.5 - cx;
        const dy = py + 0.5 - cy;
        const f = (dx * dx) / (rx * rx) + (dy * dy) / (ry * ry) - 1;
        const grad = 2 * Math.hypot(dx / (rx * rx), dy / (ry * ry)) || 1;
        const distance = f / grad; // signed: negative inside
        this.blend(px, py, fill, 0.5 - distance);
        this.blend(px, py, stroke, strokeWidth / 2 + 0.5 - Math.abs(distance));
      }
    }
  }

  /** Text in the bitmap font, each font pixel a `scale`×`scale` block; (x, y) = top-left. */
  text(text: string, x: number, y: number, scale: number, colour: Rgb): void {
    let left = Math.round(x);
    const top = Math.round(y);
    for (const ch of text) {
      const rows = glyphRows(ch);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (!((rows[r]! >> (GLYPH_WIDTH - 1 - c)) & 1)) continue;
          for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) this.blend(left + c * scale + sx, top + r * scale + sy, colour, 1);
        }
      }
      left += GLYPH_ADVANCE * scale;
    }
  }
}

/** A point on a cubic segment without rounding (the raster wants smooth curves). */
function cubicPointExact(from: Point, s: CubicSegment, t: number): Point {
  const u = 1 - t;
  return [u * u * u * from[0] + 3 * u * u * t * s[0] + 3 * u * t * t * s[2] + t * t * t * s[4], u * u * u * from[1] + 3 * u * u * t * s[1] + 3 * u * t * t * s[3] + t * t * t * s[5]];
}

function edge(a: readonly [number, number], b: readonly [number, number], p: readonly [number, number]): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

function segmentDistance(px: number, py: number, a: readonly [number, number], b: readonly [number, number]): number {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const len2 = vx * vx + vy * vy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * vx + (py - a[1]) * vy) / len2));
  return Math.hypot(px - (a[0] + t * vx), py - (a[1] + t * vy));
}

export interface PngOptions {
  /** Pixels per layout unit (default 2: sharp on high-density screens and in print). */
  scale?: number;
}

/** The graph as a PNG file. */
export function renderPng(graph: ExportGraph, layout: GraphLayout = layoutGraph(graph), options: PngOptions = {}): Uint8Array {
  const s = options.scale ?? 2;
  const canvas = new RgbCanvas(Math.ceil(layout.width * s), Math.ceil(layout.height * s));
  const arrowColour: Rgb = [51, 51, 51];
  for (const e of layout.edges) {
    const { width, grey } = edgeStyle(e.probability);
    const colour: Rgb = [grey, grey, grey];
    // stop the line where the arrowhead begins, as the SVG marker does
    const head = 9 * s;
    const last = e.segments[e.segments.length - 1]!;
    const [endX, endY] = [last[4], last[5]];
    const tx = endX - last[2];
    const ty = endY - last[3];
    const tl = Math.hypot(tx, ty) || 1;
    const ux = tx / tl;
    const uy = ty / tl;
    const points: Array<[number, number]> = [[e.start[0] * s, e.start[1] * s]];
    let from = e.start;
    for (const segment of e.segments) {
      for (let k = 1; k <= 16; k++) {
        const [x, y] = cubicPointExact(from, segment, k / 16);
        points.push([x * s, y * s]);
      }
      from = [segment[4], segment[5]];
    }
    points[points.length - 1] = [endX * s - ux * head * 0.8, endY * s - uy * head * 0.8];
    canvas.strokePolyline(points, width * s, colour);
    const tip: [number, number] = [endX * s, endY * s];
    const base: [number, number] = [tip[0] - ux * head, tip[1] - uy * head];
    canvas.fillTriangle(tip, [base[0] - uy * head * 0.45, base[1] + ux * head * 0.45], [base[0] + uy * head * 0.45, base[1] - ux * head * 0.45], arrowColour);
  }
  for (const e of layout.edges) {
    if (e.probability === undefined) continue;
    const x = e.label[0] + 4;
    const y = e.label[1] - 4;
    const label = formatNumber(e.probability, 2);
    const left = x * s;
    const top = y * s - GLYPH_HEIGHT * s * 0.75;
    canvas.fillRect(left - s, top - s, textWidth(label, s) + 2 * s, (GLYPH_HEIGHT + 1) * s, [255, 255, 255], 0.8);
    canvas.text(label, left, top, s, [68, 68, 68]);
  }
  for (const n of layout.nodes) {
    canvas.ellipse(n.x * s, n.y * s, n.rx * s, n.ry * s, [238, 243, 251], [48, 80, 122], 1.5 * s);
    canvas.text(n.name, n.x * s - textWidth(n.name, s) / 2, n.y * s - (7 * s) / 2, s, [17, 17, 17]);
  }
  return encodePng(canvas.width, canvas.height, canvas.pixels);
}
