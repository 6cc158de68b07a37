/**
 * The consensus graph of a posterior (edges whose marginal exceeds a threshold) and how it
 * compares with a true graph: SHD, and precision / recall / F1 of directed edges (an edge
 * counts as found only with the right direction).
 */
import { DagflowError } from '../core/errors.ts';
import { shd } from './shd.ts';

/** Edge i → j iff P(i → j) > threshold (strictly; with the default 0.5 no pair can be marked both ways). */
export function consensusGraph(marginals: ArrayLike<number>, d: number, threshold = 0.5): Uint8Array {
  if (marginals.length !== d * d) throw new DagflowError('BAD_OPTION', `edge marginals must be ${d}×${d}`);
  if (!(threshold >= 0 && threshold < 1))
    throw new DagflowError('BAD_OPTION', `the consensus threshold must be in [0, 1), got ${threshold}`);
  const g = new Uint8Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && marginals[i * d + j]! > threshold) g[i * d + j] = 1;
  return g;
}

export interface GraphComparison {
  shd: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** TP / (TP + FP); 0 when the estimate has no edges (scikit-learn's zero_division = 0). */
  precision: number;
  /** TP / (TP + FN); 0 when the truth has no edges. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

export function compareGraphs(estimate: ArrayLike<number>, truth: ArrayLike<number>, d: number): GraphComparison {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const e = estimate[i * d + j] ? 1 : 0;
      const t = truth[i * d + j] ? 1 : 0;
      if (e && t) tp++;
      else if (e) fp++;
      else if (t) fn++;
    }
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { shd: shd(estimate, truth, d), truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}
