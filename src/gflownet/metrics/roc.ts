/**
 * Ranking quality of edge marginals against a true graph: area under the ROC curve and
 * average precision. Ties are handled the way scikit-learn does (one threshold per distinct
 * score): AUROC equals the Mann–Whitney statistic with ties counted ½, and AP is
 * Σ_k (R_k − R_{k−1})·P_k over the distinct thresholds, highest first.
 */
import { DagflowError } from '../core/errors.ts';

export interface EdgeRankingOptions {
  /**
   * Include the d diagonal entries (marginal 0, never true). The reference evaluation does
   * (`auroc_full_matrix`); the default leaves them out, since they are not edges at all.
   */
  includeDiagonal?: boolean;
}

function groupedCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): Array<{ tp: number; fp: number }> {
  if (scores.length !== labels.length) throw new DagflowError('INTERNAL', `${scores.length} scores but ${labels.length} labels`);
  const order = Array.from({ length: scores.length }, (_, k) => k).sort((x, y) => scores[y]! - scores[x]!);
  const points: Array<{ tp: number; fp: number }> = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length; r++) {
    const k = order[r]!;
    if (!Number.isFinite(scores[k]!)) throw new DagflowError('BAD_OPTION', `score ${scores[k]} is not a finite number`);
    if (labels[k]) tp++;
    else fp++;
    const next = order[r + 1];
    if (next === undefined || scores[next] !== scores[k]) points.push({ tp, fp });
  }
  return points;
}

function classCounts(labels: ArrayLike<number>): { positives: number; negatives: number } {
  let positives = 0;
  for (let k = 0; k < labels.length; k++) if (labels[k]) positives++;
  return { positives, negatives: labels.length - positives };
}

/** NaN when one class is absent (the AUROC is undefined then). */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { positives, negatives } = classCounts(labels);
  if (positives === 0 || negatives === 0) return NaN;
  let area = 0;
  let prev = { tp: 0, fp: 0 };
  for (const p of groupedCurve(scores, labels)) {
    area += ((p.fp - prev.fp) * (p.tp + prev.tp)) / 2;
    prev = p;
  }
  return area / (positives * negatives);
}

/** NaN when there are no positives. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { positives } = classCounts(labels);
  if (positives === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  for (const p of groupedCurve(scores, labels)) {
    ap += ((p.tp - prevTp) / positives) * (p.tp / (p.tp + p.fp));
    prevTp = p.tp;
  }
  return ap;
}

/** The (score, label) pairs of an edge-marginal matrix against a true adjacency. */
export function edgeScoresAndLabels(
  marginals: ArrayLike<number>,
  truth: ArrayLike<number>,
  d: number,
  options: EdgeRankingOptions = {},
): { scores: number[]; labels: number[] } {
  if (marginals.length !== d * d || truth.length !== d * d) throw new DagflowError('BAD_OPTION', `edge matrices must be ${d}×${d}`);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j && !options.includeDiagonal) continue;
      scores.push(marginals[i * d + j]!);
      labels.push(truth[i * d + j] ? 1 : 0);
    }
  }
  return { scores, labels };
}

export function edgeAuroc(marginals: ArrayLike<number>, truth: ArrayLike<number>, d: number, options: EdgeRankingOptions = {}): number {
  const { scores, labels } = edgeScoresAndLabels(marginals, truth, d, options);
  return auroc(scores, labels);
}

export function edgeAveragePrecision(
  marginals: ArrayLike<number>,
  truth: ArrayLike<number>,
  d: number,
  options: EdgeRankingOptions = {},
): number {
  const { scores, labels } = edgeScoresAndLabels(marginals, truth, d, options);
  return averagePrecision(scores, labels);
}
