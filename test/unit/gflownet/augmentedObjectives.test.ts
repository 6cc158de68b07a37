import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import {
  augmentedMdbLossGradient,
  augmentedSubTbLossGradient,
  augmentedTbLossGradient,
} from '../../../src/gflownet/train/intrinsic/augmentedObjectives.ts';
import { mdbLossGradient, tbLossGradient, trajectoryLogBackward, type OutputGradient } from '../../../src/gflownet/train/objectives.ts';
import { subTbLossGradient, type SubTbBatch } from '../../../src/gflownet/train/subTrajectoryBalance.ts';
import type { TbBatch } from '../../../src/gflownet/train/objectives.ts';
import { augmentedOptimum, encodePolicy, hashedIntrinsic, stateBatchOf, type Optimum } from './augmentedFlowFixture.ts';
import type { ExplicitState } from './helpers.ts';

const d = 4;
const plain = augmentedOptimum(d, 5);
const augmented = augmentedOptimum(d, 5, hashedIntrinsic(0.3, Math.max(...plain.logR.values()), plain.reward));

/** Every transition of the d = 4 state graph. */
function transitions(p: Optimum): { from: ExplicitState[]; to: ExplicitState[] } {
  const from: ExplicitState[] = [];
  const to: ExplicitState[] = [];
  for (const level of p.levels)
    for (const s of level)
      for (const t of p.children(s)) {
        from.push(s);
        to.push(t);
      }
  return { from, to };
}

function mdbCase(p: Optimum) {
  const { from, to } = transitions(p);
  const batch = {
    states: stateBatchOf(from, d),
    next: stateBatchOf(to, d),
    actions: Int32Array.from(from, (s, b) => to[b]!.adj.findIndex((x, a) => x !== s.adj[a])),
    deltas: Float64Array.from(from, (s, b) => p.logR.get(to[b]!.key)! - p.logR.get(s.key)!),
    removable: Int32Array.from(from, (s) => s.edges),
  };
  return {
    batch,
    online: encodePolicy(p, from, d),
    target: encodePolicy(p, to, d),
    uFrom: Float64Array.from(from, (s) => p.logU.get(s.key)!),
    uTo: Float64Array.from(to, (s) => p.logU.get(s.key)!),
  };
}

/** Trajectories n = 0, 1, …: trajectory n walks `lengths[n]` edges by a fixed rule and stops. */
function trajectoryCase(p: Optimum, lengths: number[]) {
  const states: ExplicitState[] = [];
  const chosen: number[] = [];
  const trajectory: number[] = [];
  const deltas: number[] = [];
  const constant: number[] = [];
  lengths.forEach((k, n) => {
    let s = p.start;
    for (let step = 0; step < k && p.children(s).length; step++) {
      const t = p.children(s)[(step * 5 + k + n) % p.children(s).length]!;
      states.push(s);
      chosen.push(t.adj.findIndex((x, a) => x !== s.adj[a]));
      trajectory.push(n);
      deltas.push(p.logR.get(t.key)! - p.logR.get(s.key)!);
      s = t;
    }
    states.push(s);
    chosen.push(d * d);
    trajectory.push(n);
    deltas.push(0);
    constant.push(-p.logR.get(s.key)! - trajectoryLogBackward(s.edges));
  });
  const batch: TbBatch & SubTbBatch = {
    states: stateBatchOf(states, d),
    chosen: Int32Array.from(chosen),
    trajectory: Int32Array.from(trajectory),
    trajectories: lengths.length,
    constant: Float64Array.from(constant),
    deltas: Float64Array.from(deltas),
    removable: Int32Array.from(states, (s) => s.edges),
  };
  return { batch, states, out: encodePolicy(p, states, d), u: Float64Array.from(states, (s) => p.logU.get(s.key)!) };
}

const LENGTHS = [0, 1, 3, 6, 4, 2, 5, 6];

