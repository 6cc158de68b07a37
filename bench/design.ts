/**
 * Which experiment next (docs/design.md §4): closed-loop experimental design on synthetic
 * linear-Gaussian data, and (`validate`) the d ≤ 5 check of the estimator against the exact
 * posterior recomputed after every simulated experiment.
 *
 *   npm run bench -- design [--problems 10] [--nodes 8] [--obs-rows 200] [--rows 50] [--rounds 3] [--outer 32] [--iterations 15000]
 *   npm run bench -- design validate [--simulations 100] [--outer 64]
 *
 * Closed loop, per seeded problem: an Erdős–Rényi DAG (1 edge per node, weights N(0, 1),
 * noise sd 0.5) and observational rows. Each round every strategy picks one target, gets
 * --rows rows from the TRUE model under do(target) (the target drawn from its observational
 * marginal, independent of its parents), pools them with its data so far, and the exact posterior
 * (subset DP, parent bound 3) gives E-SHD to the true graph and the edge-marginal entropy.
 * Strategies: "dagflow" (top of the expected-gain ranking for all edges, computed on a
 * partition-MCMC run on the current data), "random" (uniform target), "uncertain node" (the node
 * whose incident edge marginals have the largest summed entropy, from the exact marginals).
 * The same (problem, round, target) always gets the same rows, whichever strategy asks.
 */
import { structurePriorTable } from '../src/gflownet/core/priors.ts';
import { quietJobContext } from '../src/gflownet/core/job.ts';
import { Rng } from '../src/gflownet/core/rng.ts';
import type { Dataset } from '../src/gflownet/core/types.ts';
import { fromDistribution, fromSamples } from '../src/gflownet/causal/weightedDags.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { expectedInformationGain } from '../src/gflownet/design/gain.ts';
import { exactExpectedGains, type ExactGain } from '../src/gflownet/design/exactGain.ts';
import { binaryEntropy, type DesignQuery } from '../src/gflownet/design/query.ts';
import { dpPosterior } from '../src/gflownet/exact/dp.ts';
import { enumeratePosterior } from '../src/gflownet/exact/posterior.ts';
import { runChain } from '../src/gflownet/mcmc/chains.ts';
import { unrestrictedRules } from '../src/gflownet/mcmc/rules.ts';
import { createRewardModel } from '../src/gflownet/scores/reward.ts';
import { createScoreModel, type ScoreOptions } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic, type SyntheticData } from '../src/gflownet/synth/generate.ts';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { printTable } from './_table.ts';

const BGE: ScoreOptions = { score: 'bge' };
const MAX_PARENTS = 3;
const NOISE = 0.5;

function argValue(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] !== undefined ? Number(args[k + 1]) : fallback;
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

/** The true system of one problem, on the scale of its standardised observational data. */
interface Truth {
  data: SyntheticData;
  order: number[];
  mean: Float64Array;
  sd: Float64Array;
}

function topological(truth: Uint8Array, d: number): number[] {
  const order: number[] = [];
  const placed = new Uint8Array(d);
  while (order.length < d)
    for (let j = 0; j < d; j++) {
      if (placed[j]) continue;
      let ready = true;
      for (let i = 0; i < d; i++) if (truth[i * d + j] && !placed[i]) ready = false;
      if (!ready) continue;
      placed[j] = 1;
      order.push(j);
    }
  return order;
}

/** Rows of the true linear-Gaussian model under do(target), on the raw scale. */
function trueRows(t: Truth, target: number, n: number, rng: Rng): Float64Array[] {
  const { truth, weights } = t.data;
  const d = t.data.columns.length;
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  for (const j of t.order) {
    for (let r = 0; r < n; r++) {
      if (j === target) {
        cols[j]![r] = t.mean[j]! + t.sd[j]! * rng.normal();
        continue;
      }
      let v = NOISE * rng.normal();
      for (let i = 0; i < d; i++) if (truth[i * d + j]) v += weights![i * d + j]! * cols[i]![r]!;
      cols[j]![r] = v;
    }
  }
  return cols;
}

