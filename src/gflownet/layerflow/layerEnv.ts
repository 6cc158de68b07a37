/**
 * A batch of layer-building environments. A state is (U, L, C, last): the nodes of the closed
 * layers U, the last closed layer L, the layer being built C and the largest node added to
 * it. Actions: add a node v > last that is not placed yet and may join this layer (it has an
 * allowed parent set inside U that meets L; in the first layer, no parents), or close C (when
 * it is not empty). A layer's nodes are added in increasing order, so each layering has
 * exactly one path. When every node is placed and the last layer is closed the state is
 * terminal; a state with no legal action before that (prior knowledge can cause it) is a dead
 * end and its layering has no DAG. Typed arrays only.
 *
 * When a node u joins C, the entries that contain u (found through the entry index,
 * layerProblem.ts) and now lie inside U ∪ C are exactly the parent sets that came inside U ∪ C
 * meeting C — the sets a node may take in the next layer if the layer closes now — so each
 * node's next contribution is summed as the layer grows, and closing is legal only when some
 * node could then join (or none is left): a close that would leave a dead end is never offered.
 * (With a candidate-parent space an untrained policy otherwise ended 70 % of its draws in dead
 * ends at d = 50.) A set available to a node is one inside U that meets L. Both tests are bit
 * operations on the entry's parent set and the environment's U ∪ C. An earlier version kept a
 * count of missing members per environment and entry (n·E bytes to reset and update, 26 MB for
 * 512 environments at d = 50); the bit tests made the same draws about 1.3× cheaper.
 */
import type { Chooser } from '../mcmc/chooser.ts';
import type { LayerProblem } from './layerProblem.ts';

/** Below this a sum of precomputed weights has lost too much precision: redo it in log space. */
const UNDERFLOW = 1e-280;

/** Features per state: U, L, C, legal adds, each node's contribution if it joined now (d each), and 3 scalars. */
export function layerFeatureWidth(d: number): number {
  return 5 * d + 3;
}

/** Below this a contribution is shown to the network as this value (it only needs "very unlikely"). */
const CONTRIBUTION_FLOOR = -20;

export class LayerEnvBatch {
  readonly d: number;
  readonly words: number;
  readonly placed: Uint32Array;
  readonly previous: Uint32Array;
  readonly current: Uint32Array;
  readonly last: Int32Array;
  readonly placedCount: Int32Array;
  readonly layerCount: Int32Array;
  /** Layer of each node (n·d), −1 while unplaced. */
  readonly layerOf: Int32Array;
  /** Σ of the contributions c_v − b_v earned so far. */
  readonly score: Float64Array;
  readonly done: Uint8Array;
  /** c_v(U, L) − b_v of every unplaced node for the layer being built (n·d). */
  private readonly joining: Float64Array;
  /** U ∪ C of each environment (n·words bit rows). */
  private readonly reach: Uint32Array;
  /** Per environment and node: Σ weights and count of its entries that came inside U ∪ C while this layer was built (n·d). */
  private readonly pendingSum: Float64Array;
  private readonly pendingCount: Int32Array;
  /** Per environment: unplaced nodes outside C with pendingCount > 0 (nodes that could join the next layer). */
  private readonly pendingNodes: Int32Array;
  /** Per environment and node: its allowed parents not yet in U ∪ C (n·d). */
  private readonly openParents: Int32Array;
  /**
   * Per environment: unplaced nodes outside C that a close now would strand — no set for the
   * next layer and no allowed parent left to wait for, so no later layer could take them.
   */
  private readonly stranded: Int32Array;
  private readonly collected: Int32Array;
  /** Scratch bit row for `collect`. */
  private readonly below: Uint32Array;
  private readonly layerNodes: Int32Array;

  constructor(
    readonly problem: LayerProblem,
    readonly n: number,
  ) {
    const { d, words } = problem;
    this.d = d;
    this.words = words;
    this.placed = new Uint32Array(n * words);
    this.previous = new Uint32Array(n * words);
    this.current = new Uint32Array(n * words);
    this.last = new Int32Array(n);
    this.placedCount = new Int32Array(n);
    this.layerCount = new Int32Array(n);
    this.layerOf = new Int32Array(n * d);
    this.score = new Float64Array(n);
    this.done = new Uint8Array(n);
    this.joining = new Float64Array(n * d);
    const E = problem.index.total;
    this.reach = new Uint32Array(n * words);
    this.pendingSum = new Float64Array(n * d);
    this.pendingCount = new Int32Array(n * d);
    this.pendingNodes = new Int32Array(n);
    this.openParents = new Int32Array(n * d);
    this.stranded = new Int32Array(n);
    this.collected = new Int32Array(E);
    this.below = new Uint32Array(words);
    this.layerNodes = new Int32Array(d);
    for (let k = 0; k < n; k++) this.reset(k);
  }

