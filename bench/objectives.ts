/**
 * `npm run bench -- objectives [--part jsd,explore] [--sets lingauss,raw1000,discrete] [--objectives fm,mdb,tb,subtb]
 *  [--intrinsic none,rnd] [--budgets 30,60,150] [--explore-sets asia,g10] [--seed S]`: the edge GFlowNet's
 * training objectives (issue 18), with and without augmented flows (RND novelty rewards).
 *
 *  jsd:     d = 5, exact Jensen–Shannon divergence of the trained sampler's push-forward against the
 *           exact posterior at each budget (seconds of training). One run per configuration with
 *           the largest budget as its time limit, evaluated when its training clock passes each
 *           budget (so the schedules at 30 s are those of a 150-s run, not of a 30-s run).
 *  explore: d = 8–10 posteriors with many separated modes, truth by the exact DP: the number of
 *           distinct DAGs within 5 nats of the best DAG (the DP's MAP) that the acting environments
 *           have finished so far, the best log R found, and the edge-marginal RMSE of 2,000 draws.
 * The machine may be shared: every row carries the load average when it was measured.
 */
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src/gflownet/backend/select.ts';
import { structurePriorTable } from '../src/gflownet/core/priors.ts';
import type { Dataset } from '../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { loadDataset } from '../src/gflownet/data/load.ts';
import { buildConstraints } from '../src/gflownet/env/constraints.ts';
import { dpPosterior } from '../src/gflownet/exact/dp.ts';
import { enumeratePosterior } from '../src/gflownet/exact/posterior.ts';
import { rmse } from '../src/gflownet/metrics/marginals.ts';
import { evaluateAgainstPosterior } from '../src/gflownet/sampling/exactEvaluation.ts';
import { sampleDags } from '../src/gflownet/sampling/sampler.ts';
import { createRewardModel, type RewardModel } from '../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic } from '../src/gflownet/synth/generate.ts';
import { resolveTrainConfig } from '../src/gflownet/train/config.ts';
import type { IntrinsicName } from '../src/gflownet/train/intrinsic/intrinsicRewards.ts';
import type { ObjectiveName } from '../src/gflownet/train/objectives.ts';
import { Trainer } from '../src/gflownet/train/trainer.ts';
import { printTable } from './_table.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (): string => loadavg()[0]!.toFixed(1);

function argList(args: string[], name: string, fallback: string): string[] {
  const k = args.indexOf(name);
  return (k >= 0 && args[k + 1] ? args[k + 1]! : fallback).split(',').filter(Boolean);
}

interface BenchSet {
  label: string;
  dataset: Dataset;
  score: 'bge' | 'bdeu';
}

function synthetic(label: string, nodes: number, rows: number, seed: number, discrete: boolean): BenchSet {
  const g = generateSynthetic({ nodes, edgesPerNode: 1, rows, seed, discrete });
  const dataset = discrete
    ? datasetFromColumns({ names: g.columns, discrete: g.values.map((col) => Array.from(col, String)), source: label })
    : datasetFromColumns({ names: g.columns, continuous: g.values as Float64Array[], standardize: false, source: label });
  return { label, dataset, score: discrete ? 'bdeu' : 'bge' };
}

