/**
 * Export timings: every format of a synthetic run (d variables, K posterior samples; each
 * DAG keeps each edge of a fixed ordering with its own probability), written atomically to a
 * temporary folder, plus a session save and reopen of the same run.
 *
 *   npm run bench -- exports [--d 20] [--samples 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '../src/gflownet/core/rng.ts';
import type { PosteriorSampleRecord } from '../src/gflownet/core/types.ts';
import { EXPORT_FORMATS, exportRun } from '../src/gflownet/export/renderExport.ts';
import type { RunResults } from '../src/gflownet/export/runDirectory.ts';
import { edgeMarginalsFromSamples } from '../src/gflownet/samples/format.ts';
import { emptySession } from '../src/gflownet/session/schema.ts';
import { readSessionFile, sessionRunFromResults, writeSessionFile } from '../src/gflownet/session/sessionFile.ts';
import { printTable } from './_table.ts';

function argValue(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] !== undefined ? Number(args[k + 1]) : fallback;
}

function syntheticRun(d: number, count: number): RunResults {
  const rng = new Rng(d * 1000 + count);
  const columns = Array.from({ length: d }, (_, k) => `X${k}`);
  const p = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) p[i * d + j] = rng.next() < 2 / d ? 0.3 + 0.7 * rng.next() : 0.02;
  const samples: PosteriorSampleRecord[] = [];
  for (let s = 0; s < count; s++) {
    const edges: Array<[string, string]> = [];
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) if (rng.next() < p[i * d + j]!) edges.push([columns[i]!, columns[j]!]);
    samples.push({ edges, logScore: -1000 - edges.length });
  }
  return {
    source: 'bench',
    columns,
    summary: { columns, method: 'synthetic', samples: count },
    samples,
    marginals: edgeMarginalsFromSamples(samples, columns),
    marginalsFrom: 'samples.jsonl',
  };
}

export async function run(args: string[]): Promise<void> {
  const d = argValue(args, 'd', 20);
  const count = argValue(args, 'samples', 10_000);
  const run = syntheticRun(d, count);
  const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-bench-exports-'));
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const format of EXPORT_FORMATS) {
      const t0 = performance.now();
      const result = await exportRun(run, format, path.join(dir, `out-${format}`), { threshold: 0.5 });
      rows.push({
        what: format,
        d,
        samples: count,
        ms: (performance.now() - t0).toFixed(1),
        bytes: result.bytes,
        edges: result.edges ?? '',
      });
    }
    const file = path.join(dir, 'bench.dagflow');
    let t0 = performance.now();
    const session = { ...emptySession(), runs: [await sessionRunFromResults(run, { id: 'bench' })] };
    const { bytes } = await writeSessionFile(file, session);
    rows.push({ what: 'session save', d, samples: count, ms: (performance.now() - t0).toFixed(1), bytes, edges: '' });
    t0 = performance.now();
    await readSessionFile(file);
    rows.push({ what: 'session reopen', d, samples: count, ms: (performance.now() - t0).toFixed(1), bytes, edges: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(rows);
}
