import * as path from 'node:path';
import type { JobContext } from '../../gflownet/core/job.ts';
import { streamCsv } from '../../gflownet/data/csv.ts';

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

export interface PreviewProgress {
  bytesRead: number;
  totalBytes: number;
}

/** The first rows and the row count of a CSV, read through the same checks as a full load. */
export async function run(params: PreviewParams, ctx: JobContext<PreviewProgress>): Promise<PreviewResult> {
  const rows: string[][] = [];
  let columns: string[] = [];
  let lastReport = 0;
  const summary = await streamCsv(
    params.path,
    (header) => (columns = header),
    (fields) => {
      if (rows.length < params.maxRows) rows.push(fields);
    },
    {
      signal: ctx.signal,
      onProgress: (bytesRead, totalBytes) => {
        const now = Date.now();
        if (now - lastReport > 250) {
          lastReport = now;
          ctx.progress({ bytesRead, totalBytes });
        }
      },
    },
  ).catch((e: unknown) => {
    // Messages must name the file the user chose, not the temporary copy of an upload.
    if (e instanceof Error && 'location' in e) {
      const loc = (e as { location: { file?: string } }).location;
      if (loc.file === params.path) loc.file = params.name;
    }
    throw e;
  });
  return { columns, rows, rowCount: summary.dataRows, delimiter: summary.delimiter === '\t' ? 'tab' : summary.delimiter };
}

export const displayName = (p: PreviewParams): string => path.basename(p.name);
