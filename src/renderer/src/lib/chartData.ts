/**
 * Chart data in uPlot's aligned form: one row of x values shared by every series, then one
 * row of y values per series (null where a series has no point). Curves with their own x
 * values (ROC curves of two runs, a scatter of edges) are merged on one x row, stable-sorted,
 * so a vertical step of a curve (two points with the same x) keeps its order.
 */
import type uPlot from 'uplot';

export interface XY {
  x: number;
  y: number;
}

export function alignCurves(curves: ReadonlyArray<ReadonlyArray<XY>>): uPlot.AlignedData {
  const entries = curves.flatMap((points, curve) => points.map((p, point) => ({ ...p, curve, point })));
  // Array.prototype.sort is stable: equal x keep curve order, then point order
  entries.sort((a, b) => a.x - b.x);
  const xs = entries.map((e) => e.x);
  const rows = curves.map((_, c) => entries.map((e) => (e.curve === c ? e.y : null)));
  return [xs, ...rows] as uPlot.AlignedData;
}

/** Series over a step index 0, 1, 2 …; shorter series end with nulls. */
export function alignByIndex(series: ReadonlyArray<ReadonlyArray<number>>): uPlot.AlignedData {
  const n = Math.max(0, ...series.map((s) => s.length));
  const xs = Array.from({ length: n }, (_, k) => k);
  return [xs, ...series.map((s) => xs.map((k) => (k < s.length && Number.isFinite(s[k]!) ? s[k]! : null)))] as uPlot.AlignedData;
}
