/**
 * Read a data file the way a run will read it and report every decision: column kinds with
 * their evidence, missing values, dropped rows, intervention counts, warnings. Runs in a
 * worker so that a large file never blocks the window.
 */
import { throttled, type JobContext } from '../../gflownet/core/job.ts';
import type { DataReport } from '../../shared/workflow.ts';
import { readData, type DataSource } from './problem.ts';

export interface InspectParams {
  datasetId: string;
  data: DataSource;
}

export interface InspectProgress {
  bytesRead: number;
  totalBytes: number;
}

export async function run(params: InspectParams, ctx: JobContext<InspectProgress>): Promise<DataReport> {
  const dataset = await readData(
    params.data,
    'auto',
    ctx.signal,
    throttled((bytesRead: number, totalBytes: number) => ctx.progress({ bytesRead, totalBytes })),
  );
  const r = dataset.report;
  return {
    datasetId: params.datasetId,
    name: params.data.name,
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
    warnings: r.warnings.map((w) => w.split(params.data.path).join(params.data.name)),
    interventions: r.interventions ? { source: params.data.interventionFile?.name ?? r.interventions.source, counts: r.interventions.counts } : undefined,
  };
}