describe('augmented flows (GAFlowNet) with the balance objectives (d = 4)', () => {
  it('with intrinsic weight 0 (u = −∞) every augmented loss is 0 at the optimal policy of the exact posterior', () => {
    const m = mdbCase(plain);
    expect(m.batch.actions.length).toBeGreaterThan(1000);
    expect(m.uFrom.every((x) => x === -Infinity)).toBe(true);
    const mdb = augmentedMdbLossGradient(m.online, m.target, m.batch, d, 1, m.uFrom, m.uTo);
    expect(mdb.loss).toBeLessThan(1e-9);
    const t = trajectoryCase(plain, LENGTHS);
    const logZ = plain.logF.get(plain.start.key)!;
    expect(augmentedTbLossGradient(t.out, logZ, t.batch, d, t.u).loss).toBeLessThan(1e-9);
    expect(augmentedSubTbLossGradient(t.out, t.batch, d, 0.9, 1, t.u).loss).toBeLessThan(1e-9);
  });

  it('with intrinsic weight 0 they are the plain objectives, loss and gradient, on a policy far from the optimum', () => {
    const rng = new Rng(4);
    const close = (a: OutputGradient, b: OutputGradient): void => {
      expect(a.loss).toBeCloseTo(b.loss, 9);
      expect(a.dLogZ).toBeCloseTo(b.dLogZ, 9);
      for (let k = 0; k < a.dz.length; k++) expect(a.dz[k]).toBeCloseTo(b.dz[k]!, 6);
      for (let k = 0; k < a.dE.length; k += 7) expect(a.dE[k]).toBeCloseTo(b.dE[k]!, 6);
    };
    const m = mdbCase(plain);
    const online = { E: m.online.E.map((v) => v + rng.normal()), z: m.online.z.map((v) => v + rng.normal()) };
    close(augmentedMdbLossGradient(online, m.target, m.batch, d, 1, m.uFrom, m.uTo), mdbLossGradient(online, m.target, m.batch, d, 1));
    const t = trajectoryCase(plain, LENGTHS);
    const out = { E: t.out.E.map((v) => v + rng.normal()), z: t.out.z.map((v) => v + rng.normal()) };
    close(augmentedTbLossGradient(out, 1.5, t.batch, d, t.u), tbLossGradient(out, 1.5, t.batch, d));
    close(augmentedSubTbLossGradient(out, t.batch, d, 0.8, 1, t.u), subTbLossGradient(out, t.batch, d, 0.8, 1));
  });

  it('with intrinsic rewards every augmented loss is 0 at the optimum of the augmented flows, on every transition', () => {
    const m = mdbCase(augmented);
    expect(m.uTo.every(Number.isFinite)).toBe(true);
    expect(augmentedMdbLossGradient(m.online, m.target, m.batch, d, 1, m.uFrom, m.uTo).loss).toBeLessThan(1e-9);
    const t = trajectoryCase(augmented, LENGTHS);
    const logZ = augmented.logF.get(augmented.start.key)!;
    const tb = augmentedTbLossGradient(t.out, logZ, t.batch, d, t.u);
    expect(tb.loss).toBeLessThan(1e-9);
    expect(Math.abs(tb.dLogZ)).toBeLessThan(1e-4);
    expect(augmentedSubTbLossGradient(t.out, t.batch, d, 0.9, 1, t.u).loss).toBeLessThan(1e-9);
  });

  it('and they are not 0 there for the plain optimum (the intrinsic terms are in the loss)', () => {
    const m = mdbCase(augmented);
    const p = mdbCase(plain);
    expect(augmentedMdbLossGradient(p.online, p.target, m.batch, d, 1, m.uFrom, m.uTo).loss).toBeGreaterThan(1e-4);
    const t = trajectoryCase(augmented, LENGTHS);
    const q = trajectoryCase(plain, LENGTHS);
    expect(augmentedTbLossGradient(q.out, augmented.logF.get(augmented.start.key)!, t.batch, d, t.u).loss).toBeGreaterThan(1e-4);
    expect(augmentedSubTbLossGradient(q.out, t.batch, d, 0.9, 1, t.u).loss).toBeGreaterThan(1e-4);
  });

  it('the augmented trajectory-balance and sub-trajectory-balance gradients match finite differences', () => {
    const t = trajectoryCase(augmented, [2, 5, 3]);
    const rng = new Rng(12);
    const E = t.out.E.map((v) => v + rng.normal() * 0.7);
    const z = t.out.z.map((v) => v + rng.normal() * 0.7);
    const u = t.u.map((v) => (Number.isFinite(v) ? Math.max(-3, Math.min(1, v)) : v));
    const losses: Array<(E2: Float32Array, z2: Float32Array) => OutputGradient> = [
      (E2, z2) => augmentedTbLossGradient({ E: E2, z: z2 }, 0.7, t.batch, d, u),
      (E2, z2) => augmentedSubTbLossGradient({ E: E2, z: z2 }, t.batch, d, 0.8, 1, u),
    ];
    const h = 1e-2;
    for (const f of losses) {
      const g = f(E, z);
      for (let b = 0; b < z.length; b++) {
        const up = z.slice();
        const down = z.slice();
        up[b]! += h;
        down[b]! -= h;
        expect(g.dz[b]!).toBeCloseTo((f(E, up).loss - f(E, down).loss) / (2 * h), 2);
      }
      for (const k of [0, 3, 7, 12, 20, 31, 45]) {
        const up = E.slice();
        const down = E.slice();
        up[k]! += h;
        down[k]! -= h;
        expect(g.dE[k]!).toBeCloseTo((f(up, z).loss - f(down, z).loss) / (2 * h), 2);
      }
    }
  });
});