  reset(k: number): void {
    const { d, words } = this;
    this.placed.fill(0, k * words, (k + 1) * words);
    this.previous.fill(0, k * words, (k + 1) * words);
    this.current.fill(0, k * words, (k + 1) * words);
    this.reach.fill(0, k * words, (k + 1) * words);
    this.last[k] = -1;
    this.placedCount[k] = 0;
    this.layerCount[k] = 0;
    this.layerOf.fill(-1, k * d, (k + 1) * d);
    this.score[k] = 0;
    this.done[k] = 0;
    const index = this.problem.index;
    this.pendingSum.fill(0, k * d, (k + 1) * d);
    this.pendingCount.fill(0, k * d, (k + 1) * d);
    this.pendingNodes[k] = 0;
    this.openParents.set(index.parentCounts, k * d);
    this.stranded[k] = index.parentless; // only the first layer can take them
    // The first layer: no parents at all.
    for (let v = 0; v < d; v++) {
      const e = index.empty[v]!;
      this.joining[k * d + v] = e >= 0 ? index.logScores[e]! - this.problem.baseline[v]! : -Infinity;
    }
  }

  private isPlaced(k: number, v: number): boolean {
    return this.layerOf[k * this.d + v]! >= 0;
  }

  /** Nodes of the bit row at `offset` into layerNodes; returns how many. */
  private nodesOf(rows: Uint32Array, offset: number): number {
    let n = 0;
    for (let v = 0; v < this.d; v++) if ((rows[offset + (v >>> 5)]! >>> (v & 31)) & 1) this.layerNodes[n++] = v;
    return n;
  }

  /**
   * The entries node v may take in environment k's layer being built (inside U, meeting L; the
   * empty set in the first layer) into `collected`; returns how many.
   */
  private collect(k: number, v: number): number {
    const { d, words } = this;
    const index = this.problem.index;
    const sets = index.sets;
    const inL = this.nodesOf(this.previous, k * words);
    if (inL === 0) {
      const e = index.empty[v]!;
      if (e < 0) return 0;
      this.collected[0] = e;
      return 1;
    }
    const row = k * words;
    const below = this.below;
    const outside0 = ~this.placed[row]!;
    const outside1 = words > 1 ? ~this.placed[row + 1]! : 0;
    let n = 0;
    for (let m = 0; m < inL; m++) {
      const u = this.layerNodes[m]!;
      // L's nodes below u: a set meeting L is taken once, through its first member in L.
      for (let w = 0; w < words; w++) {
        const word = this.previous[row + w]!;
        below[w] = w < u >>> 5 ? word : w > u >>> 5 ? 0 : word & ((1 << (u & 31)) - 1);
      }
      const below0 = below[0]!;
      const below1 = words > 1 ? below[1]! : 0;
      for (let t = index.offsets[v * d + u]!; t < index.offsets[v * d + u + 1]!; t++) {
        const e = index.containing[t]!;
        const at = e * words;
        // Inside U (the first two words inline, the rest in a loop), and no member of L below u.
        const s0 = sets[at]!;
        const s1 = words > 1 ? sets[at + 1]! : 0;
        if ((s0 & outside0) !== 0 || (s1 & outside1) !== 0 || (s0 & below0) !== 0 || (s1 & below1) !== 0) continue;
        if (words > 2 && !this.insideFrom(at, this.placed, row, 2)) continue;
        if (words > 2 && !this.noneFrom(at, below, 2)) continue;
        this.collected[n++] = e;
      }
    }
    return n;
  }

