/**
 * Circular replay buffer of edge-adding transitions s → s + (i→j) (docs/architecture.md §2). Stop
 * transitions are not stored. Each entry keeps the adjacency and the closure of s bit-packed
 * (the masks of s and s′ and the closure of s′ are recomputed from them in O(d²)), the
 * action, Δ log R and the number of removable edges of s.
 */
import type { Rng } from '../core/rng.ts';
import { addEdgeInPlace, refreshMask } from '../env/dagEnv.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import type { StateBatch } from '../policy/features.ts';

export interface MutableStateBatch extends StateBatch {
  count: number;
  readonly adjacency: Uint8Array;
  readonly closure: Uint8Array;
  readonly mask: Uint8Array;
}

export function allocateStates(d: number, capacity: number): MutableStateBatch {
  return {
    count: 0,
    adjacency: new Uint8Array(capacity * d * d),
    closure: new Uint8Array(capacity * d * d),
    mask: new Uint8Array(capacity * d * d),
  };
}

export interface TransitionBatch {
  readonly states: MutableStateBatch;
  readonly next: MutableStateBatch;
  readonly actions: Int32Array;
  readonly deltas: Float64Array;
  readonly removable: Int32Array;
}

export function allocateTransitions(d: number, batch: number): TransitionBatch {
  return {
    states: allocateStates(d, batch),
    next: allocateStates(d, batch),
    actions: new Int32Array(batch),
    deltas: new Float64Array(batch),
    removable: new Int32Array(batch),
  };
}

export interface ReplaySnapshot {
  capacity: number;
  size: number;
  cursor: number;
  bits: Uint32Array;
  actions: Int32Array;
  deltas: Float64Array;
  removable: Int32Array;
}

export class ReplayBuffer {
  readonly words: number;
  private readonly bits: Uint32Array;
  private readonly actions: Int32Array;
  private readonly deltas: Float64Array;
  private readonly removable: Int32Array;
  private cursor = 0;
  private filled = 0;
  private readonly parents: Int32Array;

  constructor(
    readonly d: number,
    readonly capacity: number,
  ) {
    this.words = Math.ceil((d * d) / 32);
    this.bits = new Uint32Array(capacity * 2 * this.words);
    this.actions = new Int32Array(capacity);
    this.deltas = new Float64Array(capacity);
    this.removable = new Int32Array(capacity);
    this.parents = new Int32Array(d);
  }

  get size(): number {
    return this.filled;
  }

  add(adjacency: Uint8Array, closure: Uint8Array, action: number, delta: number, removable: number): void {
    const w = this.words;
    const base = this.cursor * 2 * w;
    pack(adjacency, this.bits, base, w);
    pack(closure, this.bits, base + w, w);
    this.actions[this.cursor] = action;
    this.deltas[this.cursor] = delta;
    this.removable[this.cursor] = removable;
    this.cursor = (this.cursor + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Draws `count` transitions uniformly (with replacement) and decodes them into `out`. */
  sample(rng: Rng, count: number, constraints: EnvConstraints, out: TransitionBatch): void {
    if (this.filled === 0) throw new Error('replay buffer is empty');
    const d = this.d;
    const dd = d * d;
    const w = this.words;
    for (let b = 0; b < count; b++) {
      const e = rng.int(this.filled);
      const base = e * 2 * w;
      const o = b * dd;
      const adj = out.states.adjacency.subarray(o, o + dd);
      const clo = out.states.closure.subarray(o, o + dd);
      unpack(this.bits, base, adj);
      unpack(this.bits, base + w, clo);
      countParents(d, adj, this.parents);
      refreshMask(constraints, adj, clo, out.states.mask.subarray(o, o + dd), this.parents);
      const nAdj = out.next.adjacency.subarray(o, o + dd);
      const nClo = out.next.closure.subarray(o, o + dd);
      nAdj.set(adj);
      nClo.set(clo);
      const action = this.actions[e]!;
      const i = Math.floor(action / d);
      addEdgeInPlace(constraints, nAdj, nClo, out.next.mask.subarray(o, o + dd), this.parents, i, action - i * d);
      out.actions[b] = action;
      out.deltas[b] = this.deltas[e]!;
      out.removable[b] = this.removable[e]!;
    }
    out.states.count = count;
    out.next.count = count;
  }

  snapshot(): ReplaySnapshot {
    return {
      capacity: this.capacity,
      size: this.filled,
      cursor: this.cursor,
      bits: this.bits.slice(),
      actions: this.actions.slice(),
      deltas: this.deltas.slice(),
      removable: this.removable.slice(),
    };
  }

  restore(s: ReplaySnapshot): void {
    if (s.capacity !== this.capacity || s.bits.length !== this.bits.length) throw new Error('replay snapshot does not match this buffer');
    this.bits.set(s.bits);
    this.actions.set(s.actions);
    this.deltas.set(s.deltas);
    this.removable.set(s.removable);
    this.filled = s.size;
    this.cursor = s.cursor;
  }
}

function countParents(d: number, adj: Uint8Array, parents: Int32Array): void {
  parents.fill(0);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) parents[j]! += adj[i * d + j]!;
}

function pack(src: Uint8Array, dst: Uint32Array, base: number, words: number): void {
  for (let w = 0; w < words; w++) {
    let x = 0;
    const start = w * 32;
    const end = Math.min(src.length, start + 32);
    for (let t = start; t < end; t++) if (src[t]) x |= 1 << (t - start);
    dst[base + w] = x >>> 0;
  }
}

function unpack(src: Uint32Array, base: number, dst: Uint8Array): void {
  for (let t = 0; t < dst.length; t++) dst[t] = (src[base + (t >>> 5)]! >>> (t & 31)) & 1;
}
