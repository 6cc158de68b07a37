/**
 * `npm run bench -- mcmc [a|b|c ...] [--seconds-a S] [--seconds-c S]`: the MCMC benchmark of issue 6.
 *  (a) iterations per second of MC3, order and partition MCMC at d = 20 and d = 37 (synthetic
 *      linear-Gaussian data, 2 edges per node, n = 500, BGe on z-scored columns), with the
 *      time to build the parent-set tables.
 *  (b) time for each method to reach an edge-marginal max error ≤ 0.02 against the exact
 *      posterior at d = 5: the shared lingauss_d5_n100 data (raw, BGe) and five Asia columns
 *      (BDeu). Budgets double from 0.125 s; four chains share each budget one after another
 *      in one thread, up to 16 s (with worker threads on two cores the wall time halves).
 *  (c) head to head with the DAG-GFlowNet on lingauss_d5_n100 at equal wall-clock time
 *      (one thread each): edge-marginal RMSE against the exact posterior.
 * The machine may be shared: every row carries the load average when it was measured.
 */
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietJobContext } from '../src/gflownet/core/job.ts';
import { structurePriorTable } from '../src/gflownet/core/priors.ts';
import { Rng } from '../src/gflownet/core/rng.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { loadDataset } from '../src/gflownet/data/load.ts';
import { buildConstraints } from '../src/gflownet/env/constraints.ts';
import { enumeratePosterior } from '../src/gflownet/exact/posterior.ts';
import { createSampler, runChain, type ChainResult } from '../src/gflownet/mcmc/chains.ts';
import { combineChains } from '../src/gflownet/mcmc/combine.ts';
import { unrestrictedRules } from '../src/gflownet/mcmc/rules.ts';
import type { FamilyScorer, McmcMethod } from '../src/gflownet/mcmc/types.ts';
import { maxAbsDifference, rmse } from '../src/gflownet/metrics/marginals.ts';
import { createRewardModel } from '../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic } from '../src/gflownet/synth/generate.ts';
import { printTable } from './_table.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const METHODS: McmcMethod[] = ['mc3', 'order', 'partition'];

function argValue(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(name);
  return k >= 0 && args[k + 1] !== undefined ? Number(args[k + 1]) : fallback;
}

function syntheticReward(d: number): FamilyScorer {
  const data = generateSynthetic({ nodes: d, edgesPerNode: 2, rows: 500, seed: 1 });
  const dataset = datasetFromColumns({ names: data.columns, continuous: data.values as Float64Array[], source: `synthetic d${d}` });
  return createRewardModel(createScoreModel(dataset, { score: 'bge' }), structurePriorTable(d, { kind: 'uniform' }));
}

async function lingauss(): Promise<{ reward: FamilyScorer; exact: Float64Array }> {
  const dataset = await loadDataset(path.join(here, '..', 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv'), {
    score: 'bge',
    standardize: false,
  });
  const reward = createRewardModel(createScoreModel(dataset, { score: 'bge', mean: 'zero' }), structurePriorTable(5, { kind: 'uniform' }));
  return { reward, exact: (await enumeratePosterior(reward)).edgeMarginals };
}

async function asia5(): Promise<{ reward: FamilyScorer; exact: Float64Array }> {
  const keep = ['smoke', 'lung', 'bronc', 'either', 'dysp'];
  const all = ['asia', 'tub', 'smoke', 'lung', 'bronc', 'either', 'xray', 'dysp'];
  const dataset = await loadDataset(path.join(here, '..', 'samples', 'asia_n1000.csv'), {
    score: 'bdeu',
    exclude: all.filter((c) => !keep.includes(c)),
  });
  const reward = createRewardModel(createScoreModel(dataset, { score: 'bdeu', ess: 1 }), structurePriorTable(5, { kind: 'uniform' }));
  return { reward, exact: (await enumeratePosterior(reward)).edgeMarginals };
}

function benchA(seconds: number): void {
  const rows: Array<Record<string, string>> = [];
  for (const d of [20, 37]) {
    for (const method of METHODS) {
      // A fresh score cache per method, so "tables s" includes computing the scores.
      const reward = syntheticReward(d);
      const loadBefore = load();
      const t0 = performance.now();
      const { sampler, tables } = createSampler(reward, unrestrictedRules(d), { method, iterations: 1, seed: 1 });
      const setup = (performance.now() - t0) / 1000;
      const rng = new Rng(1);
      let n = 0;
      const start = performance.now();
      const cpu = process.cpuUsage();
      while (performance.now() - start < seconds * 1000) {
        for (let k = 0; k < 64; k++) sampler.step(rng);
        n += 64;
      }
      const rate = n / ((performance.now() - start) / 1000);
      // CPU time of this thread's process: on a shared machine it says what the code costs.
      const cpuRate = n / (process.cpuUsage(cpu).user / 1e6);
      let proposed = 0;
      let accepted = 0;
      sampler.proposed.forEach((p, k) => {
        proposed += p;
        accepted += sampler.accepted[k]!;
      });
      rows.push({
        d: String(d),
        method,
        'max parents (tables)': tables ? String(tables.maxParents) : '–',
        'parent sets': tables ? tables.totalEntries.toLocaleString('en') : '–',
        'tables s': tables ? setup.toFixed(2) : '–',
        'it/s (wall)': rate.toFixed(0),
        'it/s (CPU)': cpuRate.toFixed(0),
        's per 100k it (CPU)': (100_000 / cpuRate).toFixed(1),
        acceptance: (accepted / proposed).toFixed(3),
        load: `${loadBefore} → ${load()}`,
      });
    }
  }
  printTable(rows);
}

