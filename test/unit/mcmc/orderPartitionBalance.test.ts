/**
 * Order and partition MCMC, checked exactly on small problems: detailed balance of every move
 * kind (proposal code run under an enumerating chooser), and the identity that makes
 * partition MCMC unbiased — the partition scores sum to the DAG normaliser Z = Σ_G R(G).
 */
import { describe, expect, it } from 'vitest';
import { logSumExp } from '../../../src/gflownet/core/logmath.ts';
import { enumerateChoices } from '../../../src/gflownet/mcmc/chooser.ts';
import { OrderMcmc } from '../../../src/gflownet/mcmc/order.ts';
import { PartitionMcmc } from '../../../src/gflownet/mcmc/partition.ts';
import { buildParentTables } from '../../../src/gflownet/mcmc/parentTables.ts';
import type { ParentMasks } from '../../../src/gflownet/mcmc/rules.ts';
import { allDags, knowledgeRules, parentMasks, randomFamilyScorer, unrestrictedRules } from './helpers.ts';

function permutations(d: number): Int32Array[] {
  if (d === 0) return [new Int32Array(0)];
  const out: Int32Array[] = [];
  for (const rest of permutations(d - 1)) {
    for (let pos = 0; pos <= rest.length; pos++) {
      const p = new Int32Array(d);
      p.set(rest.subarray(0, pos), 0);
      p[pos] = d - 1;
      p.set(rest.subarray(pos), pos + 1);
      out.push(p);
    }
  }
  return out;
}

/** Every labelled ordered partition as part-index arrays (surjective onto 0..m−1). */
function orderedPartitions(d: number): Int32Array[] {
  const out: Int32Array[] = [];
  const a = new Int32Array(d);
  const visit = (j: number): void => {
    if (j === d) {
      const m = Math.max(...a) + 1;
      const used = new Set(a);
      if (used.size === m) out.push(Int32Array.from(a));
      return;
    }
    for (let k = 0; k < d; k++) {
      a[j] = k;
      visit(j + 1);
    }
  };
  visit(0);
  return out;
}

type Sampler = OrderMcmc | PartitionMcmc;

function checkBalance(
  states: Int32Array[],
  make: (s: Int32Array) => Sampler,
  keyOf: (s: Sampler) => string,
  kinds: number[],
): { maxError: number; pairs: number } {
  // States with zero target (incompatible with a required edge) cannot be started from and are never entered.
  const samplers = states.flatMap((state) => {
    try {
      return [make(state)];
    } catch {
      return [];
    }
  });
  const logZ = logSumExp(samplers.map((s) => s.logScore));
  const pi = new Map(samplers.map((s) => [keyOf(s), Math.exp(s.logScore - logZ)]));
  let maxError = 0;
  let pairs = 0;
  for (const kind of kinds) {
    const T = new Map<string, Map<string, number>>();
    for (const s of samplers) {
      const from = keyOf(s);
      const row = new Map<string, number>();
      const outcomes = enumerateChoices((chooser) => {
        if (s instanceof OrderMcmc) {
          const p = s.propose(chooser, kind === 1);
          if (!p) return { key: from, accept: 1 };
          const key = keyOf(s);
          s.undo(p);
          return { key, accept: Math.min(1, Math.exp(p.delta)) };
        }
        const p = s.propose(chooser, kind);
        if (!p) return { key: from, accept: 1 };
        const key = keyOf(s);
        s.undo();
        return { key, accept: Math.min(1, Math.exp(p.logRatio)) };
      });
      expect(keyOf(s)).toBe(from);
      for (const { value, probability } of outcomes) {
        if (value.key !== from && value.accept > 0) row.set(value.key, (row.get(value.key) ?? 0) + probability * value.accept);
      }
      T.set(from, row);
    }
    for (const [a, row] of T) {
      for (const [b, p] of row) {
        expect(pi.has(b)).toBe(true);
        const back = T.get(b)!.get(a) ?? 0;
        const fab = pi.get(a)! * p;
        const fba = pi.get(b)! * back;
        maxError = Math.max(maxError, Math.abs(fab - fba) / Math.max(fab, fba));
        pairs++;
      }
    }
  }
  return { maxError, pairs };
}

function setup(d: number, seed: number, masks: ParentMasks) {
  const scorer = randomFamilyScorer(d, seed);
  return { scorer, tables: buildParentTables(scorer, masks, { maxParents: masks.maxParents }) };
}

