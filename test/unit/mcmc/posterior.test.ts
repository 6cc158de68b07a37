/**
 * Seeded statistical tests against exact answers. Each run uses 8 independent chains (different
 * starts and random streams); the Monte Carlo standard error of every edge marginal is
 * estimated from them, and the test first checks that the tolerance is at least 2.5 standard
 * errors at the worst edge — so the run is long enough for a pass to mean something — and
 * then that the error is within the tolerance. A biased sampler (order MCMC against the DAG
 * posterior) misses by far more than its own standard error.
 */
const CHAINS = 8;
const SE_FACTOR = 2.5;
import { describe, expect, it } from 'vitest';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { empiricalDistribution } from '../../../src/gflownet/exact/distribution.ts';
import { codeFromEdges } from '../../../src/gflownet/graph/dagCode.ts';
import { jensenShannon } from '../../../src/gflownet/metrics/jsd.ts';
import { buildParentTables } from '../../../src/gflownet/mcmc/parentTables.ts';
import { orderModularPosterior } from '../../../src/gflownet/mcmc/orderExact.ts';
import { parentMasks, unrestrictedRules } from '../../../src/gflownet/mcmc/rules.ts';
import { asiaReward, lingaussExactMarginals, lingaussReward, maxAbsError, maxStandardError, runChains } from './problems.ts';

describe('MCMC on the shared d = 5 data (lingauss_d5_n100, exact posterior from the reference file)', () => {
  it('MC3 reaches the exact edge marginals within 0.01', async () => {
    const reward = await lingaussReward();
    const { results, run } = runChains(reward, { method: 'mc3', iterations: 400_000, seed: 5 }, CHAINS);
    expect(maxStandardError(results)).toBeLessThan(0.01 / SE_FACTOR);
    expect(maxAbsError(run.edgeMarginals, lingaussExactMarginals())).toBeLessThan(0.01);
    expect(run.diagnostics.converged).toBe(true);
  });

  it('partition MCMC reaches the exact edge marginals within 0.01', async () => {
    const reward = await lingaussReward();
    const { results, run } = runChains(reward, { method: 'partition', iterations: 100_000, thin: 4, seed: 6 }, CHAINS);
    expect(maxStandardError(results)).toBeLessThan(0.01 / SE_FACTOR);
    expect(maxAbsError(run.edgeMarginals, lingaussExactMarginals())).toBeLessThan(0.01);
    expect(run.diagnostics.converged).toBe(true);
  });

  it('order MCMC matches the exact order-modular answer, which is biased against the DAG posterior', async () => {
    const reward = await lingaussReward();
    const tables = buildParentTables(reward, parentMasks(unrestrictedRules(5)));
    const orderModular = orderModularPosterior(tables);
    expect(orderModular.orders).toBe(120);
    const bias = maxAbsError(orderModular.edgeMarginals, lingaussExactMarginals());
    expect(bias).toBeGreaterThan(0.03);
    const { results, run } = runChains(reward, { method: 'order', iterations: 100_000, thin: 4, seed: 7 }, CHAINS);
    expect(maxStandardError(results)).toBeLessThan(0.01 / SE_FACTOR);
    expect(maxAbsError(run.edgeMarginals, orderModular.edgeMarginals)).toBeLessThan(0.01);
    expect(maxAbsError(run.edgeMarginals, lingaussExactMarginals())).toBeGreaterThan(0.02);
  });
});

describe('MC3 over all DAGs on d = 3', () => {
  it('its empirical distribution has JSD < 0.005 to the exact posterior', async () => {
    const reward = await lingaussReward(['X0', 'X4']);
    const exact = await enumeratePosterior(reward);
    expect(exact.numDags).toBe(25);
    const { run } = runChains(reward, { method: 'mc3', iterations: 50_000, thin: 2, seed: 8 });
    const codes: number[] = [];
    for (const s of run.samples()) codes.push(codeFromEdges(s.edges, 3));
    expect(codes.length).toBe(4 * 20_000);
    const jsd = jensenShannon(empiricalDistribution(3, codes), exact.distribution);
    expect(jsd).toBeLessThan(0.005);
  });
});

describe('discrete d = 5 (five Asia columns, BDeu), exact by enumeration', () => {
  for (const method of ['mc3', 'partition'] as const) {
    it(`${method} reaches max edge-marginal error ≤ 0.02`, async () => {
      const { reward } = await asiaReward();
      const exact = await enumeratePosterior(reward);
      const { results, run } = runChains(
        reward,
        { method, iterations: method === 'mc3' ? 200_000 : 100_000, thin: method === 'mc3' ? undefined : 4, seed: 9 },
        CHAINS,
      );
      expect(maxStandardError(results)).toBeLessThan(0.02 / SE_FACTOR);
      expect(maxAbsError(run.edgeMarginals, exact.edgeMarginals)).toBeLessThan(0.02);
    });
  }
});
