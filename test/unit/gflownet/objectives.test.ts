import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { logAddExp, logSumExp } from '../../../src/gflownet/core/logmath.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { mdbLossGradient, mdbResidual, tbLossGradient, tbResidual, trajectoryLogBackward } from '../../../src/gflownet/train/objectives.ts';
import { allocateStates } from '../../../src/gflownet/train/replay.ts';
import { subTbLossGradient, type SubTbBatch } from '../../../src/gflownet/train/subTrajectoryBalance.ts';
import { randomModularReward, reachableStates, type ExplicitState } from './helpers.ts';

/**
 * The exact optimal sampler of a d = 4 problem (docs/architecture.md §2): with the uniform backward policy,
 * F(s) = R(s) + Σ_{s′} F(s′)/|E(s′)|, P(stop | s) = R(s)/F(s), P(s′ | s) = F(s′)/(|E(s′)|·F(s)).
 */
function optimalPolicy(d: number, seed: number) {
  const c = buildConstraints(d);
  const reward = randomModularReward(d, seed, 3);
  const levels = reachableStates(c);
  const byKey = new Map<string, ExplicitState>();
  for (const level of levels) for (const s of level) byKey.set(s.key, s);
  const logR = new Map<string, number>();
  const logF = new Map<string, number>();
  const children = (s: ExplicitState): ExplicitState[] => {
    const out: ExplicitState[] = [];
    for (let a = 0; a < d * d; a++) {
      if (!s.mask[a]) continue;
      const adj = s.adj.slice();
      adj[a] = 1;
      out.push(byKey.get(adj.join(''))!);
    }
    return out;
  };
  for (let l = levels.length - 1; l >= 0; l--) {
    for (const s of levels[l]!) {
      logR.set(s.key, reward.logReward(s.adj));
      let f = logR.get(s.key)!;
      for (const t of children(s)) f = logAddExp(f, logF.get(t.key)! - Math.log(t.edges));
      logF.set(s.key, f);
    }
  }
  const logStop = (s: ExplicitState): number => logR.get(s.key)! - logF.get(s.key)!;
  const logMove = (s: ExplicitState, t: ExplicitState): number => logF.get(t.key)! - Math.log(t.edges) - logF.get(s.key)!;
  return { c, reward, levels, byKey, logR, logF, logStop, logMove, children, start: levels[0]![0]! };
}

/** Network outputs that represent the exact policy: E[b,i][j] = log P(i→j | s), E[b,j][d+i] = 0, z = log P(stop) (the softmax normaliser is then 0). */
function encode(p: ReturnType<typeof optimalPolicy>, states: ExplicitState[], d: number): { E: Float32Array; z: Float32Array } {
  const E = new Float32Array(states.length * d * 2 * d);
  const z = new Float32Array(states.length);
  states.forEach((s, b) => {
    const moves: number[] = [];
    for (let a = 0; a < d * d; a++) {
      if (!s.mask[a]) continue;
      const adj = s.adj.slice();
      adj[a] = 1;
      const lp = p.logMove(s, p.byKey.get(adj.join(''))!);
      moves.push(lp);
      E[(b * d + Math.floor(a / d)) * 2 * d + (a % d)] = lp;
    }
    z[b] = moves.length ? p.logStop(s) : 0;
  });
  return { E, z };
}

function batchOf(states: ExplicitState[], d: number) {
  const out = allocateStates(d, states.length);
  out.count = states.length;
  states.forEach((s, b) => {
    out.adjacency.set(s.adj, b * d * d);
    out.closure.set(s.clo, b * d * d);
    out.mask.set(s.mask, b * d * d);
  });
  return out;
}

