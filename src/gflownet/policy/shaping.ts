/**
 * Reward shaping of the edge logits: the network's logit for adding i → j is offset by
 * Δ_ij(s) − log(|E(s)| + 1), the change of log R and the uniform backward term. The optimal
 * policy satisfies log P(s′|s) − log P(stop|s) = Δ_ij − log(|E(s)|+1) + log(F(s′)/R(s′)), so with
 * the offset the network only learns log(F(s′)/R(s′)) ≥ 0 instead of raw score differences of
 * tens to hundreds of nats (DESIGN §5, reward scale), and at initialisation the sampler is
 * already the one-step-greedy one. Family scores come from a per-node cache keyed by the parent
 * bitmask, which is much cheaper than the score model's string keys on this hot path.
 */
import type { EnvConstraints } from '../env/constraints.ts';
import type { StateBatch } from './features.ts';

export interface FamilyReward {
  readonly d: number;
  familyLogReward(node: number, parents: readonly number[]): number;
}

export class RewardShaping {
  private readonly cache: Array<Map<number | string, number>>;
  private readonly parents: number[] = [];

  constructor(
    readonly reward: FamilyReward,
    readonly constraints: EnvConstraints,
  ) {
    this.cache = Array.from({ length: reward.d }, () => new Map());
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

  /** (count·d²) offsets for a batch of states: Δ_ij − log(|E(s)| + 1) where legal, 0 elsewhere. */
  shift(states: StateBatch, out?: Float64Array): Float64Array {
    const d = this.reward.d;
    const dd = d * d;
    const n = states.count;
    const shift = out && out.length >= n * dd ? out.subarray(0, n * dd) : new Float64Array(n * dd);
    shift.fill(0);
    for (let b = 0; b < n; b++) {
      const o = b * dd;
      let edges = 0;
      for (let a = 0; a < dd; a++) edges += states.adjacency[o + a]!;
      const backward = Math.log(edges - this.constraints.requiredCount + 1);
      for (let j = 0; j < d; j++) {
        let any = false;
        for (let i = 0; i < d && !any; i++) any = states.mask[o + i * d + j] === 1;
        if (!any) continue;
        // The parent-set key of j is built once; each candidate parent i sets one more bit.
        if (d <= 31) {
          let base = 0;
          for (let i = 0; i < d; i++) if (states.adjacency[o + i * d + j]) base |= 1 << i;
          const before = this.family(j, base >>> 0);
          for (let i = 0; i < d; i++) if (states.mask[o + i * d + j]) shift[o + i * d + j] = this.family(j, (base | (1 << i)) >>> 0) - before - backward;
        } else {
          const chars: string[] = [];
          for (let i = 0; i < d; i++) chars.push(states.adjacency[o + i * d + j] ? '1' : '0');
          const base = chars.join('');
          const before = this.family(j, base);
          for (let i = 0; i < d; i++) {
            if (states.mask[o + i * d + j]) shift[o + i * d + j] = this.family(j, base.slice(0, i) + '1' + base.slice(i + 1)) - before - backward;
          }
        }
      }
    }
    return shift;
  }
}
