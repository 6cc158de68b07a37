/**
 * Bootstrap replicates of a data file: n rows drawn with replacement from the n data rows,
 * from a seeded generator, written as a CSV with the same header and delimiter (cells copied as
 * text, so the replicate reads exactly as the original does — missing values, levels, types).
 * An intervention sidecar (one INT value per data row) is resampled with the same row indices.
 * Replicate b of seed s always draws the same rows: the sweep records s, and the file's rows
 * can be recomputed from it.
 */
import { DagflowError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import { streamCsv, type Delimiter } from '../data/csv.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';

interface CsvTable {
  header: string[];
  delimiter: Delimiter;
  rows: string[][];
}

async function readTable(file: string): Promise<CsvTable> {
  const rows: string[][] = [];
  let header: string[] = [];
  let delimiter: Delimiter = ',';
  await streamCsv(
    file,
    (h, d) => {
      header = h;
      delimiter = d;
    },
    (fields) => rows.push(fields),
  );
  return { header, delimiter, rows };
}

/** The generator seed of replicate b (1-based) under the sweep's bootstrap seed. */
export function replicateSeed(seed: number, b: number): number {
  return (Math.floor(seed) * 1_000_003 + b) >>> 0;
}

/** Row indices of replicate b: n draws with replacement from 0…n − 1. */
export function bootstrapIndices(n: number, seed: number, b: number): Int32Array {
  const rng = new Rng(replicateSeed(seed, b));
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = rng.int(n);
  return out;
}

function csvCell(value: string, delimiter: Delimiter): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

function formatTable(header: readonly string[], rows: Iterable<readonly string[]>, delimiter: Delimiter): string {
  const lines = [header.map((h) => csvCell(h, delimiter)).join(delimiter)];
  for (const r of rows) lines.push(r.map((c) => csvCell(c, delimiter)).join(delimiter));
  return lines.join('\n') + '\n';
}

export interface BootstrapFiles {
  data: string;
  /** The resampled intervention sidecar, when the source has one. */
  interventions?: string;
}

export interface BootstrapResult {
  rows: number;
  indices: Int32Array;
}

/** Writes replicate b of `source` (and of its intervention sidecar) to `target`. */
export async function writeBootstrapReplicate(
  source: BootstrapFiles,
  target: BootstrapFiles,
  seed: number,
  b: number,
): Promise<BootstrapResult> {
  const data = await readTable(source.data);
  const n = data.rows.length;
  if (n === 0)
    throw new DagflowError('HEADER_ONLY', 'the data has no rows to resample', { file: source.data }, 'give a data file with rows');
  const indices = bootstrapIndices(n, seed, b);
  await writeFileAtomic(
    target.data,
    formatTable(
      data.header,
      Array.from(indices, (k) => data.rows[k]!),
      data.delimiter,
    ),
  );
  if (source.interventions !== undefined) {
    if (target.interventions === undefined) throw new Error('writeBootstrapReplicate: no target for the intervention sidecar');
    const side = await readTable(source.interventions);
    if (side.rows.length !== n)
      throw new DagflowError(
        'BAD_INTERVENTIONS',
        `the intervention file has ${side.rows.length} rows, the data ${n}`,
        { file: source.interventions },
        'give one INT value per data row',
      );
    await writeFileAtomic(
      target.interventions,
      formatTable(
        side.header,
        Array.from(indices, (k) => side.rows[k]!),
        side.delimiter,
      ),
    );
  }
  return { rows: n, indices };
}
