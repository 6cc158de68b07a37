/**
 * Order MCMC (Friedman & Koller 2003). The state is a node order ≺; its score is
 *     log S(≺) = Σ_j log Σ_{P ⊆ pred≺(j), |P| ≤ K} exp(s_j(P) + f(|P|)),
 * read from the parent-set tables. Moves swap two nodes (any two positions, or two
 * neighbours); both proposals are symmetric, so the acceptance is min{1, S(≺′)/S(≺)}.
 * DAGs are drawn given the order, one parent set per node ∝ its family reward, and the edge
 * marginals are the exact edge probabilities given each visited order, averaged.
 *
 * The target over DAGs is P(G) ∝ R(G) · #{orders compatible with G}: order MCMC is biased
 * toward DAGs that fit many orders (sparse, unchained ones). Partition MCMC removes that.
 */
import type { Rng } from '../core/rng.ts';
import { rngChooser, type Chooser } from './chooser.ts';
import { addCollectedProbabilities, collectCompatible, drawCollected, FamilyScratch, logSumCompatible } from './familySums.ts';
import type { ParentTables } from './parentTables.ts';
import type { ParentMasks } from './rules.ts';
import type { ChainSampler, ObservedDag } from './types.ts';

export const ORDER_MOVE_NAMES = ['swap', 'adjacent-swap'] as const;

export interface OrderMcmcOptions {
  /** Starting order (node at each position); default: tiers, then a topological order of the required edges. */
  start?: Int32Array;
  /** Probability that a move swaps two neighbours rather than any two positions (default 0.5). */
  adjacentProbability?: number;
}

export interface OrderProposal {
  kind: number;
  p: number;
  q: number;
  delta: number;
}

export class OrderMcmc implements ChainSampler {
  readonly d: number;
  readonly moveKinds = ORDER_MOVE_NAMES;
  readonly proposed = new Float64Array(2);
  readonly accepted = new Float64Array(2);
  readonly order: Int32Array;
  readonly nodeScores: Float64Array;
  logScore = 0;
  private readonly words: number;
  /** Row j: the nodes before j in the order. */
  private readonly preds: Uint32Array;
  private readonly newScores: Float64Array;
  private readonly prefix: Uint32Array;
  private readonly scratch: FamilyScratch;
  private readonly adjacentProbability: number;
  private readonly sums: Float64Array;
  private observations = 0;
  private chooser: Chooser | null = null;
  private chooserRng: Rng | null = null;

  constructor(
    readonly tables: ParentTables,
    masks: ParentMasks,
    options: OrderMcmcOptions = {},
  ) {
    const d = tables.d;
    this.d = d;
    this.words = tables.words;
    this.order = Int32Array.from(options.start ?? startOrder(masks));
    this.preds = new Uint32Array(d * this.words);
    this.prefix = new Uint32Array(this.words);
    this.nodeScores = new Float64Array(d);
    this.newScores = new Float64Array(d);
    let largest = 1;
    for (const t of tables.tables) largest = Math.max(largest, t.count);
    this.scratch = new FamilyScratch(largest);
    this.adjacentProbability = options.adjacentProbability ?? 0.5;
    this.sums = new Float64Array(d * d);
    this.rebuildPreds(0, d - 1);
    for (let j = 0; j < d; j++) {
      this.nodeScores[j] = this.score(j);
      this.logScore += this.nodeScores[j]!;
    }
    if (this.logScore === -Infinity) throw new Error('OrderMcmc: the starting order is incompatible with the required edges');
  }

  /** Recomputes the predecessor rows of the nodes at positions p..q. */
  private rebuildPreds(p: number, q: number): void {
    const { words } = this;
    const prefix = this.prefix;
    prefix.fill(0);
    if (p > 0) {
      const before = this.order[p - 1]! * words;
      for (let w = 0; w < words; w++) prefix[w] = this.preds[before + w]!;
      const u = this.order[p - 1]!;
      prefix[u >>> 5]! |= 1 << (u & 31);
    }
    for (let pos = p; pos <= q; pos++) {
      const u = this.order[pos]!;
      for (let w = 0; w < words; w++) this.preds[u * words + w] = prefix[w]!;
      prefix[u >>> 5]! |= 1 << (u & 31);
    }
  }

  private score(j: number): number {
    return logSumCompatible(this.tables.tables[j]!, this.words, this.preds, j * this.words);
  }

