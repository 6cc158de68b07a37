/** A seeded, synthetic run folder (what dagflow train / mcmc write) and temp-folder helpers. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import type { PosteriorSampleRecord } from '../../../src/gflownet/core/types.ts';
import { formatEdgeMarginalsCsv, formatPosteriorSamples, edgeMarginalsFromSamples } from '../../../src/gflownet/samples/format.ts';

export const root = path.resolve(import.meta.dirname, '..', '..', '..');
export const samplesDir = path.join(root, 'samples');

export function tempDir(prefix = 'dagflow-formats-'): {
  dir: string;
  file(name: string): string;
  write(name: string, content: string | Uint8Array): string;
  cleanup(): void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    file: (name) => path.join(dir, name),
    write(name, content) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Samples over `columns`: each DAG keeps each edge of a base DAG (in topological column order,
 * so always acyclic) with its own probability. Seeded, so the run is the same every time.
 */
export function syntheticSamples(columns: readonly string[], count: number, seed: number): PosteriorSampleRecord[] {
  const rng = new Rng(seed);
  const d = columns.length;
  const keep: Array<[number, number, number]> = [];
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) keep.push([i, j, [0.9, 0.5, 0.2, 0, 0.75][(i * 7 + j * 3) % 5]!]);
  const records: PosteriorSampleRecord[] = [];
  for (let s = 0; s < count; s++) {
    const edges: Array<[string, string]> = [];
    for (const [i, j, p] of keep) if (rng.next() < p) edges.push([columns[i]!, columns[j]!]);
    records.push({ edges, logScore: -100 - edges.length * 1.5 + Math.round(rng.normal() * 1000) / 1000 });
  }
  return records;
}

export interface RunFolderOptions {
  columns?: string[];
  samples?: number;
  seed?: number;
  /** Write edge_marginals.csv too (default true). */
  marginals?: boolean;
  /** Override marginals written to the CSV (row-major). */
  marginalsOverride?: ArrayLike<number>;
}

export function writeRunFolder(
  dir: string,
  options: RunFolderOptions = {},
): { columns: string[]; samples: PosteriorSampleRecord[]; marginals: Float64Array } {
  const columns = options.columns ?? ['X0', 'X1', 'X2', 'X3', 'X4'];
  const samples = syntheticSamples(columns, options.samples ?? 200, options.seed ?? 11);
  const marginals = options.marginalsOverride ? Float64Array.from(options.marginalsOverride) : edgeMarginalsFromSamples(samples, columns);
  writeFileSync(path.join(dir, 'samples.jsonl'), formatPosteriorSamples(samples));
  if (options.marginals ?? true) writeFileSync(path.join(dir, 'edge_marginals.csv'), formatEdgeMarginalsCsv(columns, marginals));
  writeFileSync(
    path.join(dir, 'summary.json'),
    JSON.stringify({
      columns,
      backend: 'cpu',
      objective: 'mdb',
      iterations: 500,
      seconds: 3.25,
      seed: options.seed ?? 11,
      samples: samples.length,
    }),
  );
  return { columns, samples, marginals };
}

/** python3 must be there (Debian's, or CI's): a missing interpreter fails the test, never skips it. */
export function python(script: string, input: string | Uint8Array): string {
  return execFileSync('python3', ['-c', script], { input, encoding: 'utf8', timeout: 30_000 });
}
