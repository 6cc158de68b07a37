/**
 * `npm run bench -- robustness [--fuzz N] [--rows N] [--megabytes M] [--skip-large]`: every bad
 * input of the corpus (test/fixtures/bad, through the real readers and the real CLI binary),
 * N sampled fuzz inputs per reader (the generators of the fuzz tests), and two large files
 * generated into a temporary folder (never committed): a 1,000,000-row × 20-column CSV and a
 * 200 MB CSV whose last row is ragged. Prints inputs tried, errors as expected, wrong errors,
 * crashes, hangs, and for the large files the time, peak RSS and longest UI-thread stall.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { isDagflowError } from '../src/gflownet/core/errors.ts';
import { loadDataset } from '../src/gflownet/data/load.ts';
import { readDot } from '../src/gflownet/graphio/dotReader.ts';
import { readGraphml } from '../src/gflownet/graphio/graphml.ts';
import { resolveGraph } from '../src/gflownet/graphio/parsedGraph.ts';
import { readAdjacencyMatrixText } from '../src/gflownet/graphio/adjacencyCsv.ts';
import { readEdgeListCsv } from '../src/gflownet/graph/edgeList.ts';
import { parseSession } from '../src/gflownet/session/sessionFile.ts';
import {
  BAD_DIR,
  PROJECT_ROOT,
  SAMPLES_DIR,
  inParallel,
  loadManifest,
  runCliCase,
  runReaderCase,
  type CaseResult,
  type CliCase,
  type ReaderCase,
} from '../test/unit/hardening/support/corpus.ts';
import { adjacencyText, csvText, damagedSession, dotText, edgeListText, graphmlText } from '../test/unit/hardening/support/fuzzInputs.ts';
import { generatedInputs, largeCsv, raggedBigCsv } from '../test/unit/hardening/support/generated.ts';
import type { LargeLoadResult } from './_robustnessLoad.ts';
import { printTable } from './_table.ts';

interface Row {
  inputs: string;
  tried: number;
  expected: number;
  wrong: number;
  crashes: number;
  hangs: number;
  seconds: number;
  peakRss?: string;
  note?: string;
}

function option(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] !== undefined ? Number(args[k + 1]) : fallback;
}

function corpusRow(inputs: string, results: readonly CaseResult[], seconds: number): Row {
  const n = (o: CaseResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  const off = results.filter((r) => r.outcome !== 'expected').map((r) => r.id);
  return {
    inputs,
    tried: results.length,
    expected: n('expected'),
    wrong: n('wrong-error') + n('no-error'),
    crashes: n('crash'),
    hangs: n('hang'),
    seconds,
    note: off.length ? `not as expected: ${off.join(', ')}` : undefined,
  };
}

const HANG_MS = 5000;
const SLOW_SYNC_MS = 1000;

/** A fuzz input's answer: a result or a DagflowError is as expected; anything else is a crash; no answer in time a hang. */
async function classify(work: () => unknown): Promise<'expected' | 'crash' | 'hang'> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      Promise.resolve().then(work),
      new Promise((resolve) => (timer = setTimeout(() => resolve('hang'), HANG_MS))),
    ]);
    if (answer === 'hang' || performance.now() - t0 > SLOW_SYNC_MS) return 'hang';
    return 'expected';
  } catch (e) {
    return isDagflowError(e) ? 'expected' : 'crash';
  } finally {
    clearTimeout(timer);
  }
}

async function fuzzRow(
  inputs: string,
  arbitrary: fc.Arbitrary<string>,
  count: number,
  seed: number,
  read: (text: string, k: number) => unknown,
): Promise<Row> {
  const t0 = performance.now();
  const samples = fc.sample(arbitrary, { numRuns: count, seed });
  const outcomes: Array<'expected' | 'crash' | 'hang'> = [];
  for (let k = 0; k < samples.length; k++) outcomes.push(await classify(() => read(samples[k]!, k)));
  const n = (o: string): number => outcomes.filter((x) => x === o).length;
  return {
    inputs,
    tried: samples.length,
    expected: n('expected'),
    wrong: 0,
    crashes: n('crash'),
    hangs: n('hang'),
    seconds: (performance.now() - t0) / 1000,
  };
}

function loadInChild(file: string): Promise<LargeLoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bench', '_robustnessLoad.ts'), file], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as LargeLoadResult);
      } catch {
        reject(new Error(`the load child exited with ${code}: ${out}`));
      }
    });
  });
}

