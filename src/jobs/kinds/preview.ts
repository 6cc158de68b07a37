import { throttled, type JobContext } from '../../gflownet/core/job.ts';
import { streamCsv } from '../../gflownet/data/csv.ts';
import type { BytesProgress } from '../../shared/progress.ts';
import { renameFilesInError } from '../../gflownet/problem/load.ts';

export interface PreviewParams {
  path: string;
  /** Name to show in messages (uploads live under a temporary path). */
  name: string;
  maxRows: number;
}

export interface PreviewResult {
  columns: string[];
  rows: string[][];
  rowCount: number;
  delimiter: string;
}

/** The first rows and the row count of a CSV, read through the same checks as a full load. */
export async function run(params: PreviewParams, ctx: JobContext<BytesProgress>): Promise<PreviewResult> {
  const rows: string[][] = [];
  let columns: string[] = [];
  const summary = await streamCsv(
    params.path,
    (header) => (columns = header),
    (fields) => {
      if (rows.length < params.maxRows) rows.push(fields);
    },
    { signal: ctx.signal, onProgress: throttled((bytesRead: number, totalBytes: number) => ctx.progress({ bytesRead, totalBytes })) },
  ).catch((e: unknown) => renameFilesInError(e, params));
  return { columns, rows, rowCount: summary.dataRows, delimiter: summary.delimiter === '\t' ? 'tab' : summary.delimiter };
}
