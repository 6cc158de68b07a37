/**
 * `npm run bench -- scores`: local scores per second, cold (every query a cache miss, so the
 * score is computed) and cached (the same queries again), for BGe at d = 20 and 50 (n = 1000)
 * and BDeu at 37 columns (n = 5000), parent sets of 0–4 drawn at random. Synthetic data from
 * the seeded generator, so runs are comparable. Optional argument: seconds per cell (default 1).
 */
import { Rng } from '../src/gflownet/core/rng.ts';
import type { Dataset } from '../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { createScoreModel, type CachedScoreModel, type ScoreOptions } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic } from '../src/gflownet/synth/generate.ts';
import { printTable } from './_table.ts';

interface Case {
  label: string;
  d: number;
  n: number;
  options: ScoreOptions;
}

const cases: Case[] = [
  { label: 'BGe', d: 20, n: 1000, options: { score: 'bge' } },
  { label: 'BGe', d: 50, n: 1000, options: { score: 'bge' } },
  { label: 'BDeu', d: 37, n: 5000, options: { score: 'bdeu', ess: 1 } },
];

export async function run(args: string[]): Promise<void> {
  const seconds = args[0] !== undefined && Number(args[0]) > 0 ? Number(args[0]) : 1;
  const rows: Array<Record<string, string>> = [];
  for (const c of cases) {
    const dataset = makeData(c);
    const t0 = performance.now();
    const model = createScoreModel(dataset, c.options);
    const setupMs = performance.now() - t0;
    for (let k = 0; k <= 4; k++) {
      const queries = randomQueries(new Rng(1000 + k), c.d, k, 200_000);
      const cold = measure(model, queries, seconds);
      // Cached: the queries the cold passes computed, put in the cache first (untimed), then all hits.
      const warm = queries.slice(0, cold.count);
      for (const [node, parents] of warm) model.localScore(node, parents);
      const cached = measure(model, warm, seconds, true);
      rows.push({
        score: c.label,
        d: String(c.d),
        n: String(c.n),
        parents: String(k),
        'setup ms': k === 0 ? setupMs.toFixed(1) : '',
        'cold scores/s': fmt(cold.rate),
        'cached scores/s': fmt(cached.rate),
        'µs/cold score': (1e6 / cold.rate).toFixed(1),
      });
    }
  }
  printTable(rows);
}

function makeData(c: Case): Dataset {
  const discrete = c.options.score === 'bdeu';
  const synth = generateSynthetic({ nodes: c.d, edgesPerNode: 1, rows: c.n, seed: 42 + c.d, discrete, levels: [2, 4] });
  if (!discrete)
    return datasetFromColumns({ names: synth.columns, continuous: synth.values as Float64Array[], standardize: true, source: 'synthetic' });
  return datasetFromColumns({
    names: synth.columns,
    discrete: synth.values.map((col) => Array.from(col, (v) => String(v))),
    source: 'synthetic',
  });
}

/** Distinct (node, parent set of size k) queries, in random order. */
function randomQueries(rng: Rng, d: number, k: number, max: number): Array<[number, number[]]> {
  const seen = new Set<string>();
  const out: Array<[number, number[]]> = [];
  const others = Array.from({ length: d - 1 }, (_, i) => i);
  const total = d * binomial(d - 1, k);
  for (let attempts = 0; out.length < Math.min(max, total) && attempts < 4 * max; attempts++) {
    const node = rng.int(d);
    rng.shuffle(others);
    const parents = others
      .slice(0, k)
      .map((i) => (i >= node ? i + 1 : i))
      .sort((a, b) => a - b);
    const key = `${node}:${parents}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([node, parents]);
  }
  return out;
}

/**
 * Calls per second over `seconds`. Cold: passes over the distinct queries with the cache
 * cleared before each pass, so every call computes. Cached: the same queries cycled, all hits.
 */
function measure(
  model: CachedScoreModel,
  queries: Array<[number, number[]]>,
  seconds: number,
  cached = false,
): { rate: number; count: number } {
  const limit = seconds * 1000;
  const start = performance.now();
  let calls = 0;
  let distinct = 0;
  let sink = 0;
  do {
    if (!cached) model.clearCache();
    const before = model.cacheStats();
    let q = 0;
    for (; q < queries.length; q++) {
      sink += model.localScore(queries[q]![0], queries[q]![1]);
      if ((q & 255) === 255 && performance.now() - start > limit) break;
    }
    const inPass = Math.min(q + 1, queries.length);
    const after = model.cacheStats();
    if (!cached && after.misses - before.misses !== inPass) throw new Error('a cold call hit the cache');
    if (cached && after.misses !== before.misses) throw new Error('a cached call missed the cache');
    calls += inPass;
    distinct = Math.max(distinct, inPass);
  } while (performance.now() - start < limit);
  if (!Number.isFinite(sink)) throw new Error('non-finite score');
  return { rate: calls / ((performance.now() - start) / 1000), count: distinct };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function fmt(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M` : rate >= 1e3 ? `${(rate / 1e3).toFixed(1)} k` : rate.toFixed(0);
}
