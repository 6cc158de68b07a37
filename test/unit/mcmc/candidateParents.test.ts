import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/gflownet/backend/select.ts';
import { quietJobContext } from '../../../src/gflownet/core/job.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { initialLayerParameters, layerLayout } from '../../../src/gflownet/layerflow/layerNetwork.ts';
import { buildLayerProblem, layerProblemFor } from '../../../src/gflownet/layerflow/layerProblem.ts';
import { sampleLayered } from '../../../src/gflownet/layerflow/layerSampler.ts';
import { checkCandidateSpace, describeCandidateSpace, summarizeCandidateSpace } from '../../../src/gflownet/mcmc/candidateCheck.ts';
import {
  automaticCandidateParents,
  chooseCandidateParents,
  describeChainSpace,
  summarizeChainSpace,
} from '../../../src/gflownet/mcmc/candidateParents.ts';
import { runChain } from '../../../src/gflownet/mcmc/chains.ts';
import { countTableEntries } from '../../../src/gflownet/mcmc/parentTables.ts';
import { parentMasks } from '../../../src/gflownet/mcmc/rules.ts';
import type { FamilyScorer } from '../../../src/gflownet/mcmc/types.ts';
import { rmse } from '../../../src/gflownet/metrics/marginals.ts';
import { randomModularReward } from '../gflownet/helpers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

/**
 * Six nodes; node 5's family gains 10 from parent 0, 5 from parent 1, and from parent 2 only
 * next to both (+8; alone it costs 1). Every other family: a small seeded penalty per parent.
 */
function plantedScorer(): FamilyScorer {
  const d = 6;
  const rng = new Rng(3);
  const penalty = Array.from({ length: d * d }, () => -1 - rng.next());
  return {
    d,
    familyLogReward(node, parents) {
      if (node !== 5) return parents.reduce((s, i) => s + penalty[i * d + node]!, 0);
      const has = (i: number): boolean => parents.includes(i);
      let s = (has(0) ? 10 : 0) + (has(1) ? 5 : 0);
      s += has(0) && has(1) && has(2) ? 8 : has(2) ? -1 : 0;
      for (const i of parents) if (i > 2) s += penalty[i * d + node]!;
      return s;
    },
  };
}