  private chooserFor(rng: Rng): Chooser {
    if (this.chooserRng !== rng) {
      this.chooser = rngChooser(rng);
      this.chooserRng = rng;
    }
    return this.chooser!;
  }

  /** Draws and applies a swap; the new node scores wait in `newScores` until commit or undo. */
  propose(chooser: Chooser, adjacent: boolean): OrderProposal | null {
    const d = this.d;
    if (d < 2) return null;
    let p: number;
    let q: number;
    if (adjacent) {
      p = chooser.int(d - 1);
      q = p + 1;
    } else {
      // A uniform unordered pair of positions.
      p = chooser.int(d);
      q = chooser.int(d - 1);
      if (q >= p) q++;
      if (q < p) [p, q] = [q, p];
    }
    const a = this.order[p]!;
    this.order[p] = this.order[q]!;
    this.order[q] = a;
    this.rebuildPreds(p, q);
    let delta = 0;
    for (let pos = p; pos <= q; pos++) {
      const u = this.order[pos]!;
      const s = this.score(u);
      this.newScores[u] = s;
      delta += s - this.nodeScores[u]!;
    }
    if (Number.isNaN(delta)) delta = -Infinity;
    return { kind: adjacent ? 1 : 0, p, q, delta };
  }

  undo(proposal: OrderProposal): void {
    const { p, q } = proposal;
    const a = this.order[p]!;
    this.order[p] = this.order[q]!;
    this.order[q] = a;
    this.rebuildPreds(p, q);
  }

  commit(proposal: OrderProposal): void {
    for (let pos = proposal.p; pos <= proposal.q; pos++) {
      const u = this.order[pos]!;
      this.nodeScores[u] = this.newScores[u]!;
    }
    this.logScore += proposal.delta;
    this.accepted[proposal.kind]!++;
  }

  step(rng: Rng): void {
    const adjacent = rng.next() < this.adjacentProbability;
    const proposal = this.propose(this.chooserFor(rng), adjacent);
    if (!proposal) return;
    this.proposed[proposal.kind]!++;
    if (Math.log(rng.next()) < proposal.delta) this.commit(proposal);
    else this.undo(proposal);
  }

  observe(rng: Rng): ObservedDag {
    const { d, words } = this;
    const chooser = this.chooserFor(rng);
    const adjacency = new Uint8Array(d * d);
    let logScore = 0;
    for (let j = 0; j < d; j++) {
      const table = this.tables.tables[j]!;
      const n = collectCompatible(table, words, this.preds, j * words, null, 0, this.scratch);
      addCollectedProbabilities(this.sums, d, this.tables.maxSize, table, this.scratch, n);
      const k = drawCollected(chooser, this.scratch, n);
      logScore += table.logScores[k]!;
      for (let s = 0; s < table.sizes[k]!; s++) adjacency[table.members[k * this.tables.maxSize + s]! * d + j] = 1;
    }
    this.observations++;
    return { adjacency, logScore };
  }

  cumulativeEdges(out: Float64Array): number {
    out.set(this.sums);
    return this.observations;
  }

  stateLogScore(): number {
    return this.logScore;
  }
}

/**
 * An order every required edge and tier agrees with: nodes by tier (from the allowed matrix:
 * i may precede j unless j → i is required), then Kahn's algorithm on the required edges.
 */
export function startOrder(masks: ParentMasks): Int32Array {
  const { d, rules } = masks;
  const indegree = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (rules.required[i * d + j]) indegree[j]!++;
  // Tier rank: the number of nodes that must come strictly earlier because edges into them are not allowed.
  const rank = new Int32Array(d);
  for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) if (i !== j && !rules.allowed[j * d + i] && rules.allowed[i * d + j]) rank[j]!++;
  const order = new Int32Array(d);
  const placed = new Uint8Array(d);
  for (let pos = 0; pos < d; pos++) {
    let best = -1;
    for (let u = 0; u < d; u++) if (!placed[u] && indegree[u] === 0 && (best < 0 || rank[u]! < rank[best]!)) best = u;
    if (best < 0) throw new Error('startOrder: the required edges contain a cycle');
    placed[best] = 1;
    order[pos] = best;
    for (let v = 0; v < d; v++) if (rules.required[best * d + v]) indegree[v]!--;
  }
  return order;
}