/** Standardised columns and INT targets so far; pooled data sets are rebuilt from them. */
interface Data {
  columns: number[][];
  targets: number[];
}

function toDataset(t: Truth, data: Data): Dataset {
  const names = t.data.columns;
  return datasetFromColumns({
    names,
    continuous: data.columns,
    standardize: false,
    interventions: data.targets.some((x) => x !== 0) ? data.targets : undefined,
    source: 'synthetic',
  });
}

function addRows(t: Truth, data: Data, raw: Float64Array[], target: number): Data {
  return {
    columns: data.columns.map((col, j) => [...col, ...Array.from(raw[j]!, (x) => (x - t.mean[j]!) / t.sd[j]!)]),
    targets: [...data.targets, ...Array.from({ length: raw[0]!.length }, () => target + 1)],
  };
}

async function exactMarginals(ds: Dataset): Promise<Float64Array> {
  const d = ds.columns.length;
  const reward = createRewardModel(createScoreModel(ds, BGE), structurePriorTable(d, { kind: 'uniform' }));
  return (await dpPosterior(reward, { maxParents: MAX_PARENTS })).edgeMarginals;
}

/** E-SHD from edge marginals: Σ over pairs of 1 − P(the pair's true state), a reversal counting once. */
function expectedShd(p: Float64Array, truth: Uint8Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      const f = p[i * d + j]!;
      const b = p[j * d + i]!;
      s += 1 - (truth[i * d + j] ? f : truth[j * d + i] ? b : Math.max(0, 1 - f - b));
    }
  return s;
}

function edgeEntropy(p: Float64Array, d: number): number {
  let h = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) h += binaryEntropy(p[i * d + j]!);
  return h;
}

function mostUncertainNode(p: Float64Array, d: number): number {
  let best = 0;
  let bestH = -1;
  for (let v = 0; v < d; v++) {
    let h = 0;
    for (let u = 0; u < d; u++) if (u !== v) h += binaryEntropy(p[u * d + v]!) + binaryEntropy(p[v * d + u]!);
    if (h > bestH) {
      best = v;
      bestH = h;
    }
  }
  return best;
}

async function dagflowChoice(ds: Dataset, seed: number, outer: number, rows: number, iterations: number): Promise<number> {
  const d = ds.columns.length;
  const reward = createRewardModel(createScoreModel(ds, BGE), structurePriorTable(d, { kind: 'uniform' }));
  const chain = runChain(reward, unrestrictedRules(d, MAX_PARENTS), { method: 'partition', iterations, seed }, quietJobContext());
  const s = chain.samples;
  const adjacencies: Uint8Array[] = [];
  for (let k = 0; k + 1 < s.edgeOffsets.length; k++) {
    const a = new Uint8Array(d * d);
    for (let m = s.edgeOffsets[k]!; m < s.edgeOffsets[k + 1]!; m++) a[s.edges[m]!] = 1;
    adjacencies.push(a);
  }
  const post = fromSamples(adjacencies, d, [adjacencies.length]);
  const result = await expectedInformationGain(post, ds, BGE, { query: { kind: 'edges' }, rows, outerSamples: outer, seed });
  return result.ranking[0]!.target;
}

type Strategy = 'dagflow' | 'random' | 'uncertain node';
const STRATEGIES: Strategy[] = ['dagflow', 'random', 'uncertain node'];

