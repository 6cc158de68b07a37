/**
 * `npm run bench -- scale [--sets g12,g15,g20,d20,g37,g50] [--budgets 30,60,120,300]
 *  [--methods layers,mc3,order,partition,edges] [--reference-seconds 600] [--seed S]`:
 * the samplers side by side at the sizes of real analyses (issue 14). For each data set every
 * method runs once for the largest budget on one core; its edge-marginal estimate is taken
 * when its clock passes each budget and compared with the truth: the exact posterior (subset DP
 * with the parent bound) up to 20 variables, beyond that a long partition-MCMC run (marked
 * "reference"). The layered GFlowNet's estimate at a budget is its importance-weighted estimate
 * from 10,000 fresh draws (not counted in its clock; the draw time is its own column).
 *
 * Data sets (held out: none of these seeds was used to choose the defaults):
 *   gD  linear-Gaussian Erdős–Rényi DAG, 2 edges per node, n = 100, z-scored, BGe, seed 101 + D
 *   dD  discrete (2–3 levels), 2 edges per node, n = 1000, BDeu, seed 201 + D
 * all with a uniform structure prior and at most 3 parents.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../src/gflownet/backend/select.ts';
import { quietJobContext } from '../src/gflownet/core/job.ts';
import { structurePriorTable } from '../src/gflownet/core/priors.ts';
import type { Dataset } from '../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { buildConstraints } from '../src/gflownet/env/constraints.ts';
import { dpPosterior } from '../src/gflownet/exact/dp.ts';
import { layerProblemFor } from '../src/gflownet/layerflow/layerProblem.ts';
import { sampleLayered } from '../src/gflownet/layerflow/layerSampler.ts';
import { LayerTrainer } from '../src/gflownet/layerflow/layerTrainer.ts';
import { runChain } from '../src/gflownet/mcmc/chains.ts';
import type { McmcMethod } from '../src/gflownet/mcmc/types.ts';
import { edgeFrequencies, maxAbsDifference, rmse } from '../src/gflownet/metrics/marginals.ts';
import { sampleDags } from '../src/gflownet/sampling/sampler.ts';
import { createRewardModel, type RewardModel } from '../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic } from '../src/gflownet/synth/generate.ts';
import { resolveTrainConfig } from '../src/gflownet/train/config.ts';
import { Trainer } from '../src/gflownet/train/trainer.ts';
import { printTable } from './_table.ts';

const MAX_PARENTS = 3;
const DRAWS = 10_000;

function argList(args: string[], name: string, fallback: string): string[] {
  const k = args.indexOf(name);
  return (k >= 0 && args[k + 1] ? args[k + 1]! : fallback).split(',').filter(Boolean);
}

interface Problem {
  label: string;
  d: number;
  reward: RewardModel;
}

function problemOf(name: string): Problem {
  const m = /^([gd])(\d+)$/.exec(name);
  if (!m) throw new Error(`unknown data set ${name} (gD or dD)`);
  const d = Number(m[2]);
  const discrete = m[1] === 'd';
  const seed = (discrete ? 201 : 101) + d;
  const g = generateSynthetic({ nodes: d, edgesPerNode: 2, rows: discrete ? 1000 : 100, seed, discrete });
  const dataset: Dataset = discrete
    ? datasetFromColumns({ names: g.columns, discrete: (g.values as Int32Array[]).map((c) => Array.from(c, String)) })
    : datasetFromColumns({ names: g.columns, continuous: g.values as Float64Array[] });
  const reward = createRewardModel(
    createScoreModel(dataset, { score: discrete ? 'bdeu' : 'bge' }),
    structurePriorTable(d, { kind: 'uniform' }),
  );
  return { label: `${discrete ? 'discrete, BDeu, n = 1000' : 'linear-Gaussian, BGe, n = 100'}, d = ${d}, seed ${seed}`, d, reward };
}

/** The truth for a data set, cached on disk: the exact DP up to 20 variables, else a long partition-MCMC run. */
async function truthOf(name: string, p: Problem, referenceSeconds: number): Promise<{ marginals: Float64Array; kind: string }> {
  const dir = path.join(tmpdir(), 'dagflow-bench-scale');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-mp${MAX_PARENTS}-ref${referenceSeconds}.json`);
  if (existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { marginals: number[]; kind: string };
    return { marginals: Float64Array.from(cached.marginals), kind: cached.kind };
  }
  const started = performance.now();
  let truth: { marginals: Float64Array; kind: string };
  if (p.d <= 20) {
    const post = await dpPosterior(p.reward, { maxParents: MAX_PARENTS });
    truth = { marginals: post.edgeMarginals, kind: `exact DP (${((performance.now() - started) / 1000).toFixed(0)} s)` };
  } else {
    const r = runChain(
      p.reward,
      buildConstraints(p.d, { maxParents: MAX_PARENTS }),
      { method: 'partition', iterations: Number.MAX_SAFE_INTEGER, seed: 999, timeLimitSeconds: referenceSeconds },
      quietJobContext(),
    );
    truth = { marginals: r.edgeMarginals, kind: `reference: partition MCMC ${referenceSeconds} s` };
  }
  writeFileSync(file, JSON.stringify({ marginals: Array.from(truth.marginals), kind: truth.kind }));
  return truth;
}

/** An estimate at a budget; `unweighted` is the layered sampler's own (before importance weights). */
type Snapshot = { budget: number; marginals: Float64Array; note: string; unweighted?: Float64Array };

function mcmcSnapshots(p: Problem, method: McmcMethod, budgets: number[], seed: number): Snapshot[] {
  const out: Snapshot[] = [];
  let next = 0;
  const result = runChain(
    p.reward,
    buildConstraints(p.d, { maxParents: MAX_PARENTS }),
    { method, iterations: Number.MAX_SAFE_INTEGER, seed, timeLimitSeconds: budgets[budgets.length - 1]! },
    {
      ...quietJobContext(),
      progress: (e) => {
        while (next < budgets.length && e.elapsedSeconds >= budgets[next]! && e.edgeMarginals)
          out.push({
            budget: budgets[next++]!,
            marginals: e.edgeMarginals.slice(),
            note: `${Math.round(e.iteration).toLocaleString('en')} it.`,
          });
      },
    },
  );
  // The last budget: the chain's own post-burn-in estimate.
  if (out.length < budgets.length)
    out.push({
      budget: budgets[budgets.length - 1]!,
      marginals: result.edgeMarginals,
      note: `${result.iterationsRun.toLocaleString('en')} it.`,
    });
  return out;
}

async function layeredSnapshots(p: Problem, budgets: number[], seed: number): Promise<Snapshot[]> {
  const constraints = buildConstraints(p.d, { maxParents: MAX_PARENTS });
  // The run's own choice of space: every allowed parent set while the tables are small, else a candidate-parent space.
  const { problem, candidates } = layerProblemFor(p.reward, constraints, 0);
  const space = candidates ? `; ${candidates.size} candidates/node, ${candidates.outsideCount} edges outside` : '';
  const last = budgets[budgets.length - 1]!;
  const trainer = new LayerTrainer(
    problem,
    resolveTrainConfig({ sampler: 'layers', seed, timeLimitSeconds: last, iterations: Number.MAX_SAFE_INTEGER }, p.d),
  );
  const out: Snapshot[] = [];
  for (const budget of budgets) {
    while (trainer.seconds < budget) trainer.iteration();
    const t0 = performance.now();
    const s = await sampleLayered(trainer.theta, trainer.layout, problem, DRAWS, { seed: seed + 1 });
    const drawSeconds = (performance.now() - t0) / 1000;
    out.push({
      budget,
      marginals: s.weightedMarginals,
      note: `${trainer.step} it.; ESS ${s.effectiveSampleSize.toFixed(0)}; ${DRAWS.toLocaleString('en')} draws ${drawSeconds.toFixed(1)} s${space}`,
      unweighted: s.samplerMarginals,
    });
  }
  trainer.dispose();
  return out;
}

async function edgeSnapshots(p: Problem, budgets: number[], seed: number): Promise<Snapshot[]> {
  const constraints = buildConstraints(p.d, { maxParents: MAX_PARENTS });
  const config = resolveTrainConfig(
    { sampler: 'edges', seed, timeLimitSeconds: budgets[budgets.length - 1]!, iterations: Number.MAX_SAFE_INTEGER },
    p.d,
  );
  const trainer = new Trainer({ constraints, reward: p.reward }, config);
  const out: Snapshot[] = [];
  for (const budget of budgets) {
    while (trainer.seconds < budget) trainer.iteration();
    const t0 = performance.now();
    const s = await sampleDags(trainer.theta, trainer.layout, constraints, p.reward, DRAWS, { seed: seed + 1, shaping: config });
    const dd = p.d * p.d;
    const m = edgeFrequencies(
      Array.from({ length: s.count }, (_, k) => s.adjacency.subarray(k * dd, (k + 1) * dd)),
      p.d,
    );
    out.push({
      budget,
      marginals: m,
      note: `${trainer.step} it.; ${DRAWS.toLocaleString('en')} draws ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    });
  }
  trainer.dispose();
  return out;
}

