/**
 * A finished run in the files other tools read, written by the engine's sample-format module:
 * edge_marginals.csv (R's bnlearn, Python, a spreadsheet) and samples.jsonl (one DAG a line).
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import { formatEdgeMarginalsCsv, formatPosteriorSamples } from '../../gflownet/samples/format.ts';
import type { PosteriorRunResult } from '../../jobs/kinds/posteriorResult.ts';
import type { ExportedFile, ExportFormat, RunSummaryView } from '../../shared/workflow.ts';

export function exportRun(run: RunSummaryView, result: PosteriorRunResult, format: ExportFormat): ExportedFile {
  const stem = `${run.datasetName.replace(/\.[^.]*$/, '')}-${run.method}-${run.runId}`;
  if (format === 'edge-marginals-csv') {
    return { fileName: `${stem}-edge_marginals.csv`, mimeType: 'text/csv', text: formatEdgeMarginalsCsv(result.variables, result.edgeMarginals) };
  }
  const samples = result.samples;
  if (!samples) throw new DagflowError('BAD_OPTION', `${run.label} has no DAG samples (the exact posterior gives edge probabilities)`, {}, 'export its edge marginals instead');
  const d = result.variables.length;
  const dd = d * d;
  const records = Array.from({ length: samples.count }, (_, s) => {
    const edges: Array<[string, string]> = [];
    for (let k = 0; k < dd; k++) if (samples.adjacency[s * dd + k]) edges.push([result.variables[Math.floor(k / d)]!, result.variables[k % d]!]);
    return { edges, logScore: samples.logScores[s]! };
  });
  return { fileName: `${stem}-samples.jsonl`, mimeType: 'application/x-ndjson', text: formatPosteriorSamples(records) };
}
