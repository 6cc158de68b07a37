/**
 * Two finished runs side by side for the Compare screen, by the engine's run comparison
 * (gflownet/compare/compareRuns.ts, the same function `dagflow compare` uses): RMSE, largest
 * difference and correlation of the edge marginals, the most disagreeing edges, metrics against
 * a true graph. Added here for drawing only: one scatter point per edge, the ROC and
 * precision–recall curve points, and the diagnostics in the view's words.
 */
import { compareRuns, type ComparableRun, type TruthMetrics } from '../gflownet/compare/compareRuns.ts';
import { edgeScoresAndLabels } from '../gflownet/metrics/roc.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { ComparisonView, CurvePoint, RunDiagnosticsView, TruthMetricsView } from '../shared/workflow.ts';
import type { TruthGraph } from './truthGraph.ts';

export interface ComparedRun {
  runId: string;
  label: string;
  result: PosteriorRunResult;
}

const CONSENSUS_THRESHOLD = 0.5;

function comparable(run: ComparedRun): ComparableRun {
  const r = run.result;
  const d = r.variables.length;
  const dd = d * d;
  const samples = r.samples
    ? Array.from({ length: r.samples.count }, (_, s) => r.samples!.adjacency.subarray(s * dd, (s + 1) * dd))
    : undefined;
  return { label: run.label, variables: r.variables, edgeMarginals: r.edgeMarginals, samples };
}

export function compareView(a: ComparedRun, b: ComparedRun, truth?: TruthGraph): ComparisonView {
  const ca = comparable(a);
  // When one side is the exact posterior, the other is also measured against it.
  const exactSide = !a.result.samples && b.result.samples ? a : !b.result.samples && a.result.samples ? b : undefined;
  const other = exactSide === a ? b : a;
  const exactRef = exactSide ? { edgeMarginals: exactSide.result.edgeMarginals, posterior: exactSide.result.distribution } : undefined;
  const cmp = compareRuns(ca, comparable(b), { truth: truth?.adjacency });
  const vsExact = exactSide && exactRef ? compareRuns(comparable(exactSide), comparable(other), { exact: exactRef }).exact?.b : undefined;
  const variables = cmp.variables;
  const d = variables.length;
  const index = new Map(variables.map((v, k) => [v, k]));
  // Run b's marginals in run a's variable order (compareRuns aligns them the same way).
  const bIndex = new Map(b.result.variables.map((v, k) => [v, k]));
  const bAligned = Float64Array.from(
    { length: d * d },
    (_, k) => b.result.edgeMarginals[bIndex.get(variables[Math.floor(k / d)]!)! * d + bIndex.get(variables[k % d]!)!]!,
  );
  const points: ComparisonView['points'] = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      if (i !== j) points.push({ from: i, to: j, a: a.result.edgeMarginals[i * d + j]!, b: bAligned[i * d + j]! });
  const truthView = (marginals: Float64Array, m: TruthMetrics): TruthMetricsView => ({
    shd: m.consensus.shd,
    precision: m.consensus.precision,
    recall: m.consensus.recall,
    f1: m.consensus.f1,
    expectedEdges: m.expectedEdges,
    eshd: m.expectedShd ?? undefined,
    auroc: m.auroc,
    averagePrecision: m.averagePrecision,
    threshold: CONSENSUS_THRESHOLD,
    ...curves(marginals, truth!.adjacency, d),
  });
  return {
    a: { runId: a.runId, label: a.label },
    b: { runId: b.runId, label: b.label },
    variables,
    rmse: cmp.rmse,
    maxDifference: cmp.maxDifference,
    correlation: cmp.correlation,
    points,
    disagreements: cmp.disagreements.map((e) => ({ from: index.get(e.from)!, to: index.get(e.to)!, a: e.a, b: e.b })),
    diagnostics: { a: diagnosticsOf(a.result), b: diagnosticsOf(b.result) },
    exact: vsExact
      ? {
          reference: exactSide!.label,
          run: other.label,
          edgeMarginalRmse: vsExact.edgeMarginalRmse,
          edgeMarginalMaxError: vsExact.edgeMarginalMaxError,
          jsd: vsExact.jsd,
        }
      : undefined,
    truth:
      truth && cmp.truth
        ? {
            name: truth.name,
            edges: cmp.truth.edges,
            a: truthView(a.result.edgeMarginals, cmp.truth.a),
            b: truthView(bAligned, cmp.truth.b),
          }
        : undefined,
  };
}

function diagnosticsOf(result: PosteriorRunResult): RunDiagnosticsView {
  if (result.diagnostics) return result.diagnostics;
  if (!result.samples) return { note: 'Exact posterior: no sampling error, nothing to converge.' };
  return { note: 'A single sampler: no between-chain check. Compare it with another run (or the exact posterior) to judge it.' };
}

/** ROC and precision–recall points, one per distinct marginal (highest first), for drawing. */
function curves(marginals: ArrayLike<number>, truth: Uint8Array, d: number): { roc: CurvePoint[]; pr: CurvePoint[] } {
  const { scores, labels } = edgeScoresAndLabels(marginals, truth, d);
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