async function closedLoop(args: string[]): Promise<void> {
  const problems = argValue(args, 'problems', 10);
  const d = argValue(args, 'nodes', 8);
  const obsRows = argValue(args, 'obs-rows', 200);
  const rows = argValue(args, 'rows', 50);
  const rounds = argValue(args, 'rounds', 3);
  const outer = argValue(args, 'outer', 32);
  const iterations = argValue(args, 'iterations', 15000);
  console.log(
    `closed loop: ${problems} problems, d = ${d}, ${obsRows} observational rows, ${rounds} rounds of ${rows} rows, ${outer} outer draws, partition MCMC ${iterations} iterations; exact DP (≤ ${MAX_PARENTS} parents) for the figures; load before: ${load()}`,
  );
  const started = performance.now();
  // results[strategy][round][problem] = {eshd, entropy}
  const results = new Map<Strategy, Array<Array<{ eshd: number; entropy: number }>>>(
    STRATEGIES.map((s) => [s, Array.from({ length: rounds + 1 }, () => [])]),
  );
  const picks = new Map<Strategy, string[]>(STRATEGIES.map((s) => [s, []]));
  for (let p = 0; p < problems; p++) {
    const data = generateSynthetic({ nodes: d, edgesPerNode: 1, rows: obsRows, seed: 100 + p, noiseStd: NOISE });
    const raw = data.values as Float64Array[];
    const mean = Float64Array.from(raw, (c) => c.reduce((a, x) => a + x, 0) / c.length);
    const sd = Float64Array.from(raw, (c, j) => Math.sqrt(c.reduce((a, x) => a + (x - mean[j]!) ** 2, 0) / (c.length - 1)));
    const truth: Truth = { data, order: topological(data.truth, d), mean, sd };
    const observational: Data = {
      columns: raw.map((c, j) => Array.from(c, (x) => (x - mean[j]!) / sd[j]!)),
      targets: Array.from({ length: obsRows }, () => 0),
    };
    const p0 = await exactMarginals(toDataset(truth, observational));
    for (const strategy of STRATEGIES) {
      let current = observational;
      let marginals = p0;
      results.get(strategy)![0]!.push({ eshd: expectedShd(p0, data.truth, d), entropy: edgeEntropy(p0, d) });
      const choice = new Rng(7000 + p);
      const chosen: number[] = [];
      for (let r = 1; r <= rounds; r++) {
        const ds = toDataset(truth, current);
        const target =
          strategy === 'random'
            ? choice.int(d)
            : strategy === 'uncertain node'
              ? mostUncertainNode(marginals, d)
              : await dagflowChoice(ds, 1000 * p + r, outer, rows, iterations);
        chosen.push(target);
        const newRows = trueRows(truth, target, rows, new Rng(100 + p).fork(1000 * r + target));
        current = addRows(truth, current, newRows, target);
        marginals = await exactMarginals(toDataset(truth, current));
        results.get(strategy)![r]!.push({ eshd: expectedShd(marginals, data.truth, d), entropy: edgeEntropy(marginals, d) });
      }
      picks.get(strategy)!.push(chosen.map((t) => data.columns[t]).join('→'));
    }
  }
  const mse = (xs: number[]): string => {
    const m = xs.reduce((a, x) => a + x, 0) / xs.length;
    const se = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1) / xs.length);
    return `${m.toFixed(2)} ± ${se.toFixed(2)}`;
  };
  const table: Array<Record<string, string>> = [];
  for (let r = 0; r <= rounds; r++) {
    const row: Record<string, string> = { round: r === 0 ? '0 (observational)' : String(r) };
    for (const s of STRATEGIES) row[`E-SHD ${s}`] = mse(results.get(s)![r]!.map((x) => x.eshd));
    for (const s of STRATEGIES) row[`entropy ${s}`] = mse(results.get(s)![r]!.map((x) => x.entropy));
    table.push(row);
  }
  printTable(table);
  const last = (s: Strategy): Array<{ eshd: number; entropy: number }> => results.get(s)![rounds]!;
  const wins = (a: Strategy, b: Strategy, key: 'eshd' | 'entropy'): string => {
    const x = last(a);
    const y = last(b);
    const better = x.filter((v, k) => v[key] < y[k]![key] - 1e-9).length;
    const worse = x.filter((v, k) => v[key] > y[k]![key] + 1e-9).length;
    const diff = x.map((v, k) => v[key] - y[k]![key]);
    return `${better} better, ${worse} worse, ${problems - better - worse} tied (mean difference ${mse(diff)})`;
  };
  console.log('');
  console.log(
    `after round ${rounds}, dagflow vs random: E-SHD ${wins('dagflow', 'random', 'eshd')}; entropy ${wins('dagflow', 'random', 'entropy')}`,
  );
  console.log(
    `after round ${rounds}, dagflow vs uncertain node: E-SHD ${wins('dagflow', 'uncertain node', 'eshd')}; entropy ${wins('dagflow', 'uncertain node', 'entropy')}`,
  );
  for (const s of STRATEGIES) console.log(`targets chosen by ${s}: ${picks.get(s)!.join(', ')}`);
  console.log(
    `(E-SHD and entropy: mean ± standard error over the ${problems} problems; entropy = Σ binary entropies of the edge marginals, nats)`,
  );
  console.log(`wall ${((performance.now() - started) / 1000).toFixed(0)} s; load after: ${load()}`);
}

