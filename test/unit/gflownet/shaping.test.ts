import { describe, expect, it } from 'vitest';
import { logSumExp } from '../../../src/gflownet/core/logmath.ts';
import { buildConstraints, type EnvConstraints } from '../../../src/gflownet/env/constraints.ts';
import { RewardShaping, SUPERSET_MAX_D, shapingBaselineFor } from '../../../src/gflownet/policy/shaping.ts';
import { allocateStates } from '../../../src/gflownet/train/replay.ts';
import { randomModularReward, reachableStates, type ExplicitState, type TestReward } from './helpers.ts';

/** ψ_j(P) by brute force: log Σ over every allowed parent set Q ⊇ P within the bound. */
function bruteSuperset(reward: TestReward, c: EnvConstraints, j: number, parents: number[]): number {
  const d = c.d;
  const terms: number[] = [];
  for (let q = 0; q < 1 << d; q++) {
    if (parents.some((p) => !(q & (1 << p)))) continue;
    const set: number[] = [];
    let ok = true;
    for (let i = 0; i < d; i++) {
      if (!(q & (1 << i))) continue;
      if (!c.allowed[i * d + j] && !c.required[i * d + j]) ok = false;
      set.push(i);
    }
    if (ok && set.length <= c.maxParents) terms.push(reward.familyLogReward(j, set));
  }
  return logSumExp(terms);
}

function parentsOf(adj: Uint8Array, d: number, j: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < d; i++) if (adj[i * d + j]) out.push(i);
  return out;
}

function shiftsOf(shaping: RewardShaping, s: ExplicitState, d: number): Float64Array {
  const batch = allocateStates(d, 1);
  batch.count = 1;
  batch.adjacency.set(s.adj);
  batch.closure.set(s.clo);
  batch.mask.set(s.mask);
  return shaping.shift(batch);
}

describe('reward shaping', () => {
  for (const [label, knowledge] of [
    ['no prior knowledge', undefined],
    [
      'a forbidden edge, a required edge and at most 2 parents',
      { forbidden: [[2, 0]] as Array<[number, number]>, required: [[1, 3]] as Array<[number, number]>, maxParents: 2 },
    ],
  ] as const) {
    it(`superset offsets are B(s + e) − log R(s) − log(|E| + 1) with B the brute-force superset sum (${label})`, () => {
      const d = 4;
      const c = buildConstraints(d, knowledge);
      const reward = randomModularReward(d, 9, 3);
      const shaping = new RewardShaping(reward, c, 'superset');
      expect(shaping.baseline).toBe('superset');
      let checked = 0;
      for (const level of reachableStates(c)) {
        for (const s of level) {
          const shift = shiftsOf(shaping, s, d);
          const logR = reward.logReward(s.adj);
          for (let a = 0; a < d * d; a++) {
            if (!s.mask[a]) {
              expect(shift[a]).toBe(0);
              continue;
            }
            const child = s.adj.slice();
            child[a] = 1;
            let B = 0;
            for (let j = 0; j < d; j++) B += bruteSuperset(reward, c, j, parentsOf(child, d, j));
            const expected = B - logR - Math.log(s.edges - c.requiredCount + 1);
            expect(Math.abs(shift[a]! - expected)).toBeLessThan(1e-9);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(200);
    });
  }

  it('delta offsets are Δ log R − log(|E| + 1), and large problems fall back to them', () => {
    const d = 4;
    const c = buildConstraints(d);
    const reward = randomModularReward(d, 4, 3);
    const shaping = new RewardShaping(reward, c, 'delta');
    const s = reachableStates(c)[2]![3]!;
    const shift = shiftsOf(shaping, s, d);
    for (let a = 0; a < d * d; a++) {
      if (!s.mask[a]) continue;
      const expected = reward.deltaLogReward(s.adj, Math.floor(a / d), a % d) - Math.log(s.edges + 1);
      expect(shift[a]).toBeCloseTo(expected, 12);
    }
    expect(shapingBaselineFor(SUPERSET_MAX_D, 'superset')).toBe('superset');
    expect(shapingBaselineFor(SUPERSET_MAX_D + 1, 'superset')).toBe('delta');
  });
});