  /**
   * Draws node v's parent set given environment k's current layers (∝ its family reward among
   * the sets it may take), writes it into `adjacency` (row = parent) at `at`, adds the exact
   * P(i → v | layering) to `marginals` at `at`, and returns its log family reward.
   */
  drawParents(
    k: number,
    v: number,
    chooser: Chooser,
    adjacency: Uint8Array,
    marginals: Float64Array,
    at: number,
    weights: Float64Array,
  ): number {
    const index = this.problem.index;
    const tables = this.problem.tables;
    const n = this.collect(k, v);
    // The table's precomputed weights (relative to the node's best set), in log space only when they underflow.
    let total = 0;
    for (let m = 0; m < n; m++) total += weights[m] = index.weights[this.collected[m]!]!;
    if (!(total > UNDERFLOW)) {
      let max = -Infinity;
      for (let m = 0; m < n; m++) max = Math.max(max, index.logScores[this.collected[m]!]!);
      total = 0;
      for (let m = 0; m < n; m++) total += weights[m] = Math.exp(index.logScores[this.collected[m]!]! - max);
    }
    const chosen = this.collected[chooser.weighted(weights, n, total)]!;
    const d = this.d;
    const table = tables.tables[v]!;
    for (let m = 0; m < n; m++) {
      const local = this.collected[m]! - index.first[v]!;
      const p = weights[m]! / total;
      for (let s = 0; s < table.sizes[local]!; s++) marginals[at + table.members[local * tables.maxSize + s]! * d + v]! += p;
    }
    const local = chosen - index.first[v]!;
    for (let s = 0; s < table.sizes[local]!; s++) adjacency[at + table.members[local * tables.maxSize + s]! * d + v] = 1;
    return index.logScores[chosen]!;
  }

  /** Whether the entry set at `at` lies inside bit row `row` of `rows`, from word `from` on. */
  private insideFrom(at: number, rows: Uint32Array, row: number, from: number): boolean {
    const sets = this.problem.index.sets;
    for (let w = from; w < this.words; w++) if ((sets[at + w]! & ~rows[row + w]!) !== 0) return false;
    return true;
  }

  /** Whether the entry set at `at` misses every bit of `mask`, from word `from` on. */
  private noneFrom(at: number, mask: Uint32Array, from: number): boolean {
    const sets = this.problem.index.sets;
    for (let w = from; w < this.words; w++) if ((sets[at + w]! & mask[w]!) !== 0) return false;
    return true;
  }

  /** Node u joins environment k's layer (already in its U ∪ C): the entries containing u that now lie inside U ∪ C. */
  private admit(k: number, u: number): void {
    const { d, words } = this;
    const index = this.problem.index;
    const sets = index.sets;
    const row = k * words;
    const outside0 = ~this.reach[row]!;
    const outside1 = words > 1 ? ~this.reach[row + 1]! : 0;
    if (this.pendingCount[k * d + u]! > 0) this.pendingNodes[k]!--;
    else if (this.openParents[k * d + u] === 0) this.stranded[k]!--;
    // Only the nodes whose tables contain u.
    for (let at = index.dependentOffsets[u]!; at < index.dependentOffsets[u + 1]!; at++) {
      const v = index.dependents[at]!;
      if (this.isPlaced(k, v)) continue;
      const end = index.offsets[v * d + u + 1]!;
      const wasStranded = this.pendingCount[k * d + v] === 0 && this.openParents[k * d + v] === 0;
      this.openParents[k * d + v]!--;
      let sum = 0;
      let count = 0;
      for (let t = index.offsets[v * d + u]!; t < end; t++) {
        const e = index.containing[t]!;
        const at = e * words;
        // The first two words inline (d ≤ 64, the usual case), the rest in a loop.
        if ((sets[at]! & outside0) !== 0 || (words > 1 && (sets[at + 1]! & outside1) !== 0)) continue;
        if (words > 2 && !this.insideFrom(at, this.reach, row, 2)) continue;
        sum += index.weights[e]!;
        count++;
      }
      if (count > 0) {
        if (this.pendingCount[k * d + v] === 0) this.pendingNodes[k]!++;
        this.pendingCount[k * d + v]! += count;
        this.pendingSum[k * d + v]! += sum;
      }
      const isStranded = this.pendingCount[k * d + v] === 0 && this.openParents[k * d + v] === 0;
      if (isStranded !== wasStranded) this.stranded[k]! += isStranded ? 1 : -1;
    }
  }

