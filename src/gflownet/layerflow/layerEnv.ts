/**
 * A batch of layer-building environments. A state is (U, L, C, last): the nodes of the closed
 * layers U, the last closed layer L, the layer being built C and the largest node added to
 * it. Actions: add a node v > last that is not placed yet and may join this layer (it has an
 * allowed parent set inside U that meets L; in the first layer, no parents), or close C (when
 * it is not empty). A layer's nodes are added in increasing order, so each layering has
 * exactly one path. When every node is placed and the last layer is closed the state is
 * terminal; a state with no legal action before that (prior knowledge can cause it) is a dead
 * end and its layering has no DAG. Typed arrays only.
 */
import { joinContribution, type LayerProblem } from './layerProblem.ts';

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
    for (let k = 0; k < n; k++) this.reset(k);
  }

  reset(k: number): void {
    const { d, words } = this;
    this.placed.fill(0, k * words, (k + 1) * words);
    this.previous.fill(0, k * words, (k + 1) * words);
    this.current.fill(0, k * words, (k + 1) * words);
    this.last[k] = -1;
    this.placedCount[k] = 0;
    this.layerCount[k] = 0;
    this.layerOf.fill(-1, k * d, (k + 1) * d);
    this.score[k] = 0;
    this.done[k] = 0;
    this.refreshOptions(k);
  }

  private isPlaced(k: number, v: number): boolean {
    return this.layerOf[k * this.d + v]! >= 0;
  }

  /** Contributions of every unplaced node to the layer being built (after a reset or a close). */
  private refreshOptions(k: number): void {
    const { d, words } = this;
    for (let v = 0; v < d; v++) {
      if (this.isPlaced(k, v)) continue;
      this.joining[k * d + v] = joinContribution(this.problem, v, this.placed, k * words, this.previous, k * words);
    }
  }

  /**
   * Each action's contribution into `out` at `at` (d adds: c_v(U, L) − b_v; close: 0), −∞
   * where the action is illegal. Returns the number of legal actions.
   */
  actionContributions(k: number, out: Float64Array, at: number): number {
    const d = this.d;
    const last = this.last[k]!;
    let legal = 0;
    for (let v = 0; v < d; v++) {
      const now = v > last && !this.isPlaced(k, v) ? this.joining[k * d + v]! : -Infinity;
      out[at + v] = now;
      if (now > -Infinity) legal++;
    }
    out[at + d] = last < 0 ? -Infinity : 0;
    return legal + (last < 0 ? 0 : 1);
  }

  /** Applies action a (v < d adds v, d closes the layer). */
  step(k: number, a: number): void {
    const { d, words } = this;
    if (a < d) {
      this.current[k * words + (a >>> 5)]! |= 1 << (a & 31);
      this.score[k]! += this.joining[k * d + a]!;
      this.last[k] = a;
      this.layerOf[k * d + a] = this.layerCount[k]!;
      this.placedCount[k]!++;
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