async function validate(args: string[]): Promise<void> {
  const simulations = argValue(args, 'simulations', 100);
  const outer = argValue(args, 'outer', 64);
  console.log(
    `validation at d ≤ 5: estimator (${outer} outer draws, seed 1) vs exact enumeration after each of ${simulations} simulated experiments (seed 1000); load before: ${load()}`,
  );
  const started = performance.now();
  const csv = readFileSync(new URL('../test/fixtures/reference/lingauss_d5_n100.csv', import.meta.url), 'utf8')
    .trim()
    .split(/\r?\n/);
  const names = csv[0]!.split(',');
  const cols = names.map((_, j) => csv.slice(1).map((l) => Number(l.split(',')[j])));
  const cases: Array<{ label: string; dataset: Dataset; rows: number; queries: Array<[string, DesignQuery]> }> = [
    {
      label: 'lingauss d = 5, BGe',
      dataset: datasetFromColumns({ names, continuous: cols, source: 'lingauss_d5_n100.csv' }),
      rows: 20,
      queries: [
        ['edges', { kind: 'edges' }],
        ['edge:X0,X1', { kind: 'edge', from: 0, to: 1 }],
        ['effect:X0,X4', { kind: 'effect', cause: 0, effect: 4 }],
      ],
    },
  ];
  const table: Array<Record<string, string>> = [];
  for (const c of cases) {
    const d = c.dataset.columns.length;
    const prior = structurePriorTable(d, { kind: 'uniform' });
    const post = fromDistribution((await enumeratePosterior(createRewardModel(createScoreModel(c.dataset, BGE), prior))).distribution);
    const exact: ExactGain[][] = [];
    for (let t = 0; t < d; t++)
      exact.push(
        await exactExpectedGains(
          c.dataset,
          BGE,
          prior,
          c.queries.map(([, q]) => q),
          { rows: c.rows, target: t, simulations, seed: 1000 },
        ),
      );
    for (const [qi, [name, query]] of c.queries.entries()) {
      const est = await expectedInformationGain(post, c.dataset, BGE, { query, rows: c.rows, outerSamples: outer, seed: 1 });
      const exactRank = Array.from({ length: d }, (_, t) => t).sort((a, b) => exact[b]![qi]!.expectedGain - exact[a]![qi]!.expectedGain);
      for (const [rank, g] of est.ranking.entries()) {
        const e = exact[g.target]![qi]!;
        table.push({
          case: c.label,
          query: name,
          target: c.dataset.columns[g.target]!,
          'estimate ± SE': `${g.expectedGain.toFixed(4)} ± ${g.standardError.toFixed(4)}`,
          'exact ± SE': `${e.expectedGain.toFixed(4)} ± ${e.standardError.toFixed(4)}`,
          z: ((g.expectedGain - e.expectedGain) / Math.hypot(g.standardError, e.standardError)).toFixed(2),
          'rank est/exact': `${rank + 1}/${exactRank.indexOf(g.target) + 1}`,
        });
      }
    }
  }
  printTable(table);
  console.log(`wall ${((performance.now() - started) / 1000).toFixed(0)} s; load after: ${load()}`);
}

export async function run(args: string[]): Promise<void> {
  if (args[0] === 'validate') await validate(args.slice(1));
  else await closedLoop(args);
}
