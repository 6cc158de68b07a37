/**
 * Reward shaping of the edge logits. The optimal policy satisfies
 *   log P(s+e | s) − log P(stop | s) = log F(s+e) − log R(s) − log(|E(s)| + 1),
 * so the network's logit for adding e = i → j is offset by B(s+e) − log R(s) − log(|E(s)|+1)
 * for a baseline B of the child's log-flow, and the network only learns log F(s+e) − B(s+e).
 *
 * - `delta` baseline, B = log R: the offset is Δ_ij − log(|E|+1), and the network learns
 *   log(F/R) ≥ 0. Good when the posterior sits on sparse graphs near where the sampler stops.
 * - `superset` baseline (default up to SUPERSET_MAX_D nodes), B(s) = Σ_j ψ_j(Pa_j(s)) with
 *   ψ_j(P) = log Σ_{Q ⊇ P} exp(s_j(Q) + f(|Q|)) over the parent sets node j may still reach
 *   (forbidden parents and the parent bound respected, acyclicity ignored). That is log F of the
 *   same problem without the acyclicity constraint, an upper bound (up to the path-count
 *   factor) of the true log-flow, so it is exact for sparse posteriors and, unlike log R, it does
 *   not put score differences of hundreds of nats (raw data, n ≥ 500) into the offsets when the
 *   posterior sits on dense graphs — there B hardly changes from state to state and the network
 *   only learns the few nats of log F − B. The offset is then C(s) + ψ_j(P ∪ i) − ψ_j(P) −
 *   log(|E|+1) with the per-state gap C(s) = Σ_k [ψ_k(Pa_k) − s_k(Pa_k) − f(|Pa_k|)] ≥ 0.
 *
 * Either way the sampler at initialisation is already a sensible one (one-step greedy, or the
 * exact sampler of the relaxed problem). Family scores come from a per-node cache keyed by the
 * parent bitmask, which is much cheaper than the score model's string keys on this hot path.
 */
import { logAddExp } from '../core/logmath.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import type { StateBatch } from './features.ts';

export interface FamilyReward {
  readonly d: number;
  familyLogReward(node: number, parents: readonly number[]): number;
}

export type ShapingBaseline = 'delta' | 'superset';

/** Above this many nodes the superset tables (d·2^d entries) are too large: `delta` is used. */
export const SUPERSET_MAX_D = 12;

/** The baseline a run uses: `superset` where its tables fit, otherwise `delta`. */
export function shapingBaselineFor(d: number, requested: ShapingBaseline): ShapingBaseline {
  return requested === 'superset' && d <= SUPERSET_MAX_D ? 'superset' : 'delta';
}

/** The shaping settings of a run (TrainConfig); runs saved before the superset baseline existed used `delta`. */
export interface ShapingChoice {
  readonly rewardShaping: boolean;
  readonly shapingBaseline?: ShapingBaseline;
}

/** The shaping a policy was trained with, rebuilt for training, sampling and evaluation alike. */
export function createShaping(choice: ShapingChoice, reward: FamilyReward, constraints: EnvConstraints): RewardShaping | undefined {
  return choice.rewardShaping ? new RewardShaping(reward, constraints, choice.shapingBaseline ?? 'delta') : undefined;
}

/** Each node's parents in the d×d state at offset o, as bitmasks (d ≤ 31), into `out`. */
function parentMasks(d: number, adjacency: Uint8Array, o: number, out: Int32Array): Int32Array {
  out.fill(0);
  for (let i = 0; i < d; i++) {
    const row = o + i * d;
    for (let j = 0; j < d; j++) if (adjacency[row + j]) out[j]! |= 1 << i;
  }
  return out;
}

export class RewardShaping {
  private readonly cache: Array<Map<number | string, number>>;
  private readonly parents: number[] = [];
  /** Parent bitmasks of the state being shifted (d ≤ 31). */
  private readonly masks: Int32Array;
  /** ψ_j over parent bitmasks (superset baseline), built on first use. */
  private readonly supersets: Array<Float64Array | undefined>;
  readonly baseline: ShapingBaseline;

  constructor(
    readonly reward: FamilyReward,
    readonly constraints: EnvConstraints,
    baseline: ShapingBaseline = 'delta',
  ) {
    this.cache = Array.from({ length: reward.d }, () => new Map());
    this.baseline = shapingBaselineFor(reward.d, baseline);
    this.supersets = new Array(reward.d).fill(undefined);
    this.masks = new Int32Array(reward.d);
  }

