/**
 * The diagnostics must tell an analyst when chains disagree: two chains started in different
 * modes of a bimodal posterior are flagged (and chains on an easy posterior are not); R-hat
 * behaves as defined; a time-limited chain discards the right burn-in; cancel and progress
 * work as the job host expects.
 */
import { describe, expect, it } from 'vitest';
import { quietJobContext } from '../../../src/gflownet/core/job.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { runChain, type ChainProgress } from '../../../src/gflownet/mcmc/chains.ts';
import { computeDiagnostics, RHAT_CAP, splitRhat } from '../../../src/gflownet/mcmc/diagnostics.ts';
import { unrestrictedRules } from '../../../src/gflownet/mcmc/rules.ts';
import type { FamilyScorer } from '../../../src/gflownet/mcmc/types.ts';
import { randomFamilyScorer } from './helpers.ts';

/** d = 3, two modes: 0→1, 0→2, 1→2 and its mirror 2→1, 2→0, 1→0; every path between them loses 15 nats. */
function bimodalScorer(): FamilyScorer {
  const boost = new Map([
    ['1:0', 15],
    ['2:0,1', 15],
    ['1:2', 15],
    ['0:1,2', 15],
  ]);
  return { d: 3, familyLogReward: (node, parents) => boost.get(`${node}:${parents.join(',')}`) ?? 0 };
}

function adjacency(d: number, edges: Array<[number, number]>): Uint8Array {
  const a = new Uint8Array(d * d);
  for (const [i, j] of edges) a[i * d + j] = 1;
  return a;
}

describe('split R-hat', () => {
  const rng = new Rng(3);
  const series = (n: number, shift: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal() + shift);

  it('is near 1 for chains from the same distribution and large when their means differ', () => {
    const same = splitRhat([series(2000, 0), series(2000, 0), series(2000, 0)]);
    expect(same).not.toBeNull();
    expect(Math.abs(same! - 1)).toBeLessThan(0.01);
    expect(splitRhat([series(2000, 0), series(2000, 2)])!).toBeGreaterThan(1.5);
  });

  it('catches a trend within one chain (the split halves disagree)', () => {
    const trend = Float64Array.from({ length: 2000 }, (_, k) => rng.normal() + k / 250);
    expect(splitRhat([trend])!).toBeGreaterThan(1.5);
  });

  it('is null with too few values and capped when chains never move yet differ', () => {
    expect(splitRhat([Float64Array.of(1, 2, 3)])).toBeNull();
    expect(splitRhat([new Float64Array(10).fill(1), new Float64Array(10).fill(2)])).toBe(RHAT_CAP);
  });
});

describe('convergence diagnostics', () => {
  it('flag two chains started in different modes of a bimodal posterior', () => {
    const scorer = bimodalScorer();
    const modeA = adjacency(3, [
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    const modeB = adjacency(3, [
      [2, 1],
      [2, 0],
      [1, 0],
    ]);
    const run = (method: 'mc3' | 'partition') =>
      computeDiagnostics(
        [modeA, modeB].map((startGraph, chain) =>
          runChain(scorer, unrestrictedRules(3), { method, iterations: 20_000, seed: 1, chain, startGraph }, quietJobContext()),
        ),
        ['a', 'b', 'c'],
      );
    const diag = run('mc3');
    expect(diag.chainEdgeMarginalMaxDiff).toBeGreaterThan(0.9);
    expect(diag.rhatMax!).toBeGreaterThan(1.1);
    expect(diag.converged).toBe(false);
    expect(diag.warning).toMatch(/^Not converged: the chains disagree about the edge/);
    expect(diag.warning).toMatch(/R-hat/);
    // The two modes are the same partition with nodes 0 and 2 swapped: one swap move apart, so
    // partition MCMC crosses between them and its chains agree.
    const partition = run('partition');
    expect(partition.chainEdgeMarginalMaxDiff).toBeLessThan(0.1);
    expect(partition.warning).toBeNull();
  });

  it('do not flag well-mixed chains from dispersed starts', () => {
    const scorer = randomFamilyScorer(4, 41, 1);
    const results = [0, 1, 2, 3].map((chain) =>
      runChain(scorer, unrestrictedRules(4), { method: 'mc3', iterations: 60_000, seed: 2, chain }, quietJobContext()),
    );
    const diag = computeDiagnostics(results);
    expect(diag.rhatMax!).toBeLessThan(1.1);
    expect(diag.chainEdgeMarginalMaxDiff).toBeLessThan(0.1);
    expect(diag.warning).toBeNull();
    expect(diag.acceptanceByMove.add!.proposed).toBeGreaterThan(0);
    expect(diag.acceptanceRate).toBeGreaterThan(0);
    expect(diag.acceptanceRate).toBeLessThan(1);
  });

  it('say that one chain cannot be compared with others', () => {
    const r = runChain(randomFamilyScorer(3, 42), unrestrictedRules(3), { method: 'mc3', iterations: 5000, seed: 1 }, quietJobContext());
    expect(computeDiagnostics([r]).warning).toMatch(/Only one chain/);
  });
});

describe('chain driver', () => {
  it('stops at the time limit and discards that fraction of the iterations it ran', () => {
    const r = runChain(
      randomFamilyScorer(4, 43),
      unrestrictedRules(4),
      { method: 'mc3', iterations: 1e12, timeLimitSeconds: 0.3, burnIn: 0.25, seed: 1 },
      quietJobContext(),
    );
    expect(r.stoppedBy).toBe('time-limit');
    expect(r.iterationsRun).toBeGreaterThan(1000);
    expect(r.burnInIterations).toBe(Math.floor(0.25 * r.iterationsRun));
    expect(r.samples.iteration[0]!).toBeGreaterThan(r.burnInIterations);
    expect(r.samples.logScore.length).toBeGreaterThan(100);
    expect(r.samples.logScore.length).toBeLessThanOrEqual(5001);
    const sum = Array.from(r.edgeMarginals).reduce((s, p) => s + p, 0);
    expect(sum).toBeGreaterThan(0);
    expect(Math.max(...r.edgeMarginals)).toBeLessThanOrEqual(1);
  });

  it('keeps exactly the thinned DAGs after burn-in', () => {
    const r = runChain(
      randomFamilyScorer(3, 44),
      unrestrictedRules(3),
      { method: 'order', iterations: 1000, burnIn: 0.3, thin: 7, seed: 1 },
      quietJobContext(),
    );
    const expected = [];
    for (let t = 7; t <= 1000; t += 7) if (t > 300) expected.push(t);
    expect(Array.from(r.samples.iteration)).toEqual(expected);
    expect(r.marginalWeight).toBe(expected.length);
  });

  it('reports progress and stops when cancelled', () => {
    const controller = new AbortController();
    const seen: ChainProgress[] = [];
    const ctx = {
      signal: controller.signal,
      log: () => {},
      progress: (p: ChainProgress) => {
        seen.push(p);
        controller.abort();
      },
    };
    const started = performance.now();
    expect(() =>
      runChain(randomFamilyScorer(4, 45), unrestrictedRules(4), { method: 'partition', iterations: 1e12, seed: 1 }, ctx),
    ).toThrow(/cancelled/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(seen.length).toBe(1);
    expect(seen[0]!.iteration).toBeGreaterThan(0);
    expect(seen[0]!.edgeMarginals!.length).toBe(16);
  });
});
