/**
 * `npm run bench -- train [a|b|c ...] [--seconds-a S] [--seconds-a500 S] [--seconds-b S]`: the
 * DAG-GFlowNet benchmark of issue 5.
 *  (a) lingauss_d5_n100.csv, raw data, BGe, uniform prior: exact JSD and edge-marginal RMSE of
 *      the trained sampler (push-forward) and of 10,000 samples, after 120 s of training (two
 *      seeds); the same after 150 s on raw synthetic d = 5, n = 500 data, whose posterior sits on
 *      dense graphs (the hard case for unseen d = 5 data).
 *  (b) d = 20, 2 edges per node, n = 100 synthetic data (seed 1), Erdős–Rényi prior with 2 edges
 *      per node: E-SHD, AUROC and expected edges of 1,000 samples after 10 minutes.
 *  (c) iterations/s at d = 5, 20, 50 and the network's GFLOP/s against the matmul rate of the
 *      same backend measured in the same run.
 * The machine may be shared: every table row carries the load average when it was measured.
 */
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/gflownet/backend/select.ts';
import { backendSelfTest } from '../src/gflownet/backend/selfTest.ts';
import { quietJobContext } from '../src/gflownet/core/job.ts';
import { structurePriorTable } from '../src/gflownet/core/priors.ts';
import { Rng } from '../src/gflownet/core/rng.ts';
import type { Dataset } from '../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { loadDataset } from '../src/gflownet/data/load.ts';
import { buildConstraints } from '../src/gflownet/env/constraints.ts';
import { edgeMarginalsOfDistribution } from '../src/gflownet/exact/distribution.ts';
import { enumeratePosterior } from '../src/gflownet/exact/posterior.ts';
import { rmse } from '../src/gflownet/metrics/marginals.ts';
import { edgeAuroc } from '../src/gflownet/metrics/roc.ts';
import { expectedShd } from '../src/gflownet/metrics/shd.ts';
import {
  backwardFlops,
  forwardFlops,
  initialParameters,
  paramLayout,
  policyBackward,
  policyForward,
} from '../src/gflownet/policy/network.ts';
import { evaluateAgainstPosterior } from '../src/gflownet/sampling/exactEvaluation.ts';
import { sampleDags } from '../src/gflownet/sampling/sampler.ts';
import { createRewardModel } from '../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic } from '../src/gflownet/synth/generate.ts';
import { FlatAdam } from '../src/gflownet/train/adam.ts';
import { resolveTrainConfig } from '../src/gflownet/train/config.ts';
import { trainGflownet } from '../src/gflownet/train/loop.ts';
import { Trainer } from '../src/gflownet/train/trainer.ts';
import { printTable } from './_table.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function argValue(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(name);
  return k >= 0 && args[k + 1] !== undefined ? Number(args[k + 1]) : fallback;
}

interface BenchASet {
  label: string;
  dataset: Dataset;
  seeds: number[];
  seconds: number;
}