describe('order MCMC', () => {
  it('swap and adjacent-swap moves satisfy detailed balance over all orders (d = 4)', () => {
    const masks = parentMasks(unrestrictedRules(4, 2));
    const { tables } = setup(4, 21, masks);
    const r = checkBalance(
      permutations(4),
      (o) => new OrderMcmc(tables, masks, { start: o }),
      (s) => Array.from((s as OrderMcmc).order).join(''),
      [0, 1],
    );
    expect(r.pairs).toBeGreaterThan(100);
    expect(r.maxError).toBeLessThan(1e-9);
  });
});

describe('partition MCMC', () => {
  const keyOf = (s: Sampler): string => Array.from((s as PartitionMcmc).partOf).join('');

  it('partition scores sum to the DAG normaliser (each DAG counted once)', () => {
    for (const [d, seed, masks] of [
      [3, 31, parentMasks(unrestrictedRules(3))],
      [4, 32, parentMasks(unrestrictedRules(4))],
      [4, 33, parentMasks(knowledgeRules(4, { forbidden: [[0, 2]], required: [[3, 1]], maxParents: 2 }))],
    ] as const) {
      const { scorer, tables } = setup(d, seed, masks);
      const scores = orderedPartitions(d).map((p) => {
        try {
          return new PartitionMcmc(tables, masks, { start: p }).logScore;
        } catch {
          return -Infinity; // incompatible with a required edge
        }
      });
      const logZPartitions = logSumExp(scores);
      const logZDags = logSumExp(allDags(scorer, masks).map((g) => g.logReward));
      expect(Math.abs(logZPartitions - logZDags)).toBeLessThan(1e-10);
    }
  });

  it('split/join, swap and move-node satisfy detailed balance over all 75 partitions (d = 4)', () => {
    const masks = parentMasks(unrestrictedRules(4));
    const { tables } = setup(4, 34, masks);
    const r = checkBalance(orderedPartitions(4), (p) => new PartitionMcmc(tables, masks, { start: p }), keyOf, [0, 1, 2]);
    expect(r.pairs).toBeGreaterThan(1000);
    expect(r.maxError).toBeLessThan(1e-9);
  });

  it('detailed balance holds under prior knowledge too', () => {
    const masks = parentMasks(knowledgeRules(4, { forbidden: [[2, 0]], required: [[1, 3]], maxParents: 2 }));
    const { tables } = setup(4, 35, masks);
    const r = checkBalance(orderedPartitions(4), (p) => new PartitionMcmc(tables, masks, { start: p }), keyOf, [0, 1, 2]);
    expect(r.pairs).toBeGreaterThan(300);
    expect(r.maxError).toBeLessThan(1e-9);
  });

  it('the DAG move keeps the partition posterior invariant (exact: π T = π)', () => {
    for (const [seed, masks] of [
      [36, parentMasks(unrestrictedRules(4))],
      [37, parentMasks(knowledgeRules(4, { forbidden: [[0, 3]], required: [[2, 1]], maxParents: 2 }))],
    ] as const) {
      const { scorer, tables } = setup(4, seed, masks);
      const samplers = orderedPartitions(4).flatMap((p) => {
        try {
          return [new PartitionMcmc(tables, masks, { start: p, scorer })];
        } catch {
          return [];
        }
      });
      const logZ = logSumExp(samplers.map((s) => s.logScore));
      const pi = new Map(samplers.map((s) => [keyOf(s), Math.exp(s.logScore - logZ)]));
      const flow = new Map<string, number>();
      for (const s of samplers) {
        const from = keyOf(s);
        const outcomes = enumerateChoices((chooser) => {
          const p = s.propose(chooser, 3);
          const key = keyOf(s);
          if (p && p.logRatio === 0) s.undo();
          return key;
        });
        expect(keyOf(s)).toBe(from);
        for (const { value, probability } of outcomes) flow.set(value, (flow.get(value) ?? 0) + pi.get(from)! * probability);
      }
      let maxError = 0;
      for (const [key, p] of pi) {
        maxError = Math.max(maxError, Math.abs((flow.get(key) ?? 0) - p) / p);
      }
      for (const key of flow.keys()) expect(pi.has(key)).toBe(true);
      expect(maxError).toBeLessThan(1e-9);
    }
  });
});