describe('candidate-parent space', () => {
  it('finds by forward selection a parent that only gains next to the others', () => {
    const space = chooseCandidateParents(plantedScorer(), buildConstraints(6), 3);
    for (const i of [0, 1, 2]) expect(space.parents[5]).toContain(i);
  });

  it('is symmetric, keeps required edges, and is the whole space when it is as wide as the problem', () => {
    const d = 7;
    const reward = randomModularReward(d, 5);
    const rules = buildConstraints(d, { required: [[6, 0]] });
    const space = chooseCandidateParents(reward, rules, 2);
    // Symmetric wherever the knowledge allows both directions (a required edge is inside whatever the screening says).
    for (let j = 0; j < d; j++)
      for (const i of space.parents[j]!) if (rules.allowed[j * d + i] && !rules.required[i * d + j]) expect(space.parents[i]).toContain(j);
    expect(space.parents[0]).toContain(6);
    expect(space.outsideCount).toBeGreaterThan(0);
    const whole = chooseCandidateParents(reward, rules, d - 1);
    expect(whole.outsideCount).toBe(0);
  });

  it('is chosen automatically only when the tables of every parent set would not fit, and then fits', () => {
    const d = 8;
    const reward = randomModularReward(d, 7);
    const rules = buildConstraints(d, { maxParents: 3 });
    expect(automaticCandidateParents(reward, rules, 1_000_000)).toBeUndefined();
    const full = countTableEntries(parentMasks(rules), 3);
    const space = automaticCandidateParents(reward, rules, Math.floor(full / 2))!;
    expect(space).toBeDefined();
    const masks = parentMasks(space.rules);
    expect(countTableEntries(masks, 3)).toBeLessThanOrEqual(full / 2);
  });

  it('the layered sampler in a space estimates the exact posterior of that space (outside edges forbidden)', async () => {
    const d = 5;
    const reward = randomModularReward(d, 13, 2);
    const constraints = buildConstraints(d);
    const space = chooseCandidateParents(reward, constraints, 2);
    const forbidden: Array<[number, number]> = [];
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && !space.rules.allowed[i * d + j]) forbidden.push([i, j]);
    expect(forbidden.length).toBeGreaterThan(0);
    const problem = buildLayerProblem(reward, constraints, { candidates: space });
    const layout = layerLayout({ d, hidden: 16 });
    const theta = tf.variable(tf.tensor1d(initialLayerParameters(layout, new Rng(2))));
    const s = await sampleLayered(theta, layout, problem, 8000, { seed: 6 });
    const exact = await enumeratePosterior(reward, { forbidden });
    expect(rmse(s.weightedMarginals, exact.edgeMarginals, d)).toBeLessThan(0.02);
    for (const [i, j] of forbidden) expect(s.weightedMarginals[i * d + j]).toBe(0);
    // A checkpoint's sampler rebuilds the same space from the recorded size.
    expect(layerProblemFor(reward, constraints, 2).problem.index.total).toBe(problem.index.total);
  });

  it('the MCMC check sees posterior mass the space leaves out, and none when it leaves out nothing', () => {
    const scorer = plantedScorer();
    const constraints = buildConstraints(6);
    // Without parent 2 for node 5 the space misses an edge that is in almost every probable DAG.
    const narrow = chooseCandidateParents(scorer, constraints, 3);
    const allowed = narrow.rules.allowed.slice();
    allowed[2 * 6 + 5] = 0;
    allowed[5 * 6 + 2] = 0;
    const cut = { ...narrow, rules: { ...narrow.rules, allowed } };
    const start = new Uint8Array(36);
    start[0 * 6 + 5] = 1;
    start[1 * 6 + 5] = 1;
    const check = checkCandidateSpace(scorer, constraints, cut, { seconds: 0.3, seed: 1, start });
    expect(check.visits).toBeGreaterThan(10);
    expect(check.massOutside).toBeGreaterThan(0.9);
    expect(check.worstOutside).toMatchObject({ from: 2, to: 5 });
    const whole = chooseCandidateParents(scorer, constraints, 5);
    const none = checkCandidateSpace(scorer, constraints, whole, { seconds: 0.2, seed: 1, start });
    expect(none.massOutside).toBe(0);
    const text = describeCandidateSpace(
      summarizeCandidateSpace({ size: 3, parents: cut.parents, outsideCount: cut.outsideCount, check }, ['A', 'B', 'C', 'D', 'E', 'F']),
    );
    expect(text).toMatch(/most often C → F/);
  });

  it('order and partition MCMC keep the parent bound in a space when the tables would not fit, and sample that space exactly', async () => {
    const d = 5;
    const reward = randomModularReward(d, 21, 2);
    const rules = buildConstraints(d, { maxParents: 2 });
    const full = countTableEntries(parentMasks(rules), 2);
    // A budget below every allowed set: the chain keeps 2 parents per node in a screened space.
    const base = { iterations: 60_000, seed: 4, burnIn: 0.1, maxTableEntries: Math.floor(full * 0.6) };
    const r = runChain(reward, rules, { ...base, method: 'partition' }, quietJobContext());
    expect(r.tableMaxParents).toBe(2);
    expect(r.tableEntries).toBeLessThanOrEqual(full * 0.6);
    const space = r.candidateSpace!;
    expect(space.outsideCount).toBeGreaterThan(0);
    const forbidden: Array<[number, number]> = [];
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && !space.parents[j]!.includes(i)) forbidden.push([i, j]);
    expect(forbidden.length).toBe(space.outsideCount);
    const exact = await enumeratePosterior(reward, { forbidden, maxParents: 2 });
    for (const [i, j] of forbidden) expect(r.edgeMarginals[i * d + j]).toBe(0);
    expect(rmse(r.edgeMarginals, exact.edgeMarginals, d)).toBeLessThan(0.03);
    // Order MCMC gets the same space; an explicit table bound means no space; MC3 never has one.
    expect(runChain(reward, rules, { ...base, iterations: 2000, method: 'order' }, quietJobContext()).candidateSpace?.parents).toEqual(
      space.parents,
    );
    expect(
      runChain(reward, rules, { ...base, iterations: 2000, method: 'partition', tableMaxParents: 1 }, quietJobContext()).candidateSpace,
    ).toBeUndefined();
    expect(runChain(reward, rules, { ...base, iterations: 2000, method: 'mc3' }, quietJobContext()).candidateSpace).toBeUndefined();
    expect(describeChainSpace(summarizeChainSpace(space, ['A', 'B', 'C', 'D', 'E']))).toMatch(
      new RegExp(`the ${space.outsideCount} edges outside it have probability 0`),
    );
  });
});