function largeRow(inputs: string, r: LargeLoadResult, expected: (r: LargeLoadResult) => boolean, bytes: number): Row {
  const ok = expected(r);
  const what =
    r.outcome === 'loaded'
      ? `loaded ${r.rows?.toLocaleString('en-US')} rows × ${r.variables}`
      : `${r.code}: ${(r.message ?? '').split(' — ')[0]}`;
  return {
    inputs: `${inputs} (${(bytes / 1024 / 1024).toFixed(0)} MB)`,
    tried: 1,
    expected: ok ? 1 : 0,
    wrong: ok || r.outcome === 'crash' ? 0 : 1,
    crashes: r.outcome === 'crash' ? 1 : 0,
    hangs: 0,
    seconds: r.seconds,
    peakRss: `${r.peakRssMb.toFixed(0)} MB (at rest ${r.restRssMb.toFixed(0)})`,
    note: `${what}; longest UI-thread stall ${r.maxLoopDelayMs.toFixed(0)} ms`,
  };
}

export async function run(args: string[]): Promise<void> {
  const fuzzCount = option(args, 'fuzz', 300);
  const rows = option(args, 'rows', 1_000_000);
  const megabytes = option(args, 'megabytes', 200);
  const seed = option(args, 'seed', 20261123);
  const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-robustness-'));
  const table: Row[] = [];
  try {
    const manifest = loadManifest();
    const placeholders = { bad: BAD_DIR, samples: SAMPLES_DIR, out: dir, generated: generatedInputs(dir) };
    let t0 = performance.now();
    const readerResults: CaseResult[] = [];
    for (const c of manifest.cases.filter((c): c is ReaderCase => c.reader !== 'cli'))
      readerResults.push(await runReaderCase(c, placeholders));
    table.push(corpusRow('corpus: bad files through the readers', readerResults, (performance.now() - t0) / 1000));
    t0 = performance.now();
    const cliCases = manifest.cases.filter((c): c is CliCase => c.reader === 'cli');
    const cliResults = await inParallel(
      cliCases.map((c) => () => runCliCase(c, placeholders)),
      2,
    );
    table.push(corpusRow('corpus: bad invocations of bin/dagflow.mjs', cliResults, (performance.now() - t0) / 1000));

    const columns = ['A', 'B', 'C', 'D'];
    const file = (k: number, text: string): string => {
      const f = path.join(dir, `fuzz-${k}.csv`);
      writeFileSync(f, text);
      return f;
    };
    table.push(await fuzzRow('fuzz: CSV reader', csvText, fuzzCount, seed, (t, k) => loadDataset(file(k, t))));
    table.push(await fuzzRow('fuzz: edge-list reader', edgeListText, fuzzCount, seed, (t, k) => readEdgeListCsv(file(k, t), columns)));
    table.push(await fuzzRow('fuzz: DOT reader', dotText, fuzzCount, seed, (t) => resolveGraph(readDot(t, 'g.dot'), columns)));
    table.push(
      await fuzzRow('fuzz: GraphML reader', graphmlText, fuzzCount, seed, (t) => resolveGraph(readGraphml(t, 'g.graphml'), columns)),
    );
    table.push(
      await fuzzRow('fuzz: adjacency-matrix reader', adjacencyText, fuzzCount, seed, (t) =>
        resolveGraph(readAdjacencyMatrixText(t, 'm.csv'), columns),
      ),
    );
    table.push(await fuzzRow('fuzz: session reader', damagedSession, fuzzCount, seed, (t) => parseSession(t, 's.dagflow')));

    if (!args.includes('--skip-large')) {
      const large = largeCsv(dir, rows, 20);
      const loaded = await loadInChild(large.file);
      table.push(
        largeRow(`large: ${rows.toLocaleString('en-US')} × 20 CSV`, loaded, (r) => r.outcome === 'loaded' && r.rows === rows, large.bytes),
      );
      rmSync(large.file);
      const big = raggedBigCsv(dir, megabytes);
      const ragged = await loadInChild(big.file);
      table.push(
        largeRow(
          `large: ${megabytes} MB CSV, last row ragged`,
          ragged,
          (r) => r.code === 'RAGGED_ROW' && (r.message ?? '').includes(`row ${big.lastRow}:`),
          big.bytes,
        ),
      );
      rmSync(big.file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const total = table.reduce(
    (t, r) => ({
      tried: t.tried + r.tried,
      expected: t.expected + r.expected,
      wrong: t.wrong + r.wrong,
      crashes: t.crashes + r.crashes,
      hangs: t.hangs + r.hangs,
      seconds: t.seconds + r.seconds,
    }),
    { tried: 0, expected: 0, wrong: 0, crashes: 0, hangs: 0, seconds: 0 },
  );
  printTable(
    [...table, { inputs: 'total', ...total }].map((r) => ({
      inputs: r.inputs,
      tried: r.tried,
      'errors as expected': r.expected,
      'wrong error': r.wrong,
      crashes: r.crashes,
      hangs: r.hangs,
      seconds: r.seconds.toFixed(1),
      'peak RSS': (r as Row).peakRss ?? '',
    })),
  );
  const notes = table.filter((r) => r.note).map((r) => `- ${r.inputs}: ${r.note}`);
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  console.log(
    `\nFuzz rows: "errors as expected" counts every input answered with a result or a located DagflowError (seed ${seed}, ${fuzzCount} inputs each).`,
  );
}