function chains(reward: FamilyScorer, method: McmcMethod, seconds: number, seed: number, count = 4): ChainResult[] {
  const out: ChainResult[] = [];
  for (let c = 0; c < count; c++) {
    out.push(
      runChain(
        reward,
        unrestrictedRules(reward.d),
        { method, iterations: 1e12, timeLimitSeconds: seconds / count, seed, chain: c, progressMarginals: false },
        quietJobContext(),
      ),
    );
  }
  return out;
}

async function benchB(): Promise<void> {
  const rows: Array<Record<string, string>> = [];
  for (const [name, problem] of [
    ['lingauss d5 n100 (BGe)', await lingauss()],
    ['asia 5 columns (BDeu)', await asia5()],
  ] as const) {
    for (const method of METHODS) {
      const reached: string[] = [];
      const loadBefore = load();
      for (const seed of [1, 2, 3]) {
        let budget = 0.125;
        let error = Infinity;
        while (budget <= 16) {
          const combined = combineChains(chains(problem.reward, method, budget, seed));
          error = maxAbsDifference(combined.edgeMarginals, problem.exact, 5);
          if (error <= 0.02) break;
          budget *= 2;
        }
        reached.push(error <= 0.02 ? `${budget} s` : `> 16 s (${error.toFixed(3)})`);
      }
      rows.push({
        data: name,
        method,
        'seconds to max error ≤ 0.02 (seeds 1, 2, 3)': reached.join(', '),
        load: `${loadBefore} → ${load()}`,
      });
    }
  }
  printTable(rows);
}

async function benchC(seconds: number): Promise<void> {
  const { reward, exact } = await lingauss();
  const rows: Array<Record<string, string>> = [];
  for (const method of METHODS) {
    const loadBefore = load();
    const combined = combineChains(chains(reward, method, seconds, 1));
    rows.push({
      sampler: method,
      'wall s': seconds.toFixed(0),
      'edge-marginal RMSE vs exact': rmse(combined.edgeMarginals, exact, 5).toFixed(4),
      'max error': maxAbsDifference(combined.edgeMarginals, exact, 5).toFixed(4),
      load: `${loadBefore} → ${load()}`,
    });
  }
  // The GFlowNet: trained for the same wall-clock time on one thread; its sampler evaluated exactly.
  try {
    const { selectBackend } = await import('../src/gflownet/backend/select.ts');
    const backend = await selectBackend('auto');
    const { trainGflownet } = await import('../src/gflownet/train/loop.ts');
    const { resolveTrainConfig } = await import('../src/gflownet/train/config.ts');
    const { evaluateAgainstPosterior } = await import('../src/gflownet/sampling/exactEvaluation.ts');
    const dataset = await loadDataset(path.join(here, '..', 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv'), {
      score: 'bge',
      standardize: false,
    });
    const gfnReward = createRewardModel(
      createScoreModel(dataset, { score: 'bge', mean: 'zero' }),
      structurePriorTable(5, { kind: 'uniform' }),
    );
    const constraints = buildConstraints(5);
    const posterior = await enumeratePosterior(gfnReward);
    const loadBefore = load();
    const { trainer } = await trainGflownet(
      { constraints, reward: gfnReward },
      resolveTrainConfig({ seed: 0, timeLimitSeconds: seconds, iterations: 1e9 }),
      quietJobContext(),
    );
    const evaluation = await evaluateAgainstPosterior(trainer.theta, trainer.layout, constraints, posterior, trainer.runner.shaping);
    rows.push({
      sampler: `DAG-GFlowNet (exact push-forward; ${backend.backend})`,
      'wall s': seconds.toFixed(0),
      'edge-marginal RMSE vs exact': evaluation.edgeMarginalRmse.toFixed(4),
      'max error': '–',
      load: `${loadBefore} → ${load()}`,
    });
    trainer.dispose();
  } catch (e) {
    rows.push({
      sampler: 'DAG-GFlowNet',
      'wall s': seconds.toFixed(0),
      'edge-marginal RMSE vs exact': `not run: ${(e as Error).message}`,
      'max error': '–',
      load: load(),
    });
  }
  printTable(rows);
}

export async function run(args: string[]): Promise<void> {
  const parts = args.filter((a) => ['a', 'b', 'c'].includes(a));
  const which = parts.length > 0 ? parts : ['a', 'b', 'c'];
  if (which.includes('a')) {
    console.log('\n### (a) iterations per second at d = 20 and d = 37\n');
    benchA(argValue(args, '--seconds-a', 3));
  }
  if (which.includes('b')) {
    console.log('\n### (b) time to edge-marginal max error ≤ 0.02 at d = 5 (4 chains, one thread)\n');
    await benchB();
  }
  if (which.includes('c')) {
    const s = argValue(args, '--seconds-c', 30);
    console.log(`\n### (c) equal wall-clock (${s} s, one thread each): RMSE against the exact posterior on lingauss_d5_n100\n`);
    await benchC(s);
  }
}
