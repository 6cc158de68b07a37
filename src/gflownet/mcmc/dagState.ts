/**
 * A DAG as structure MCMC walks it: adjacency, parent and child bit rows, and — for the
 * neighbourhood correction — its reachability and the full list of legal single-edge moves.
 *
 * A legal move (docs/architecture.md §3) is one of
 *   add i → j     i ≠ j, absent, allowed by prior knowledge, j below the parent bound, and no
 *                 path j ⇝ i (which also excludes an existing j → i);
 *   delete i → j  present and not required;
 *   reverse i → j present, not required, j → i allowed, i below the parent bound, and no
 *                 path i ⇝ j other than the edge itself.
 * The move list is computed into one of two buffers so that a proposal can be analysed
 * without losing the current state's list; accepting swaps the buffers.
 */
import { clearBit, hasBit, listBits, setBit } from './bitset.ts';
import type { ParentMasks } from './rules.ts';

export const MOVE_ADD = 0;
export const MOVE_DELETE = 1;
export const MOVE_REVERSE = 2;
export const STRUCTURE_MOVE_NAMES = ['add', 'delete', 'reverse'] as const;

export function encodeMove(kind: number, i: number, j: number, d: number): number {
  return kind * d * d + i * d + j;
}

export function decodeMove(code: number, d: number): { kind: number; i: number; j: number } {
  const dd = d * d;
  const kind = Math.floor(code / dd);
  const rest = code - kind * dd;
  return { kind, i: Math.floor(rest / d), j: rest % d };
}

/** Reachability and legal moves of one graph. */
export class MoveAnalysis {
  /** Row u (offset u*words): the nodes reachable from u, u included. */
  readonly descendants: Uint32Array;
  readonly moves: Int32Array;
  count = 0;
  readonly countByKind = new Int32Array(3);

  constructor(d: number, words: number) {
    this.descendants = new Uint32Array(d * words);
    // At most one add, delete or reverse per ordered pair of nodes.
    this.moves = new Int32Array(Math.max(1, d * (d - 1)));
  }
}

export class DagState {
  readonly d: number;
  readonly words: number;
  readonly adjacency: Uint8Array;
  readonly parents: Uint32Array;
  readonly children: Uint32Array;
  readonly parentCount: Int32Array;
  edgeCount = 0;
  /** The analysis of the current graph (valid after analyse(); kept in sync by the sampler). */
  current: MoveAnalysis;
  /** Scratch analysis for a proposed graph. */
  spare: MoveAnalysis;
  private readonly order: Int32Array;
  private readonly indegree: Int32Array;
  private readonly scratch: Int32Array;

