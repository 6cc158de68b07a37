/**
 * Detailed balance of structure MCMC, checked exactly: for every DAG G on a small problem, the
 * proposal code is run under an enumerating chooser that visits every possible choice, giving
 * the exact transition probabilities T(G → G′); then π(G) T(G → G′) = π(G′) T(G′ → G) must
 * hold for every pair. Without the neighbourhood correction it fails (checked below too).
 */
import { describe, expect, it } from 'vitest';
import { enumerateChoices } from '../../../src/gflownet/mcmc/chooser.ts';
import { StructureMcmc } from '../../../src/gflownet/mcmc/mc3.ts';
import { buildParentTables } from '../../../src/gflownet/mcmc/parentTables.ts';
import type { ParentMasks } from '../../../src/gflownet/mcmc/rules.ts';
import type { FamilyScorer } from '../../../src/gflownet/mcmc/types.ts';
import { allDags, dagKey, exactPosterior, knowledgeRules, parentMasks, randomFamilyScorer, unrestrictedRules } from './helpers.ts';

type Kernel = 'structure' | 'reversal';

function transitions(scorer: FamilyScorer, masks: ParentMasks, start: Uint8Array, kernel: Kernel, corrected = true): Map<string, number> {
  const tables = kernel === 'reversal' ? buildParentTables(scorer, masks, { maxParents: masks.maxParents }) : undefined;
  const sampler = new StructureMcmc(scorer, masks, { start, newEdgeReversalProbability: kernel === 'reversal' ? 1 : 0, tables });
  const out = new Map<string, number>();
  const outcomes = enumerateChoices((chooser) => {
    if (kernel === 'structure') {
      const p = sampler.proposeStructureMove(chooser);
      if (!p) return { key: dagKey(start), accept: 1 };
      const logRatio = corrected ? sampler.structureLogRatio(p) : p.delta;
      const key = dagKey(sampler.state.adjacency);
      sampler.state.undoMove(p.kind, p.i, p.j);
      return { key, accept: Math.min(1, Math.exp(logRatio)) };
    }
    const p = sampler.proposeReversal(chooser);
    if (!p) return { key: dagKey(start), accept: 1 };
    const key = dagKey(sampler.state.adjacency);
    const accept = Math.min(1, Math.exp(sampler.reversalLogRatio(p)));
    sampler.undoReversal(p);
    return { key, accept };
  });
  const startKey = dagKey(start);
  let stay = 0;
  for (const { value, probability } of outcomes) {
    if (value.key === startKey) {
      stay += probability;
      continue;
    }
    out.set(value.key, (out.get(value.key) ?? 0) + probability * value.accept);
    stay += probability * (1 - value.accept);
  }
  out.set(startKey, (out.get(startKey) ?? 0) + stay);
  // The enumerating run must have left the state untouched.
  expect(dagKey(sampler.state.adjacency)).toBe(startKey);
  return out;
}

function balanceError(
  scorer: FamilyScorer,
  masks: ParentMasks,
  kernel: Kernel,
  corrected = true,
): { maxError: number; rowSumError: number; pairs: number } {
  const dags = allDags(scorer, masks);
  const post = exactPosterior(dags);
  const T = new Map(dags.map((g) => [g.key, transitions(scorer, masks, g.adjacency, kernel, corrected)]));
  let maxError = 0;
  let rowSumError = 0;
  let pairs = 0;
  for (const [a, row] of T) {
    let sum = 0;
    for (const [b, p] of row) {
      sum += p;
      expect(post.has(b), `transition to a graph outside the allowed space: ${b}`).toBe(true);
      if (a === b) continue;
      const back = T.get(b)!.get(a) ?? 0;
      const flowAB = post.get(a)! * p;
      const flowBA = post.get(b)! * back;
      maxError = Math.max(maxError, Math.abs(flowAB - flowBA) / Math.max(flowAB, flowBA));
      pairs++;
    }
    rowSumError = Math.max(rowSumError, Math.abs(sum - 1));
  }
  return { maxError, rowSumError, pairs };
}

describe('structure MCMC detailed balance (exact enumeration)', () => {
  it('add/delete/reverse moves on all 25 DAGs with d = 3', () => {
    const scorer = randomFamilyScorer(3, 11);
    const r = balanceError(scorer, parentMasks(unrestrictedRules(3)), 'structure');
    expect(r.pairs).toBeGreaterThan(50);
    expect(r.rowSumError).toBeLessThan(1e-12);
    expect(r.maxError).toBeLessThan(1e-9);
  });

  it('without the neighbourhood correction balance fails', () => {
    const scorer = randomFamilyScorer(3, 11);
    const r = balanceError(scorer, parentMasks(unrestrictedRules(3)), 'structure', false);
    expect(r.maxError).toBeGreaterThan(0.05);
  });

  it('with prior knowledge on d = 4 (forbidden, required, at most 2 parents)', () => {
    const scorer = randomFamilyScorer(4, 12);
    const masks = parentMasks(knowledgeRules(4, { forbidden: [[3, 0]], required: [[0, 1]], maxParents: 2 }));
    const r = balanceError(scorer, masks, 'structure');
    expect(r.pairs).toBeGreaterThan(500);
    expect(r.rowSumError).toBeLessThan(1e-12);
    expect(r.maxError).toBeLessThan(1e-9);
  });

  it('new-edge-reversal move on d = 3 and on d = 4 with prior knowledge', () => {
    const r3 = balanceError(randomFamilyScorer(3, 13), parentMasks(unrestrictedRules(3)), 'reversal');
    expect(r3.pairs).toBeGreaterThan(20);
    expect(r3.rowSumError).toBeLessThan(1e-12);
    expect(r3.maxError).toBeLessThan(1e-9);
    const masks = parentMasks(knowledgeRules(4, { forbidden: [[2, 3]], required: [[1, 0]], maxParents: 2 }));
    const r4 = balanceError(randomFamilyScorer(4, 14), masks, 'reversal');
    expect(r4.pairs).toBeGreaterThan(200);
    expect(r4.maxError).toBeLessThan(1e-9);
  });
});
