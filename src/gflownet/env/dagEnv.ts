/**
 * A batch of DAG-building environments in typed arrays (docs/architecture.md §2). Each environment holds
 * its adjacency A, the reflexive closure C of the transposed graph (C[a][b] = 1 iff a path
 * b ⇝ a exists) and the mask of legal additions; adding u → v updates C with a rank-one
 * boolean OR in O(d²), so a cycle can never be built and no cycle check is ever run.
 */
import type { EnvConstraints } from './constraints.ts';

/** What the environment needs from the reward: the change of log R when one edge is added. */
export interface EdgeReward {
  readonly d: number;
  /** log R(A + i→j) − log R(A); `adjacency` is one d×d state (row = parent). */
  deltaLogReward(adjacency: Uint8Array, i: number, j: number): number;
  logReward(adjacency: Uint8Array): number;
  /** s_j(P) + f(|P|), parents ascending. */
  familyLogReward(node: number, parents: readonly number[]): number;
}

/** Adds u → v to one state given as d×d views; updates closure, parent counts and the mask. */
export function addEdgeInPlace(
  c: EnvConstraints,
  adj: Uint8Array,
  clo: Uint8Array,
  mask: Uint8Array,
  parents: Int32Array,
  u: number,
  v: number,
): void {
  const d = c.d;
  adj[u * d + v] = 1;
  parents[v]!++;
  // New paths k ⇝ m exist when k ⇝ u and v ⇝ m: C[m][k] |= C[m][v] & C[u][k].
  const rowU = u * d;
  for (let m = 0; m < d; m++) {
    if (!clo[m * d + v]) continue;
    const rowM = m * d;
    for (let k = 0; k < d; k++) if (clo[rowU + k]) clo[rowM + k] = 1;
  }
  refreshMask(c, adj, clo, mask, parents);
}

/** mask = allowed ∧ ¬A ∧ ¬C ∧ (parents of the child below the bound); returns the legal count. */
export function refreshMask(c: EnvConstraints, adj: Uint8Array, clo: Uint8Array, mask: Uint8Array, parents: Int32Array): number {
  const d = c.d;
  let legal = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      const ok = c.allowed[k]! & (1 - adj[k]!) & (1 - clo[k]!) & (parents[j]! < c.maxParents ? 1 : 0);
      mask[k] = ok;
      legal += ok;
    }
  }
  return legal;
}

/** Closure and parent counts of an arbitrary DAG from scratch (replay, push-forward, tests). */
export function closureOf(d: number, adj: Uint8Array, clo: Uint8Array, parents: Int32Array): void {
  clo.fill(0);
  parents.fill(0);
  for (let a = 0; a < d; a++) clo[a * d + a] = 1;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (adj[i * d + j]) parents[j]!++;
  // Reachability by a DFS from every node over parents: C[a][b] = 1 iff b ⇝ a.
  const stack: number[] = [];
  for (let a = 0; a < d; a++) {
    stack.push(a);
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (let p = 0; p < d; p++) {
        if (adj[p * d + x] && !clo[a * d + p]) {
          clo[a * d + p] = 1;
          stack.push(p);
        }
      }
    }
  }
}

export class DagEnvBatch {
  readonly n: number;
  readonly d: number;
  readonly dd: number;
  readonly adjacency: Uint8Array;
  readonly closure: Uint8Array;
  readonly mask: Uint8Array;
  readonly parentCount: Int32Array;
  readonly edgeCount: Int32Array;
  readonly legalCount: Int32Array;
  /** Running log R of each state (float64), kept incrementally from the deltas. */
  readonly logReward: Float64Array;
  private readonly start: { adj: Uint8Array; clo: Uint8Array; mask: Uint8Array; parents: Int32Array; legal: number; logReward: number };

  constructor(
    readonly constraints: EnvConstraints,
    readonly reward: EdgeReward,
    n: number,
  ) {
    const d = constraints.d;
    this.n = n;
    this.d = d;
    this.dd = d * d;
    this.adjacency = new Uint8Array(n * this.dd);
    this.closure = new Uint8Array(n * this.dd);
    this.mask = new Uint8Array(n * this.dd);
    this.parentCount = new Int32Array(n * d);
    this.edgeCount = new Int32Array(n);
    this.legalCount = new Int32Array(n);
    this.logReward = new Float64Array(n);
    const adj = constraints.required.slice();
    const clo = new Uint8Array(this.dd);
    const parents = new Int32Array(d);
    closureOf(d, adj, clo, parents);
    const mask = new Uint8Array(this.dd);
    const legal = refreshMask(constraints, adj, clo, mask, parents);
    this.start = { adj, clo, mask, parents, legal, logReward: reward.logReward(adj) };
    for (let k = 0; k < n; k++) this.reset(k);
  }

  /** Number of environments (so a batch of environments is also a StateBatch for the policy). */
  get count(): number {
    return this.n;
  }

  /** Puts environment k back to the start state (the required edges). */
  reset(k: number): void {
    const o = k * this.dd;
    this.adjacency.set(this.start.adj, o);
    this.closure.set(this.start.clo, o);
    this.mask.set(this.start.mask, o);
    this.parentCount.set(this.start.parents, k * this.d);
    this.edgeCount[k] = this.constraints.requiredCount;
    this.legalCount[k] = this.start.legal;
    this.logReward[k] = this.start.logReward;
  }

  adjacencyOf(k: number): Uint8Array {
    return this.adjacency.subarray(k * this.dd, (k + 1) * this.dd);
  }

  /** Edges that a uniform backward policy may remove (all but the required ones). */
  removableCount(k: number): number {
    return this.edgeCount[k]! - this.constraints.requiredCount;
  }

  isLegal(k: number, action: number): boolean {
    return action === this.dd || (action >= 0 && action < this.dd && this.mask[k * this.dd + action] === 1);
  }

  /**
   * Adds edge `action` = i·d + j to environment k and returns Δ log R. The caller must pass a
   * legal action; stop (action = d²) is handled by the caller (it does not change the state).
   * `knownDelta` skips the score lookup when the caller already has Δ.
   */
  addEdge(k: number, action: number, knownDelta?: number): number {
    const d = this.d;
    const i = Math.floor(action / d);
    const j = action - i * d;
    const o = k * this.dd;
    if (this.mask[o + action] !== 1) throw new Error(`illegal action ${i} → ${j} in environment ${k}`);
    const adj = this.adjacency.subarray(o, o + this.dd);
    const delta = knownDelta ?? this.reward.deltaLogReward(adj, i, j);
    addEdgeInPlace(
      this.constraints,
      adj,
      this.closure.subarray(o, o + this.dd),
      this.mask.subarray(o, o + this.dd),
      this.parentCount.subarray(k * d, (k + 1) * d),
      i,
      j,
    );
    this.edgeCount[k]!++;
    let legal = 0;
    for (let t = o; t < o + this.dd; t++) legal += this.mask[t]!;
    this.legalCount[k] = legal;
    this.logReward[k]! += delta;
    return delta;
  }

  /** A uniformly random legal action (stop included) for environment k. */
  randomAction(k: number, u: number): number {
    const m = this.legalCount[k]!;
    let r = Math.floor(u * (m + 1));
    if (r >= m) return this.dd;
    const o = k * this.dd;
    for (let a = 0; a < this.dd; a++) {
      if (this.mask[o + a] && r-- === 0) return a;
    }
    return this.dd;
  }
}