  constructor(
    readonly masks: ParentMasks,
    start: Uint8Array,
  ) {
    const { d, words } = masks;
    this.d = d;
    this.words = words;
    this.adjacency = new Uint8Array(d * d);
    this.parents = new Uint32Array(d * words);
    this.children = new Uint32Array(d * words);
    this.parentCount = new Int32Array(d);
    this.current = new MoveAnalysis(d, words);
    this.spare = new MoveAnalysis(d, words);
    this.order = new Int32Array(d);
    this.indegree = new Int32Array(d);
    this.scratch = new Int32Array(d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (start[i * d + j]) this.addEdge(i, j);
  }

  addEdge(i: number, j: number): void {
    this.adjacency[i * this.d + j] = 1;
    setBit(this.parents, j * this.words, i);
    setBit(this.children, i * this.words, j);
    this.parentCount[j]!++;
    this.edgeCount++;
  }

  removeEdge(i: number, j: number): void {
    this.adjacency[i * this.d + j] = 0;
    clearBit(this.parents, j * this.words, i);
    clearBit(this.children, i * this.words, j);
    this.parentCount[j]!--;
    this.edgeCount--;
  }

  applyMove(kind: number, i: number, j: number): void {
    if (kind === MOVE_ADD) this.addEdge(i, j);
    else if (kind === MOVE_DELETE) this.removeEdge(i, j);
    else {
      this.removeEdge(i, j);
      this.addEdge(j, i);
    }
  }

  undoMove(kind: number, i: number, j: number): void {
    if (kind === MOVE_ADD) this.removeEdge(i, j);
    else if (kind === MOVE_DELETE) this.addEdge(i, j);
    else {
      this.removeEdge(j, i);
      this.addEdge(i, j);
    }
  }

  /** Replace the parents of j by the given list. */
  setParents(j: number, parents: ArrayLike<number>, count = parents.length): void {
    const n = listBits(this.parents, j * this.words, this.words, this.scratch);
    for (let k = 0; k < n; k++) this.removeEdge(this.scratch[k]!, j);
    for (let k = 0; k < count; k++) this.addEdge(parents[k]!, j);
  }

  /** Parents of j, ascending, into out; returns how many. */
  parentsOf(j: number, out: Int32Array | number[]): number {
    return listBits(this.parents, j * this.words, this.words, out);
  }

  /** Whether the graph is acyclic (Kahn); fills the topological order as a side effect. */
  private topologicalOrder(): boolean {
    const { d, words } = this;
    const indegree = this.indegree;
    indegree.set(this.parentCount);
    let head = 0;
    let tail = 0;
    for (let u = 0; u < d; u++) if (indegree[u] === 0) this.order[tail++] = u;
    const order = this.order;
    const children = this.children;
    while (head < tail) {
      const u = order[head++]!;
      for (let w = 0; w < words; w++) {
        let x = children[u * words + w]!;
        while (x !== 0) {
          const low = x & -x;
          x ^= low;
          const v = (w << 5) + (31 - Math.clz32(low));
          if (--indegree[v]! === 0) order[tail++] = v;
        }
      }
    }
    return tail === d;
  }

  /** Row u of `desc` (offset u*words) := the nodes reachable from u in the graph as it is now, u included. */
  computeDescendants(desc: Uint32Array): void {
    const { d, words } = this;
    if (!this.topologicalOrder()) throw new Error('DagState: the graph has a cycle');
    desc.fill(0);
    for (let t = d - 1; t >= 0; t--) {
      const u = this.order[t]!;
      const row = u * words;
      setBit(desc, row, u);
      for (let w = 0; w < words; w++) {
        let x = this.children[row + w]!;
        while (x !== 0) {
          const low = x & -x;
          const c = (w << 5) + (31 - Math.clz32(low));
          x ^= low;
          const crow = c * words;
          for (let v = 0; v < words; v++) desc[row + v]! |= desc[crow + v]!;
        }
      }
    }
  }

  /** Reachability and legal moves of the graph as it is now, into `target`. */
  analyse(target: MoveAnalysis): void {
    const { d, words, masks } = this;
    const desc = target.descendants;
    this.computeDescendants(desc);
    const moves = target.moves;
    const byKind = target.countByKind;
    byKind.fill(0);
    let n = 0;
    const dd = d * d;
    const K = masks.maxParents;
    for (let j = 0; j < d; j++) {
      const row = j * words;
      if (this.parentCount[j]! < K) {
        for (let w = 0; w < words; w++) {
          // i may become a parent of j when allowed, not already a parent and not reachable from j.
          let x = masks.allowed[row + w]! & ~this.parents[row + w]! & ~desc[row + w]!;
          while (x !== 0) {
            const low = x & -x;
            const i = (w << 5) + (31 - Math.clz32(low));
            x ^= low;
            moves[n++] = i * d + j;
            byKind[MOVE_ADD]!++;
          }
        }
      }
      for (let w = 0; w < words; w++) {
        let x = this.parents[row + w]! & ~masks.required[row + w]!;
        while (x !== 0) {
          const low = x & -x;
          const i = (w << 5) + (31 - Math.clz32(low));
          x ^= low;
          moves[n++] = dd + i * d + j;
          byKind[MOVE_DELETE]!++;
          if (this.canReverse(i, j, desc)) {
            moves[n++] = 2 * dd + i * d + j;
            byKind[MOVE_REVERSE]!++;
          }
        }
      }
    }
    target.count = n;
  }

  /** Reversal of the present, non-required edge i → j is legal (see the file comment). */
  private canReverse(i: number, j: number, desc: Uint32Array): boolean {
    const { words, masks } = this;
    if (!hasBit(masks.allowed, i * words, j)) return false;
    if (this.parentCount[i]! >= masks.maxParents) return false;
    const row = i * words;
    for (let w = 0; w < words; w++) {
      let x = this.children[row + w]!;
      while (x !== 0) {
        const low = x & -x;
        const c = (w << 5) + (31 - Math.clz32(low));
        x ^= low;
        if (c !== j && hasBit(desc, c * words, j)) return false;
      }
    }
    return true;
  }

  /** Accept the graph analysed into `spare` as the current one. */
  swapAnalyses(): void {
    const t = this.current;
    this.current = this.spare;
    this.spare = t;
  }
}