  /** After a close: each remaining node's contribution to the next layer, from what came inside U while the layer was built. */
  private refreshOptions(k: number): void {
    const { d } = this;
    const index = this.problem.index;
    let stranded = 0;
    for (let v = 0; v < d; v++) {
      const count = this.pendingCount[k * d + v]!;
      const sum = this.pendingSum[k * d + v]!;
      this.pendingCount[k * d + v] = 0;
      this.pendingSum[k * d + v] = 0;
      if (this.isPlaced(k, v)) continue;
      const table = this.problem.tables.tables[v]!;
      let value = -Infinity;
      if (count > 0 && sum > UNDERFLOW) value = Math.log(sum) + table.maxLogScore;
      else if (count > 0) {
        // Every such set is far below the node's best: the sum again, in log space.
        const n = this.collect(k, v);
        let max = -Infinity;
        for (let m = 0; m < n; m++) max = Math.max(max, index.logScores[this.collected[m]!]!);
        let s = 0;
        for (let m = 0; m < n; m++) s += Math.exp(index.logScores[this.collected[m]!]! - max);
        value = max + Math.log(s);
      }
      this.joining[k * d + v] = value - this.problem.baseline[v]!;
      if (this.openParents[k * d + v] === 0) stranded++;
    }
    this.pendingNodes[k] = 0;
    this.stranded[k] = stranded;
  }

  /**
   * Each action's contribution into `out` at `at` (d adds: c_v(U, L) − b_v; close: 0), −∞
   * where the action is illegal. Returns the number of legal actions.
   */
  actionContributions(k: number, out: Float64Array, at: number): number {
    const d = this.d;
    const last = this.last[k]!;
    // A node that no later layer can take (no allowed parent left to wait for, no set for the
    // next layer) must join this one, before any node with a larger index; if it cannot, the
    // state is a dead end now rather than later.
    let mustJoin = d;
    for (let v = 0; v < d && this.stranded[k]! > 0; v++) {
      if (this.isPlaced(k, v) || this.openParents[k * d + v]! > 0 || this.pendingCount[k * d + v]! > 0) continue;
      if (v > last && this.joining[k * d + v]! > -Infinity) {
        mustJoin = v;
        break;
      }
      out.fill(-Infinity, at, at + d + 1);
      return 0;
    }
    let legal = 0;
    for (let v = 0; v < d; v++) {
      const now = v > last && v <= mustJoin && !this.isPlaced(k, v) ? this.joining[k * d + v]! : -Infinity;
      out[at + v] = now;
      if (now > -Infinity) legal++;
    }
    // Close: when the layer has a node, and then either every node is placed, or one could join
    // the next layer and none would be stranded.
    const canClose = last >= 0 && (this.placedCount[k] === d || (this.pendingNodes[k]! > 0 && this.stranded[k] === 0));
    out[at + d] = canClose ? 0 : -Infinity;
    return legal + (canClose ? 1 : 0);
  }

  /** Applies action a (v < d adds v, d closes the layer). */
  step(k: number, a: number): void {
    const { d, words } = this;
    if (a < d) {
      this.current[k * words + (a >>> 5)]! |= 1 << (a & 31);
      this.reach[k * words + (a >>> 5)]! |= 1 << (a & 31);
      this.score[k]! += this.joining[k * d + a]!;
      this.last[k] = a;
      this.layerOf[k * d + a] = this.layerCount[k]!;
      this.placedCount[k]!++;
      this.admit(k, a);
      return;
    }
    for (let w = 0; w < words; w++) {
      this.placed[k * words + w]! |= this.current[k * words + w]!;
      this.previous[k * words + w] = this.current[k * words + w]!;
      this.current[k * words + w] = 0;
    }
    this.last[k] = -1;
    this.layerCount[k]!++;
    if (this.placedCount[k] === d) this.done[k] = 1;
    else this.refreshOptions(k);
  }

  /** The features of state k (float32, layerFeatureWidth(d) entries) into `out` at `at`, given its action contributions. */
  features(k: number, contributions: Float64Array, contributionsAt: number, out: Float32Array, at: number): void {
    const { d, words } = this;
    const bit = (rows: Uint32Array, v: number): number => (rows[k * words + (v >>> 5)]! >>> (v & 31)) & 1;
    for (let v = 0; v < d; v++) {
      const c = contributions[contributionsAt + v]!;
      out[at + v] = bit(this.placed, v);
      out[at + d + v] = bit(this.previous, v);
      out[at + 2 * d + v] = bit(this.current, v);
      out[at + 3 * d + v] = c > -Infinity ? 1 : 0;
      out[at + 4 * d + v] = c > -Infinity ? Math.max(c, CONTRIBUTION_FLOOR) / 10 : CONTRIBUTION_FLOOR / 10;
    }
    out[at + 5 * d] = this.placedCount[k]! / d;
    out[at + 5 * d + 1] = this.last[k]! < 0 ? 1 : 0;
    out[at + 5 * d + 2] = this.layerCount[k]! / d;
  }
}