async function benchA(seconds: number, seconds500: number): Promise<void> {
  const file = path.join(here, '..', 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
  // A peaked-posterior stand-in for unseen d = 5 data: raw rows, n = 500, whose posterior sits on dense graphs.
  const g = generateSynthetic({ nodes: 5, edgesPerNode: 1, rows: 500, seed: 4 });
  const sets: BenchASet[] = [
    { label: '(a) lingauss d5 n100 raw', dataset: await loadDataset(file, { score: 'bge', standardize: false }), seeds: [0, 1], seconds },
    {
      label: '(a) synthetic d5 n500 raw (seed 4)',
      dataset: datasetFromColumns({
        names: g.columns,
        continuous: g.values as Float64Array[],
        standardize: false,
        source: 'synthetic d5 n500',
      }),
      seeds: [0],
      seconds: seconds500,
    },
  ];
  const rows: Array<Record<string, string>> = [];
  for (const set of sets) await benchASet(set, rows);
  printTable(rows);
}

async function benchASet({ label, dataset, seeds, seconds }: BenchASet, rows: Array<Record<string, string>>): Promise<void> {
  const d = dataset.columns.length;
  const reward = createRewardModel(createScoreModel(dataset, { score: 'bge' }), structurePriorTable(d, { kind: 'uniform' }));
  const constraints = buildConstraints(d);
  const posterior = await enumeratePosterior(reward);
  for (const seed of seeds) {
    const loadBefore = load();
    const started = performance.now();
    const { trainer, iterations, stepsPerSecond } = await trainGflownet(
      { constraints, reward },
      resolveTrainConfig({ seed, timeLimitSeconds: seconds, iterations: 1e9 }),
      quietJobContext(),
    );
    const trainSeconds = (performance.now() - started) / 1000;
    const exact = await evaluateAgainstPosterior(trainer.theta, trainer.layout, constraints, posterior, trainer.runner.shaping);
    const samples = await sampleDags(trainer.theta, trainer.layout, constraints, reward, 10_000, {
      seed: seed + 1,
      shaping: trainer.config,
    });
    const freq = new Float64Array(d * d);
    for (let k = 0; k < samples.count; k++) for (let t = 0; t < d * d; t++) freq[t]! += samples.adjacency[k * d * d + t]! / samples.count;
    const wall = (performance.now() - started) / 1000;
    rows.push({
      bench: label,
      seed: String(seed),
      'train s': trainSeconds.toFixed(1),
      iterations: String(iterations),
      'it/s': stepsPerSecond.toFixed(0),
      'exact JSD': exact.jsd.toFixed(4),
      'exact RMSE': exact.edgeMarginalRmse.toFixed(4),
      '10k-sample RMSE': rmse(freq, edgeMarginalsOfDistribution(posterior.distribution), d).toFixed(4),
      'wall s (train+eval+10k)': wall.toFixed(1),
      load: `${loadBefore} → ${load()}`,
    });
    trainer.dispose();
  }
}

async function benchB(seconds: number): Promise<void> {
  const data = generateSynthetic({ nodes: 20, edgesPerNode: 2, rows: 100, seed: 1 });
  const dataset = datasetFromColumns({ names: data.columns, continuous: data.values as Float64Array[], source: 'synthetic d20' });
  const d = 20;
  // An Erdős–Rényi prior with the generating density: under a uniform prior over DAGs the posterior
  // at d = 20, n = 100 is dominated by dense graphs (there are so many of them), whatever the sampler.
  const reward = createRewardModel(
    createScoreModel(dataset, { score: 'bge' }),
    structurePriorTable(d, { kind: 'erdos-renyi', edgesPerNode: 2 }),
  );
  const constraints = buildConstraints(d);
  const loadBefore = load();
  const { trainer, iterations, stepsPerSecond } = await trainGflownet(
    { constraints, reward },
    resolveTrainConfig({ seed: 0, timeLimitSeconds: seconds, iterations: 1e9 }, d),
    quietJobContext(),
  );
  const samples = await sampleDags(trainer.theta, trainer.layout, constraints, reward, 1000, { seed: 1, shaping: trainer.config });
  const adj: Uint8Array[] = [];
  const freq = new Float64Array(d * d);
  for (let k = 0; k < samples.count; k++) {
    const a = samples.adjacency.subarray(k * d * d, (k + 1) * d * d);
    adj.push(a);
    for (let t = 0; t < d * d; t++) freq[t]! += a[t]! / samples.count;
  }
  let expectedEdges = 0;
  for (const f of freq) expectedEdges += f;
  let trueEdges = 0;
  for (const t of data.truth) trueEdges += t;
  printTable([
    {
      bench: '(b) synthetic d20 e2 n100 (BGe, z-scored, ER prior 2/node)',
      'train s': trainer.seconds.toFixed(0),
      iterations: String(iterations),
      'it/s': stepsPerSecond.toFixed(1),
      'E-SHD': expectedShd(adj, data.truth, d).toFixed(2),
      AUROC: edgeAuroc(freq, data.truth, d).toFixed(3),
      'expected edges': expectedEdges.toFixed(1),
      'true edges': String(trueEdges),
      'final loss': trainer.lossAverage.toFixed(3),
      load: `${loadBefore} → ${load()}`,
    },
  ]);
  trainer.dispose();
}

/** Times the network alone: forward over B + N states, backward over B, target forward over B, Adam. */
function networkStepSeconds(d: number, hidden: number, B: number, N: number, repeats: number): { seconds: number; flops: number } {
  const layout = paramLayout({ d, hidden });
  const rng = new Rng(1);
  const theta = tf.variable(tf.tensor1d(initialParameters(layout, rng)));
  const adam = new FlatAdam(layout.size, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  const F = layout.features;
  const rand = (n: number, p: number): Float32Array => Float32Array.from({ length: n }, () => (rng.next() < p ? 1 : 0));
  const X = tf.tensor2d(rand((B + N) * d * F, 0.1), [(B + N) * d, F]);
  const XT = tf.tensor2d(rand(F * B * d, 0.1), [F, B * d]);
  const Xn = tf.tensor2d(rand(B * d * F, 0.1), [B * d, F]);
  const dE = tf.tensor2d(rand(B * d * 2 * d, 0.5), [B * d, 2 * d]);
  const dz = tf.tensor1d(rand(B, 0.5));
  const step = (): void =>
    tf.tidy(() => {
      policyForward(theta, layout, Xn, B).E.dataSync();
      const out = policyForward(theta, layout, X, B + N);
      out.E.dataSync();
      adam.apply(theta, policyBackward(theta, layout, out.cache, XT, dE, dz, 0), 1e-4);
    });
  for (let k = 0; k < 3; k++) step();
  const t0 = performance.now();
  for (let k = 0; k < repeats; k++) step();
  const seconds = (performance.now() - t0) / 1000 / repeats;
  tf.dispose([theta, X, XT, Xn, dE, dz]);
  adam.dispose();
  const shape = { d, hidden };
  return { seconds, flops: forwardFlops(shape, B) + forwardFlops(shape, B + N) + backwardFlops(shape, B) };
}

async function benchC(): Promise<void> {
  const choice = await selectBackend('auto');
  const selfTest = await backendSelfTest(choice, { sizes: [256, 512], secondsPerSize: 1 });
  const rows: Array<Record<string, string>> = [];
  for (const d of [5, 20, 50]) {
    const config = resolveTrainConfig({ seed: 0, iterations: 1e9 }, d);
    const data = generateSynthetic({ nodes: d, edgesPerNode: Math.min(2, (d - 1) / 2), rows: 100, seed: d });
    const dataset = datasetFromColumns({ names: data.columns, continuous: data.values as Float64Array[] });
    const reward = createRewardModel(createScoreModel(dataset, { score: 'bge' }), structurePriorTable(d, { kind: 'uniform' }));
    const trainer = new Trainer({ constraints: buildConstraints(d), reward }, config);
    const warm = config.prefillIterations + 20;
    for (let k = 0; k < warm; k++) trainer.iteration();
    const tensors = tf.memory().numTensors;
    const loadBefore = load();
    const t0 = performance.now();
    const budget = d === 5 ? 5000 : d === 20 ? 12000 : 20000;
    let n = 0;
    while (performance.now() - t0 < budget) {
      trainer.iteration();
      n++;
    }
    const perIteration = (performance.now() - t0) / 1000 / n;
    const leak = tf.memory().numTensors - tensors;
    trainer.dispose();
    const net = networkStepSeconds(d, config.hidden, config.batchSize, config.environments, d === 50 ? 10 : 30);
    rows.push({
      d: String(d),
      'it/s': (1 / perIteration).toFixed(1),
      'ms/it': (perIteration * 1000).toFixed(1),
      'network ms/it': (net.seconds * 1000).toFixed(1),
      'MFLOP/it': (net.flops / 1e6).toFixed(1),
      'GFLOP/s whole iteration': (net.flops / perIteration / 1e9).toFixed(2),
      'GFLOP/s network': (net.flops / net.seconds / 1e9).toFixed(2),
      'matmul peak GFLOP/s': selfTest.peakGflops.toFixed(2),
      'network / peak': `${((100 * net.flops) / net.seconds / 1e9 / selfTest.peakGflops).toFixed(0)} %`,
      'tensor leak': String(leak),
      backend: choice.backend,
      load: `${loadBefore} → ${load()}`,
    });
  }
  printTable(rows);
}

export async function run(args: string[]): Promise<void> {
  const parts = args.filter((a) => ['a', 'b', 'c'].includes(a));
  const which = parts.length > 0 ? parts : ['a', 'b', 'c'];
  const choice = await selectBackend('auto');
  console.log(`backend: ${choice.reason}; load average at start: ${load()}`);
  if (which.includes('c')) await benchC();
  if (which.includes('a')) await benchA(argValue(args, '--seconds-a', 120), argValue(args, '--seconds-a500', 150));
  if (which.includes('b')) await benchB(argValue(args, '--seconds-b', 600));
}