describe('objectives at the exact optimal policy (d = 4)', () => {
  const d = 4;
  const p = optimalPolicy(d, 5);

  it('the policy is normalised in every state', () => {
    for (const level of p.levels) {
      for (const s of level) {
        const terms = [p.logStop(s), ...p.children(s).map((t) => p.logMove(s, t))];
        expect(Math.abs(logSumExp(terms))).toBeLessThan(1e-12);
      }
    }
  });

  it('the modified-detailed-balance residual is 0 on every transition', () => {
    let transitions = 0;
    let worst = 0;
    for (const level of p.levels) {
      for (const s of level) {
        for (const t of p.children(s)) {
          const r = mdbResidual({
            delta: p.logR.get(t.key)! - p.logR.get(s.key)!,
            removable: s.edges,
            logStop: p.logStop(s),
            logEdge: p.logMove(s, t),
            logStopNext: p.logStop(t),
          });
          worst = Math.max(worst, Math.abs(r));
          transitions++;
        }
      }
    }
    expect(transitions).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-6);
  });

  it('a wrong policy has a non-zero residual (the check can fail)', () => {
    const s = p.start;
    const t = p.children(s)[0]!;
    const r = mdbResidual({
      delta: p.logR.get(t.key)! - p.logR.get(s.key)!,
      removable: 0,
      logStop: p.logStop(s) + 0.1,
      logEdge: p.logMove(s, t),
      logStopNext: p.logStop(t),
    });
    expect(Math.abs(r)).toBeCloseTo(0.1, 9);
  });

  it('the trajectory-balance residual is 0 on every complete trajectory, with log Z = log F(start)', () => {
    const logZ = p.logF.get(p.start.key)!;
    let trajectories = 0;
    let worst = 0;
    const walk = (s: ExplicitState, sumF: number, sumB: number): void => {
      const r = tbResidual({ logZ, sumLogForward: sumF + p.logStop(s), logReward: p.logR.get(s.key)!, sumLogBackward: sumB });
      expect(sumB).toBeCloseTo(trajectoryLogBackward(s.edges), 10);
      worst = Math.max(worst, Math.abs(r));
      trajectories++;
      for (const t of p.children(s)) walk(t, sumF + p.logMove(s, t), sumB - Math.log(t.edges));
    };
    walk(p.start, 0, 0);
    expect(trajectories).toBeGreaterThan(10_000);
    expect(worst).toBeLessThan(1e-6);
  });

  it('the batch losses used in training are 0 when the network outputs encode the optimal policy', () => {
    const from: ExplicitState[] = [];
    const to: ExplicitState[] = [];
    for (const level of p.levels)
      for (const s of level)
        for (const t of p.children(s))
          if ((from.length * 7919) % 13 < 3 || from.length < 64) {
            from.push(s);
            to.push(t);
          }
    const actions = Int32Array.from(from, (s, b) => to[b]!.adj.findIndex((x, a) => x !== s.adj[a]));
    const deltas = Float64Array.from(from, (s, b) => p.logR.get(to[b]!.key)! - p.logR.get(s.key)!);
    const removable = Int32Array.from(from, (s) => s.edges);
    const online = encode(p, from, d);
    const target = encode(p, to, d);
    const mdb = mdbLossGradient(online, target, { states: batchOf(from, d), next: batchOf(to, d), actions, deltas, removable }, d, 1);
    expect(mdb.loss).toBeLessThan(1e-9);
    expect(Math.max(...mdb.dz.map(Math.abs))).toBeLessThan(1e-5);

    // Trajectory balance on a few trajectories that follow the first legal edge until the DAG has k edges.
    const states: ExplicitState[] = [];
    const chosen: number[] = [];
    const trajectory: number[] = [];
    const constant: number[] = [];
    for (let k = 0; k <= 6; k++) {
      let s = p.start;
      for (let step = 0; step < k && p.children(s).length; step++) {
        const t = p.children(s)[(step * 3 + k) % p.children(s).length]!;
        states.push(s);
        chosen.push(t.adj.findIndex((x, a) => x !== s.adj[a]));
        trajectory.push(k);
        s = t;
      }
      states.push(s);
      chosen.push(d * d);
      trajectory.push(k);
      constant.push(-p.logR.get(s.key)! - trajectoryLogBackward(s.edges));
    }
    const out = encode(p, states, d);
    const tb = tbLossGradient(
      out,
      p.logF.get(p.start.key)!,
      {
        states: batchOf(states, d),
        chosen: Int32Array.from(chosen),
        trajectory: Int32Array.from(trajectory),
        trajectories: 7,
        constant: Float64Array.from(constant),
      },
      d,
    );
    expect(tb.loss).toBeLessThan(1e-9);
    const off = tbLossGradient(
      out,
      p.logF.get(p.start.key)! + 0.5,
      {
        states: batchOf(states, d),
        chosen: Int32Array.from(chosen),
        trajectory: Int32Array.from(trajectory),
        trajectories: 7,
        constant: Float64Array.from(constant),
      },
      d,
    );
    expect(off.loss).toBeCloseTo(0.25, 4);
    expect(off.dLogZ).toBeCloseTo(1, 4);
  });
  /** A few trajectories of the optimal problem as a sub-trajectory-balance batch (trajectory k stops after up to k edges). */
  function subTbBatch(lengths: number[]): { batch: SubTbBatch; states: ExplicitState[] } {
    const states: ExplicitState[] = [];
    const chosen: number[] = [];
    const trajectory: number[] = [];
    const deltas: number[] = [];
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
    });
    const batch: SubTbBatch = {
      states: batchOf(states, d),
      chosen: Int32Array.from(chosen),
      trajectory: Int32Array.from(trajectory),
      trajectories: lengths.length,
      deltas: Float64Array.from(deltas),
      removable: Int32Array.from(states, (s) => s.edges),
    };
    return { batch, states };
  }

  it('the sub-trajectory-balance loss is 0 on every segment when the outputs encode the optimal policy, and not otherwise', () => {
    const { batch, states } = subTbBatch([0, 1, 3, 6, 4, 2]);
    const out = encode(p, states, d);
    const exact = subTbLossGradient(out, batch, d, 0.9, 1);
    expect(exact.loss).toBeLessThan(1e-9);
    expect(Math.max(...exact.dz.map(Math.abs))).toBeLessThan(1e-5);
    const wrong = { E: out.E, z: out.z.map((v, b) => (b === 3 ? v + 0.5 : v)) };
    expect(subTbLossGradient(wrong, batch, d, 0.9, 1).loss).toBeGreaterThan(1e-3);
  });

  it('the sub-trajectory-balance gradient matches finite differences of its loss', () => {
    const { batch, states } = subTbBatch([2, 5, 3]);
    const rng = new Rng(11);
    const base = encode(p, states, d);
    const E = base.E.map((v) => v + rng.normal() * 0.7);
    const z = base.z.map((v) => v + rng.normal() * 0.7);
    const g = subTbLossGradient({ E, z }, batch, d, 0.8, 1);
    const h = 1e-3;
    const lossAt = (E2: Float32Array, z2: Float32Array): number => subTbLossGradient({ E: E2, z: z2 }, batch, d, 0.8, 1).loss;
    for (const t of [0, 3, 7, 12, 20, 31]) {
      const up = E.slice();
      const down = E.slice();
      up[t]! += h;
      down[t]! -= h;
      expect(g.dE[t]!).toBeCloseTo((lossAt(up, z) - lossAt(down, z)) / (2 * h), 2);
    }
    for (let b = 0; b < z.length; b++) {
      const up = z.slice();
      const down = z.slice();
      up[b]! += h;
      down[b]! -= h;
      expect(g.dz[b]!).toBeCloseTo((lossAt(E, up) - lossAt(E, down)) / (2 * h), 2);
    }
  });
});