  /** ψ_j for every parent bitmask of j: the log-sum of family rewards over its allowed supersets. */
  private supersetTable(j: number): Float64Array {
    let table = this.supersets[j];
    if (table) return table;
    const d = this.reward.d;
    const { allowed, maxParents } = this.constraints;
    let allowedMask = 0;
    for (let i = 0; i < d; i++) if (allowed[i * d + j]) allowedMask |= 1 << i;
    const size = 1 << d;
    table = new Float64Array(size).fill(-Infinity);
    for (let m = 0; m < size; m++) {
      if ((m & ~allowedMask) !== 0) continue;
      let bits = 0;
      for (let x = m; x !== 0; x &= x - 1) bits++;
      if (bits <= maxParents) table[m] = this.family(j, m);
    }
    // Upward zeta transform in log space: table[m] ← log Σ_{q ⊇ m} exp(table[q]).
    for (let i = 0; i < d; i++) {
      const bit = 1 << i;
      if (!(allowedMask & bit)) continue;
      for (let m = 0; m < size; m++) if (!(m & bit) && table[m | bit]! > -Infinity) table[m] = logAddExp(table[m]!, table[m | bit]!);
    }
    this.supersets[j] = table;
    return table;
  }

  /** s_j(P) + f(|P|) for the parent set P given by `key` (a bitmask, or a 0/1 string beyond 31 nodes). */
  private family(j: number, key: number | string): number {
    const table = this.cache[j]!;
    let v = table.get(key);
    if (v === undefined) {
      const d = this.reward.d;
      const ps = this.parents;
      ps.length = 0;
      if (typeof key === 'number') {
        for (let i = 0; i < d; i++) if ((key >>> i) & 1) ps.push(i);
      } else {
        for (let i = 0; i < d; i++) if (key.charCodeAt(i) === 49) ps.push(i);
      }
      v = this.reward.familyLogReward(j, ps);
      table.set(key, v);
    }
    return v;
  }

  /** C(s) = Σ_k ψ_k(Pa_k) − s_k(Pa_k) − f(|Pa_k|) for the state at offset o (superset baseline, d ≤ SUPERSET_MAX_D). */
  supersetGap(adjacency: Uint8Array, o: number): number {
    return this.gapOf(parentMasks(this.reward.d, adjacency, o, this.masks));
  }

  private gapOf(masks: Int32Array): number {
    let gap = 0;
    for (let k = 0; k < masks.length; k++) gap += this.supersetTable(k)[masks[k]!]! - this.family(k, masks[k]!);
    return gap;
  }

  /**
   * (count·d²) offsets for a batch of states, 0 where an edge is not legal: B(s+e) − log R(s) −
   * log(|E(s)| + 1) with the run's baseline B (for `delta`, Δ_ij − log(|E(s)| + 1)).
   */
  shift(states: StateBatch, out?: Float64Array): Float64Array {
    const d = this.reward.d;
    const dd = d * d;
    const n = states.count;
    const shift = out && out.length >= n * dd ? out.subarray(0, n * dd) : new Float64Array(n * dd);
    shift.fill(0);
    const superset = this.baseline === 'superset';
    for (let b = 0; b < n; b++) {
      const o = b * dd;
      let edges = 0;
      for (let a = 0; a < dd; a++) edges += states.adjacency[o + a]!;
      const backward = Math.log(edges - this.constraints.requiredCount + 1);
      // Parent sets as bitmasks, built once per state for the gap and every column (d ≤ 31).
      const masks = d <= 31 ? parentMasks(d, states.adjacency, o, this.masks) : undefined;
      const gap = superset ? this.gapOf(masks!) : 0;
      for (let j = 0; j < d; j++) {
        let any = false;
        for (let i = 0; i < d && !any; i++) any = states.mask[o + i * d + j] === 1;
        if (!any) continue;
        // The parent-set key of j is built once; each candidate parent i sets one more bit.
        if (masks) {
          const base = masks[j]!;
          if (superset) {
            const psi = this.supersetTable(j);
            const before = gap - psi[base]! - backward;
            for (let i = 0; i < d; i++) if (states.mask[o + i * d + j]) shift[o + i * d + j] = psi[base | (1 << i)]! + before;
          } else {
            const before = this.family(j, base >>> 0);
            for (let i = 0; i < d; i++)
              if (states.mask[o + i * d + j]) shift[o + i * d + j] = this.family(j, (base | (1 << i)) >>> 0) - before - backward;
          }
        } else {
          const chars: string[] = [];
          for (let i = 0; i < d; i++) chars.push(states.adjacency[o + i * d + j] ? '1' : '0');
          const base = chars.join('');
          const before = this.family(j, base);
          for (let i = 0; i < d; i++) {
            if (states.mask[o + i * d + j])
              shift[o + i * d + j] = this.family(j, base.slice(0, i) + '1' + base.slice(i + 1)) - before - backward;
          }
        }
      }
    }
    return shift;
  }
}
