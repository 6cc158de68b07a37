import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { buildFlowMatchingBatch, fmLossGradient } from '../../../src/gflownet/train/flowMatching.ts';
import { augmentedOptimum, encodePolicy, hashedIntrinsic, stateBatchOf, statesOfBatch } from './augmentedFlowFixture.ts';
import type { ExplicitState } from './helpers.ts';

describe('flow matching (d = 4)', () => {
  const d = 4;
  const p = augmentedOptimum(d, 5);
  const all: ExplicitState[] = p.levels.flat();
  const nonStart = all.filter((s) => s.edges > 0);

  it('builds the parents of every state: one per edge, each a legal state with the removed edge as a legal addition', () => {
    const batch = buildFlowMatchingBatch(stateBatchOf(nonStart, d), p.c, p.reward);
    expect(batch.children).toBe(nonStart.length);
    expect(batch.parentOf.length).toBe(nonStart.reduce((s, t) => s + t.edges, 0));
    const rows = statesOfBatch(p, batch.states, d);
    for (let q = 0; q < batch.parentOf.length; q++) {
      const parent = rows[batch.children + q]!;
      const child = nonStart[batch.parentOf[q]!]!;
      const a = batch.parentAction[q]!;
      expect(parent).toBeDefined();
      expect(parent.edges).toBe(child.edges - 1);
      // The batch's mask and closure are the environment's own.
      expect(Array.from(batch.states.mask.subarray((batch.children + q) * d * d, (batch.children + q + 1) * d * d))).toEqual(
        Array.from(parent.mask),
      );
      expect(parent.mask[a]).toBe(1);
      expect(batch.parentDelta[q]).toBeCloseTo(p.logR.get(child.key)! - p.logR.get(parent.key)!, 10);
    }
  });

  it('required edges are not removed (the start state has them)', () => {
    const c = buildConstraints(3, { required: [[0, 1]] });
    const s = stateBatchOf([], 3);
    expect(buildFlowMatchingBatch(s, c, p.reward).states.count).toBe(0);
    const adj = new Uint8Array(9);
    adj[1] = 1; // 0 → 1 (required)
    adj[5] = 1; // 1 → 2
    const one = { count: 1, adjacency: adj, closure: new Uint8Array(9), mask: new Uint8Array(9) };
    const b = buildFlowMatchingBatch(one, c, { ...p.reward, d: 3, deltaLogReward: () => 0 });
    expect(b.parentOf.length).toBe(1);
    expect(b.parentAction[0]).toBe(5);
  });

  it('the loss is 0 at the optimal policy of the exact posterior, at every state but the start', () => {
    const batch = buildFlowMatchingBatch(stateBatchOf(nonStart, d), p.c, p.reward);
    const out = encodePolicy(p, statesOfBatch(p, batch.states, d), d);
    const g = fmLossGradient(out, batch, d, 1);
    expect(nonStart.length).toBe(542);
    expect(g.loss).toBeLessThan(1e-9);
    expect(Math.max(...g.dz.map(Math.abs))).toBeLessThan(1e-5);
  });

  it('a wrong policy has a non-zero loss (the check can fail)', () => {
    const batch = buildFlowMatchingBatch(stateBatchOf(nonStart, d), p.c, p.reward);
    const out = encodePolicy(p, statesOfBatch(p, batch.states, d), d);
    const z = out.z.slice();
    z[batch.children + 7]! += 0.3; // one parent stops more often: less flow into its child
    expect(fmLossGradient({ E: out.E, z }, batch, d, 1).loss).toBeGreaterThan(1e-5);
  });

  it('with augmented flows the loss is 0 at the optimum of the augmented flows, and not at the plain optimum', () => {
    const u = hashedIntrinsic(0.2, Math.max(...p.logR.values()), p.reward);
    const q = augmentedOptimum(d, 5, u);
    const batch = buildFlowMatchingBatch(stateBatchOf(nonStart, d), q.c, q.reward);
    const rows = statesOfBatch(q, batch.states, d);
    const logU = Float64Array.from(rows, (s) => q.logU.get(s.key)!);
    expect(fmLossGradient(encodePolicy(q, rows, d), batch, d, 1, logU).loss).toBeLessThan(1e-9);
    expect(fmLossGradient(encodePolicy(p, rows, d), batch, d, 1, logU).loss).toBeGreaterThan(1e-4);
    // u = −∞ (weight 0) is plain flow matching.
    const off = new Float64Array(rows.length).fill(-Infinity);
    expect(fmLossGradient(encodePolicy(p, rows, d), batch, d, 1, off).loss).toBeLessThan(1e-9);
  });

  it('the gradient matches finite differences of the loss (plain and augmented)', () => {
    const some = nonStart.filter((_, k) => k % 37 === 3);
    const batch = buildFlowMatchingBatch(stateBatchOf(some, d), p.c, p.reward);
    const rows = statesOfBatch(p, batch.states, d);
    const rng = new Rng(3);
    const base = encodePolicy(p, rows, d);
    const E = base.E.map((v) => v + rng.normal() * 0.5);
    const z = base.z.map((v) => v + rng.normal() * 0.5);
    const u = Float64Array.from(rows, () => rng.normal() - 1);
    for (const logU of [undefined, u]) {
      const g = fmLossGradient({ E, z }, batch, d, 1, logU);
      const lossAt = (E2: Float32Array, z2: Float32Array): number => fmLossGradient({ E: E2, z: z2 }, batch, d, 1, logU).loss;
      const h = 1e-2;
      for (let b = 0; b < z.length; b += 3) {
        const up = z.slice();
        const down = z.slice();
        up[b]! += h;
        down[b]! -= h;
        expect(g.dz[b]!).toBeCloseTo((lossAt(E, up) - lossAt(E, down)) / (2 * h), 3);
      }
      for (let t = 0; t < E.length; t += 17) {
        const up = E.slice();
        const down = E.slice();
        up[t]! += h;
        down[t]! -= h;
        expect(g.dE[t]!).toBeCloseTo((lossAt(up, z) - lossAt(down, z)) / (2 * h), 3);
      }
    }
  });
});
