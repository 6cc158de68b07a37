/**
 * Completed trajectories for trajectory balance: a ring of recent (action sequence, log R)
 * records, and their flattening into one batch of states for a single forward pass.
 */
import type { Rng } from '../core/rng.ts';
import { addEdgeInPlace, closureOf, refreshMask } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import { allocateStates } from './replay.ts';
import { trajectoryLogBackward, type TbBatch } from './objectives.ts';
import type { SubTbBatch } from './subTrajectoryBalance.ts';

export interface TrajectoryRecord {
  /** Edge additions in order (the final stop is implied). */
  actions: Int32Array;
  logReward: number;
  /** Removable edges of the final DAG. */
  removable: number;
  /** Δ log R of each addition (sub-trajectory balance needs the reward along the way). */
  deltas?: Float64Array;
}

export class TrajectoryPool {
  private items: TrajectoryRecord[] = [];
  private cursor = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  add(t: TrajectoryRecord): void {
    if (this.items.length < this.capacity) this.items.push(t);
    else this.items[this.cursor] = t;
    this.cursor = (this.cursor + 1) % this.capacity;
  }

  /** The ring in storage order and its cursor (sampling indexes the ring directly). */
  snapshot(): { records: TrajectoryRecord[]; cursor: number } {
    return {
      records: this.items.map((t) => ({ ...t, actions: t.actions.slice(), ...(t.deltas ? { deltas: t.deltas.slice() } : {}) })),
      cursor: this.cursor,
    };
  }

  restore(s: { records: TrajectoryRecord[]; cursor: number }): void {
    this.items = s.records.map((r) => ({
      ...r,
      actions: Int32Array.from(r.actions),
      ...(r.deltas ? { deltas: Float64Array.from(r.deltas) } : {}),
    }));
    this.cursor = s.cursor;
  }

  /** Draws `count` trajectories uniformly and replays them into one batch of states. */
  sampleFlattened(rng: Rng, count: number, c: EnvConstraints): TbBatch & SubTbBatch {
    const picked: TrajectoryRecord[] = [];
    for (let n = 0; n < count; n++) picked.push(this.items[rng.int(this.items.length)]!);
    const d = c.d;
    const dd = d * d;
    const total = picked.reduce((s, t) => s + t.actions.length + 1, 0);
    const states = allocateStates(d, total);
    states.count = total;
    const chosen = new Int32Array(total);
    const trajectory = new Int32Array(total);
    const deltas = new Float64Array(total);
    const removable = new Int32Array(total);
    const constant = new Float64Array(count);
    const start = c.required.slice();
    const startClosure = new Uint8Array(dd);
    const parents = new Int32Array(d);
    closureOf(d, start, startClosure, parents);
    let row = 0;
    for (const [n, t] of picked.entries()) {
      const adj = start.slice();
      const clo = startClosure.slice();
      const mask = new Uint8Array(dd);
      closureOf(d, adj, clo, parents);
      refreshMask(c, adj, clo, mask, parents);
      for (let step = 0; step <= t.actions.length; step++) {
        states.adjacency.set(adj, row * dd);
        states.closure.set(clo, row * dd);
        states.mask.set(mask, row * dd);
        trajectory[row] = n;
        removable[row] = step;
        if (step === t.actions.length) {
          chosen[row] = dd;
        } else {
          const a = t.actions[step]!;
          chosen[row] = a;
          deltas[row] = t.deltas ? t.deltas[step]! : NaN;
          const i = Math.floor(a / d);
          addEdgeInPlace(c, adj, clo, mask, parents, i, a - i * d);
        }
        row++;
      }
      constant[n] = -t.logReward - trajectoryLogBackward(t.removable);
    }
    return { states, chosen, trajectory, trajectories: count, constant, deltas, removable };
  }
}
