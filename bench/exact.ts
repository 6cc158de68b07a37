/**
 * Exact posterior timings: enumeration at d = 4, 5 and the subset DP at each d from 6 until a
 * run exceeds the budget (default 60 s). Data: linear-Gaussian synthetic data (1 edge per
 * node, 200 rows, seed = d), BGe, uniform prior, the given max-parents bound.
 *
 *   npm run bench -- exact [--max-parents K|all] [--budget SECONDS] [--from D] [--to D]
 *
 * "cpu s" is the process's CPU time: on a machine shared with other work it shows what the
 * same run takes on an idle core, while "seconds" is the wall time actually observed.
 */
import { structurePriorTable } from '../src/gflownet/core/priors.ts';
import { datasetFromColumns } from '../src/gflownet/data/dataset.ts';
import { dpPosterior, MAX_DP_NODES } from '../src/gflownet/exact/dp.ts';
import { enumeratePosterior } from '../src/gflownet/exact/posterior.ts';
import { countAllowedFamilies } from '../src/gflownet/exact/familyTable.ts';
import { compileConstraints } from '../src/gflownet/exact/constraints.ts';
import { createRewardModel } from '../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../src/gflownet/scores/scoreModel.ts';
import { generateSynthetic } from '../src/gflownet/synth/generate.ts';
import { printTable } from './_table.ts';

function argValue(args: string[], name: string, fallback: number): number {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] !== undefined ? Number(args[k + 1]) : fallback;
}

function problem(d: number, prior: 'uniform' = 'uniform') {
  const data = generateSynthetic({ nodes: d, edgesPerNode: 1, rows: 200, seed: d });
  const dataset = datasetFromColumns({ names: data.columns, continuous: data.values as Float64Array[], standardize: true });
  return createRewardModel(createScoreModel(dataset, { score: 'bge' }), structurePriorTable(d, { kind: prior }));
}

export async function run(args: string[]): Promise<void> {
  const unbounded = args[args.indexOf('--max-parents') + 1] === 'all';
  const maxParents = unbounded ? Infinity : argValue(args, 'max-parents', 3);
  const budget = argValue(args, 'budget', 60);
  const from = argValue(args, 'from', 6);
  const to = Math.min(argValue(args, 'to', MAX_DP_NODES), MAX_DP_NODES);
  const rows: Array<Record<string, string | number>> = [];
  for (const d of [4, 5]) {
    const reward = problem(d);
    const cpu = process.cpuUsage();
    const t = performance.now();
    const p = await enumeratePosterior(reward);
    const used = process.cpuUsage(cpu);
    rows.push({
      method: 'enumeration',
      d,
      'max parents': d - 1,
      'parent sets': countAllowedFamilies(compileConstraints(d)),
      seconds: ((performance.now() - t) / 1000).toFixed(3),
      'cpu s': ((used.user + used.system) / 1e6).toFixed(3),
      'log Z': p.logZ.toFixed(6),
      note: `${p.numDags} DAGs`,
    });
  }
  for (let d = from; d <= to; d++) {
    const reward = problem(d);
    const knowledge = { maxParents: Math.min(maxParents, d - 1) };
    const cpu = process.cpuUsage();
    const t = performance.now();
    const p = await dpPosterior(reward, knowledge);
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    rows.push({
      method: 'dp',
      d,
      'max parents': Math.min(maxParents, d - 1),
      'parent sets': countAllowedFamilies(compileConstraints(d, knowledge)),
      seconds: seconds.toFixed(3),
      'cpu s': ((used.user + used.system) / 1e6).toFixed(3),
      'log Z': p.logZ.toFixed(6),
      note: `numerical check ${p.numericalCheck.toExponential(1)}`,
    });
    console.error(`  d = ${d}: ${seconds.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s cpu`);
    if (seconds > budget) break;
  }
  printTable(rows);
}
