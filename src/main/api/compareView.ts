/**
 * Two finished runs side by side for the Compare screen: edge-marginal RMSE, largest
 * difference and correlation (engine metrics), the most disagreeing edges, each run's
 * convergence diagnostics, and, against a known true graph, SHD of the consensus graph, E-SHD
 * of the samples, AUROC and average precision with their curves.
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import { consensusGraph } from '../../gflownet/metrics/consensus.ts';
import { maxAbsDifference, rmse } from '../../gflownet/metrics/marginals.ts';
import { edgeAuroc, edgeAveragePrecision, edgeScoresAndLabels } from '../../gflownet/metrics/roc.ts';
import { expectedShd, shd } from '../../gflownet/metrics/shd.ts';
import type { PosteriorRunResult } from '../../jobs/kinds/posteriorResult.ts';
import type { ComparisonView, CurvePoint, RunDiagnosticsView, TruthMetricsView } from '../../shared/workflow.ts';
import type { TruthGraph } from './truthGraph.ts';

export interface ComparedRun {
  runId: string;
  label: string;
  result: PosteriorRunResult;
}

const CONSENSUS_THRESHOLD = 0.5;
const DISAGREEMENTS = 10;

export function compareView(a: ComparedRun, b: ComparedRun, truth?: TruthGraph): ComparisonView {
  const variables = a.result.variables;
  const d = variables.length;
  if (b.result.variables.length !== d || b.result.variables.some((v, k) => v !== variables[k])) {
    throw new DagflowError('BAD_OPTION', `${a.label} and ${b.label} were run on different variables`, {}, 'choose two runs on the same data set and columns');
  }
  const ma = a.result.edgeMarginals;
  const mb = b.result.edgeMarginals;
  const points: ComparisonView['points'] = [];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) points.push({ from: i, to: j, a: ma[i * d + j]!, b: mb[i * d + j]! });
  const disagreements = [...points].sort((p, q) => Math.abs(q.a - q.b) - Math.abs(p.a - p.b)).slice(0, DISAGREEMENTS);
  return {
    a: { runId: a.runId, label: a.label },
    b: { runId: b.runId, label: b.label },
    variables,
    rmse: rmse(ma, mb, d),
    maxDifference: maxAbsDifference(ma, mb, d),
    correlation: pearson(points.map((p) => p.a), points.map((p) => p.b)),
    points,
    disagreements,
    diagnostics: { a: diagnosticsOf(a.result), b: diagnosticsOf(b.result) },
    truth: truth ? { name: truth.name, edges: truth.edges, a: truthMetrics(a.result, truth), b: truthMetrics(b.result, truth) } : undefined,
  };
}

/** Pearson correlation; NaN when either side is constant (then it says nothing). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n === 0) return NaN;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k]! - mx) * (y[k]! - my);
    sxx += (x[k]! - mx) ** 2;
    syy += (y[k]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

function diagnosticsOf(result: PosteriorRunResult): RunDiagnosticsView {
  if (result.diagnostics) return result.diagnostics;
  if (!result.samples) return { note: 'Exact posterior: no sampling error, nothing to converge.' };
  return { note: 'A single sampler: no between-chain check. Compare it with another run (or the exact posterior) to judge it.' };
}

function truthMetrics(result: PosteriorRunResult, truth: TruthGraph): TruthMetricsView {
  const d = result.variables.length;
  const m = result.edgeMarginals;
  const consensus = consensusGraph(m, d, CONSENSUS_THRESHOLD);
  let eshd: number | undefined;
  if (result.samples) {
    const dd = d * d;
    const samples = Array.from({ length: result.samples.count }, (_, s) => result.samples!.adjacency.subarray(s * dd, (s + 1) * dd));
    eshd = expectedShd(samples, truth.adjacency, d);
  }
  const { scores, labels } = edgeScoresAndLabels(m, truth.adjacency, d);
  return {
    shd: shd(consensus, truth.adjacency, d),
    eshd,
    auroc: edgeAuroc(m, truth.adjacency, d),
    averagePrecision: edgeAveragePrecision(m, truth.adjacency, d),
    ...curves(scores, labels),
    threshold: CONSENSUS_THRESHOLD,
  };
}

/** ROC and precision–recall points, one per distinct score (highest first), for drawing. */
function curves(scores: number[], labels: number[]): { roc: CurvePoint[]; pr: CurvePoint[] } {
  const order = scores.map((_, k) => k).sort((x, y) => scores[y]! - scores[x]!);
  const positives = labels.reduce((s, l) => s + (l ? 1 : 0), 0);
  const negatives = labels.length - positives;
  const roc: CurvePoint[] = [{ x: 0, y: 0 }];
  const pr: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length; r++) {
    const k = order[r]!;
    if (labels[k]) tp++;
    else fp++;
    const next = order[r + 1];
    if (next !== undefined && scores[next] === scores[k]) continue;
    roc.push({ x: negatives > 0 ? fp / negatives : 0, y: positives > 0 ? tp / positives : 0 });
    if (positives > 0) pr.push({ x: tp / positives, y: tp / (tp + fp) });
  }
  return { roc, pr };
}