export async function run(args: string[]): Promise<void> {
  const sets = argList(args, '--sets', 'g12,g15,g20,d20,g37,g50');
  const budgets = argList(args, '--budgets', '30,60,120,300')
    .map(Number)
    .sort((a, b) => a - b);
  const methods = argList(args, '--methods', 'layers,mc3,order,partition');
  const referenceSeconds = Number(argList(args, '--reference-seconds', '600')[0]);
  const seed = Number(argList(args, '--seed', '0')[0]);
  const backend = await selectBackend('auto');
  console.log(
    `backend ${backend.reason}; at most ${MAX_PARENTS} parents; uniform prior; one chain / one run per method; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  for (const name of sets) {
    const p = problemOf(name);
    const truth = await truthOf(name, p, referenceSeconds);
    const rows: Array<Record<string, string>> = [];
    for (const method of methods) {
      const load = loadavg()[0]!.toFixed(1);
      const snaps =
        method === 'layers'
          ? await layeredSnapshots(p, budgets, seed)
          : method === 'edges'
            ? await edgeSnapshots(p, budgets, seed)
            : mcmcSnapshots(p, method as McmcMethod, budgets, seed);
      for (const s of snaps) {
        rows.push({
          method: method === 'layers' ? 'GFlowNet (layers)' : method === 'edges' ? 'GFlowNet (edges)' : method,
          seconds: String(s.budget),
          'edge RMSE': rmse(s.marginals, truth.marginals, p.d).toFixed(4),
          'worst edge': maxAbsDifference(s.marginals, truth.marginals, p.d).toFixed(3),
          'unweighted RMSE': s.unweighted ? rmse(s.unweighted, truth.marginals, p.d).toFixed(4) : '',
          note: s.note,
          load,
        });
      }
    }
    console.log(`### ${name}: ${p.label}; truth: ${truth.kind}\n`);
    printTable(rows);
    console.log('');
  }
}
