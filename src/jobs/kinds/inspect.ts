/**
 * Read a data file the way a run will read it and report every decision: column kinds with
 * their evidence, missing values, dropped rows, intervention counts, warnings. Runs in a
 * worker so that a large file never blocks the window.
 */
import { throttled, type JobContext } from '../../gflownet/core/job.ts';
import type { BytesProgress } from '../../shared/progress.ts';
import type { DataReport } from '../../shared/workflow.ts';
import { readData } from '../../gflownet/problem/load.ts';
import type { DataSpec } from '../../gflownet/problem/spec.ts';

export interface InspectParams {
  datasetId: string;
  data: DataSpec;
}

export async function run(params: InspectParams, ctx: JobContext<BytesProgress>): Promise<DataReport> {
  const dataset = await readData(params.data, 'auto', {
    signal: ctx.signal,
    onProgress: throttled((bytesRead: number, totalBytes: number) => ctx.progress({ bytesRead, totalBytes })),
  });
  const name = params.data.name ?? params.data.path;
  const r = dataset.report;
  return {
    datasetId: params.datasetId,
    name,
    kind: dataset.kind,
    variables: [...dataset.columns],
    rowsRead: r.rowsRead,
    rowsUsed: r.rowsUsed,
    droppedRows: r.droppedRows,
    missingPolicy: r.missingPolicy,
    missingTokens: [...r.missingTokens],
    standardized: dataset.standardized,
    columns: r.columns.map((c) => ({
      name: c.name,
      role: c.role,
      kind: c.kind,
      reason: c.reason,
      numeric: c.numeric,
      wholeNumbers: c.wholeNumbers,
      distinct: c.distinct,
      missing: c.missing,
      present: c.present,
      firstNonNumeric: c.firstNonNumeric,
      levels: c.levels,
    })),
    warnings: r.warnings.map((w) => w.split(params.data.path).join(name)),
    interventions: r.interventions
      ? { source: params.data.interventionFile?.name ?? r.interventions.source, counts: r.interventions.counts }
      : undefined,
  };
}
