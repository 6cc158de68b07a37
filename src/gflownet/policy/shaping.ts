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

  /** s_j(P) + f(|P|) for the parents of j in `adj` plus optionally `extra`. */
  private family(adj: Uint8Array, o: number, j: number, extra: number): number {
    const d = this.reward.d;
    let key: number | string;
    if (d <= 31) {
      let m = 0;
      for (let i = 0; i < d; i++) if (adj[o + i * d + j] || i === extra) m |= 1 << i;
      key = m >>> 0;
    } else {
      let s = '';
      for (let i = 0; i < d; i++) s += adj[o + i * d + j] || i === extra ? '1' : '0';
      key = s;
    }
    const table = this.cache[j]!;
    let v = table.get(key);
    if (v === undefined) {
      const ps = this.parents;
      ps.length = 0;
      for (let i = 0; i < d; i++) if (adj[o + i * d + j] || i === extra) ps.push(i);
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
        const base = this.family(states.adjacency, o, j, -1);
        for (let i = 0; i < d; i++) {
          if (states.mask[o + i * d + j]) shift[o + i * d + j] = this.family(states.adjacency, o, j, i) - base - backward;
        }
      }
    }
    return shift;
  }
}
