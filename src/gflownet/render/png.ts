/**
 * The PNG export: the SVG of svg.ts rendered by resvg (a Rust SVG renderer shipped as a
 * prebuilt Node addon in the npm package), so the PNG is the same picture as the SVG, with
 * anti-aliasing and the system's real fonts instead of a bitmap font of our own.
 */
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { ExportGraph } from '../graphio/graph.ts';
import { layoutGraph, type GraphLayout } from './layout.ts';
import { renderSvg } from './svg.ts';

export interface PngOptions {
  /** Pixels per layout unit (default 2: sharp on high-density screens and in print). */
  scale?: number;
}

/**
 * System fonts are loaded so the labels use the font the SVG names (DejaVu Sans on Debian,
 * Arial on Windows and macOS). `sansSerifFamily` is only the last resort of the SVG's own
 * font list.
 */
function renderOptions(scale: number): ResvgRenderOptions {
  return {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  };
}

/** The graph as a PNG file (RGBA, 8 bits per channel). */
export function renderPng(graph: ExportGraph, layout: GraphLayout = layoutGraph(graph), options: PngOptions = {}): Uint8Array {
  const svg = renderSvg(graph, layout);
  const image = new Resvg(svg, renderOptions(options.scale ?? 2)).render();
  return new Uint8Array(image.asPng());
}