async function setOf(name: string): Promise<BenchSet> {
  switch (name) {
    case 'lingauss': {
      const file = path.join(here, '..', 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
      return { label: 'lingauss d5 n100 raw (BGe)', dataset: await loadDataset(file, { score: 'bge', standardize: false }), score: 'bge' };
    }
    case 'raw1000':
      return synthetic('synthetic d5 n1000 raw, seed 7 (BGe)', 5, 1000, 7, false);
    case 'discrete':
      return synthetic('synthetic discrete d5 n500, seed 9 (BDeu)', 5, 500, 9, true);
    case 'asia': {
      const file = '/work/shared/datasets/asia_n1000.csv';
      return { label: 'asia d8 n1000 (BDeu)', dataset: await loadDataset(file, { score: 'bdeu' }), score: 'bdeu' };
    }
    case 'g10':
      return synthetic('synthetic d10 n2000 raw, seed 12 (BGe)', 10, 2000, 12, false);
    default:
      throw new Error(`unknown set "${name}" (lingauss, raw1000, discrete, asia, g10)`);
  }
}

function rewardOf(set: BenchSet): RewardModel {
  const d = set.dataset.columns.length;
  return createRewardModel(createScoreModel(set.dataset, { score: set.score }), structurePriorTable(d, { kind: 'uniform' }));
}

interface Configuration {
  objective: ObjectiveName;
  intrinsic: IntrinsicName;
}

function configurations(args: string[]): Configuration[] {
  const out: Configuration[] = [];
  for (const objective of argList(args, '--objectives', 'fm,mdb,tb,subtb') as ObjectiveName[])
    for (const intrinsic of argList(args, '--intrinsic', 'none,rnd') as IntrinsicName[]) out.push({ objective, intrinsic });
  return out;
}

/** Trains until the training clock passes each budget in turn and calls `at` there (evaluation time is not training time). */
async function trainWithSnapshots(trainer: Trainer, budgets: number[], at: (budget: number) => Promise<void>): Promise<void> {
  for (const budget of budgets) {
    while (trainer.seconds < budget) {
      trainer.iteration();
      // Let the event loop breathe (nothing else runs; keeps timers honest).
      if (trainer.step % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    await at(budget);
  }
}

async function benchJsd(args: string[], budgets: number[], seed: number): Promise<void> {
  for (const name of argList(args, '--sets', 'lingauss,raw1000,discrete')) {
    const set = await setOf(name);
    const reward = rewardOf(set);
    const d = set.dataset.columns.length;
    const constraints = buildConstraints(d);
    const posterior = await enumeratePosterior(reward);
    const rows: Array<Record<string, string>> = [];
    for (const c of configurations(args)) {
      const config = resolveTrainConfig(
        { sampler: 'edges', objective: c.objective, intrinsic: c.intrinsic, seed, timeLimitSeconds: budgets.at(-1)!, iterations: 1e9 },
        d,
      );
      const trainer = new Trainer({ constraints, reward }, config);
      const row: Record<string, string> = { objective: c.objective, intrinsic: c.intrinsic };
      const loadBefore = load();
      await trainWithSnapshots(trainer, budgets, async (budget) => {
        const exact = await evaluateAgainstPosterior(trainer.theta, trainer.layout, constraints, posterior, trainer.runner.shaping);
        row[`JSD ${budget} s`] = exact.jsd.toFixed(4);
        if (budget === budgets.at(-1)) row[`RMSE ${budget} s`] = exact.edgeMarginalRmse.toFixed(4);
      });
      row.iterations = String(trainer.step);
      row['it/s'] = (trainer.step / trainer.seconds).toFixed(0);
      row.load = `${loadBefore} → ${load()}`;
      rows.push(row);
      console.error(`${set.label}: ${JSON.stringify(row)}`);
      trainer.dispose();
    }
    console.log(`\n**${set.label}**, seed ${seed}\n`);
    printTable(rows);
  }
}

async function benchExplore(args: string[], budgets: number[], seed: number): Promise<void> {
  for (const name of argList(args, '--explore-sets', 'asia,g10')) {
    const set = await setOf(name);
    const reward = rewardOf(set);
    const d = set.dataset.columns.length;
    const constraints = buildConstraints(d);
    const truth = await dpPosterior(reward);
    const rows: Array<Record<string, string>> = [];
    for (const intrinsic of argList(args, '--intrinsic', 'none,rnd') as IntrinsicName[]) {
      const objective = (argList(args, '--explore-objective', 'mdb')[0] ?? 'mdb') as ObjectiveName;
      const config = resolveTrainConfig(
        { sampler: 'edges', objective, intrinsic, seed, timeLimitSeconds: budgets.at(-1)!, iterations: 1e9 },
        d,
      );
      const trainer = new Trainer({ constraints, reward }, config);
      const near = new Set<string>();
      let best = -Infinity;
      trainer.onTerminal = (adjacency, logReward) => {
        if (logReward > best) best = logReward;
        if (logReward >= truth.maxLogJoint - 5) near.add(Buffer.from(adjacency).toString('hex'));
      };
      const loadBefore = load();
      await trainWithSnapshots(trainer, budgets, async (budget) => {
        const draws = await sampleDags(trainer.theta, trainer.layout, constraints, reward, 2000, {
          seed: seed + 1,
          shaping: trainer.config,
        });
        const freq = new Float64Array(d * d);
        for (let k = 0; k < draws.count; k++) for (let t = 0; t < d * d; t++) freq[t]! += draws.adjacency[k * d * d + t]! / draws.count;
        rows.push({
          objective,
          intrinsic,
          seconds: String(budget),
          'DAGs within 5 nats of the MAP': String(near.size),
          'best found − MAP (nats)': (best - truth.maxLogJoint).toFixed(2),
          'edge RMSE (2,000 draws)': rmse(freq, truth.edgeMarginals, d).toFixed(4),
          iterations: String(trainer.step),
          load: `${loadBefore} → ${load()}`,
        });
        console.error(`${set.label}: ${JSON.stringify(rows.at(-1))}`);
      });
      trainer.dispose();
    }
    console.log(`\n**${set.label}** (d = ${d}; MAP log R ${truth.maxLogJoint.toFixed(2)}), seed ${seed}\n`);
    printTable(rows);
  }
}

export async function run(args: string[]): Promise<void> {
  const budgets = argList(args, '--budgets', '30,60,150')
    .map(Number)
    .sort((a, b) => a - b);
  if (budgets.some((b) => !(b > 0))) throw new Error('--budgets takes positive seconds, e.g. 30,60,150');
  const seed = Number(argList(args, '--seed', '0')[0]);
  const parts = argList(args, '--part', 'jsd,explore');
  const backend = await selectBackend('auto');
  console.log(`backend ${backend.reason}; uniform prior; edge sampler; load ${load()}\n`);
  if (parts.includes('jsd')) await benchJsd(args, budgets, seed);
  if (parts.includes('explore')) await benchExplore(args, budgets, seed);
}
