/**
 * Partition MCMC (Kuipers & Moffa 2017). Every DAG has exactly one labelled ordered partition
 * of its nodes: the first part holds the nodes without parents; removing them, the next part
 * holds the nodes that now have none, and so on. So a node in part k > 0 has all its parents
 * in parts < k and at least one in part k − 1. Summing R over the DAGs of a partition Λ gives
 *     S(Λ) = Π_j Σ_{P ⊆ U(j), P ∩ prev(j) ≠ ∅} exp(s_j(P) + f(|P|))    (first part: P = ∅),
 * U(j) the nodes in earlier parts, prev(j) the previous part. The partitions split the DAGs
 * without overlap, so sampling Λ ∝ S(Λ) and then a DAG given Λ samples P(G | D) exactly —
 * unlike order MCMC, where a DAG is counted once per compatible order.
 *
 * Moves (each satisfies detailed balance on its own; see docs/mcmc.md):
 *  - split/join: join two neighbouring parts, or split a part into a non-empty proper subset
 *    followed by the rest; uniform over all such neighbours, with the neighbourhood ratio
 *    |nbd(Λ)| / |nbd(Λ′)| in the acceptance;
 *  - swap: exchange two nodes in different parts (uniform pair; symmetric);
 *  - move: take one node out and put it into another part or into a new part at any gap
 *    (uniform over the placements; symmetric);
 *  - DAG move (optional, needs the scorer): draw a DAG G given Λ, take one structure-MCMC step
 *    G → G′ (add, delete or reverse an edge, with the neighbourhood correction), and move to
 *    the partition of G′. If Λ ~ P(Λ) then G ~ P(G | D), G′ ~ P(G | D), so its partition is
 *    again ~ P(Λ): the move keeps the target. It lets the chain cross between Markov-
 *    equivalent orientations (a → b to b → a) that shift several nodes between parts at once
 *    and are otherwise reached only through low-scoring partitions.
 */
import type { Rng } from '../core/rng.ts';
import { chooseProperSubset, rngChooser, type Chooser } from './chooser.ts';
import { addCollectedProbabilities, collectCompatible, drawCollected, FamilyScratch, logSumCompatible } from './familySums.ts';
import { startOrder } from './order.ts';
import type { ParentTables } from './parentTables.ts';
import type { ParentMasks } from './rules.ts';
import { StructureMcmc } from './mc3.ts';
import { partitionFromParentRows } from './starts.ts';
import type { ChainSampler, FamilyScorer, ObservedDag } from './types.ts';

export const PARTITION_MOVE_NAMES = ['split-join', 'swap', 'move-node', 'dag-move'] as const;
const SPLIT_JOIN = 0;
const SWAP = 1;
const MOVE_NODE = 2;
const DAG_MOVE = 3;

export interface PartitionMcmcOptions {
  /** Starting partition: part index of every node (parts 0..m−1, none empty). Default: one node per part in a valid order. */
  start?: Int32Array;
  /** Relative weights of split/join, swap and move-node (default 0.3, 0.4, 0.3). */
  moveProbabilities?: readonly [number, number, number];
  /** Enables the DAG move: the family scores for its structure-MCMC step. */
  scorer?: FamilyScorer;
  /** Probability per iteration of the DAG move when a scorer is given (default min(0.8, 4/d)). */
  dagMoveProbability?: number;
}

export interface PartitionProposal {
  kind: number;
  /** log of the target ratio plus the proposal correction. */
  logRatio: number;
}

export class PartitionMcmc implements ChainSampler {
  readonly d: number;
  readonly moveKinds: readonly string[];
  readonly proposed: Float64Array;
  readonly accepted: Float64Array;
  /** Part index of each node. */
  readonly partOf: Int32Array;
  parts = 0;
  readonly nodeScores: Float64Array;
  logScore = 0;
  private readonly words: number;
  /** Row j: nodes in earlier parts / nodes in the previous part (empty for the first part). */
  private readonly before: Uint32Array;
  private readonly previous: Uint32Array;
  private readonly partRows: Uint32Array;
  private readonly prefixRows: Uint32Array;
  private readonly partSize: Int32Array;
  // Saved copies for undo.
  private readonly savedPartOf: Int32Array;
  private savedParts = 0;
  private readonly savedBefore: Uint32Array;
  private readonly savedPrevious: Uint32Array;
  private readonly savedScores: Float64Array;
  private savedLogScore = 0;
  private readonly members: Int32Array;
  private readonly scratch: FamilyScratch;
  private readonly moveProbabilities: readonly [number, number, number];
  private readonly dagMoveProbability: number;
  /** The structure-MCMC sampler the DAG move borrows one step from (bounded like the tables). */
  private readonly dagChain: StructureMcmc | null;
  private readonly drawn: Uint8Array;
  private readonly sums: Float64Array;
  private observations = 0;
  private chooser: Chooser | null = null;
  private chooserRng: Rng | null = null;

  constructor(
    readonly tables: ParentTables,
    masks: ParentMasks,
    options: PartitionMcmcOptions = {},
  ) {
    const d = tables.d;
    const words = tables.words;
    this.d = d;
    this.words = words;
    this.partOf = new Int32Array(d);
    if (options.start) this.partOf.set(options.start);
    else startOrder(masks).forEach((node, pos) => (this.partOf[node] = pos));
    this.parts = 0;
    for (let j = 0; j < d; j++) this.parts = Math.max(this.parts, this.partOf[j]! + 1);
    this.before = new Uint32Array(d * words);
    this.previous = new Uint32Array(d * words);
    this.partRows = new Uint32Array(d * words);
    this.prefixRows = new Uint32Array(d * words);
    this.partSize = new Int32Array(d);
    this.savedPartOf = new Int32Array(d);
    this.savedBefore = new Uint32Array(d * words);
    this.savedPrevious = new Uint32Array(d * words);
    this.savedScores = new Float64Array(d);
    this.nodeScores = new Float64Array(d);
    this.members = new Int32Array(d);
    let largest = 1;
    for (const t of tables.tables) largest = Math.max(largest, t.count);
    this.scratch = new FamilyScratch(largest);
    const weights = options.moveProbabilities ?? [0.3, 0.4, 0.3];
    const sum = weights[0] + weights[1] + weights[2];
    this.moveProbabilities = [weights[0] / sum, weights[1] / sum, weights[2] / sum];
    this.dagChain = options.scorer
      ? new StructureMcmc(options.scorer, { ...masks, maxParents: Math.min(masks.maxParents, tables.maxParents) })
      : null;
    // The DAG move scans every node's table: cheap for small d, so used more there.
    this.dagMoveProbability = this.dagChain ? (options.dagMoveProbability ?? Math.min(0.8, 4 / d)) : 0;
    this.moveKinds = this.dagChain ? [...PARTITION_MOVE_NAMES] : PARTITION_MOVE_NAMES.slice(0, 3);
    this.proposed = new Float64Array(this.moveKinds.length);
    this.accepted = new Float64Array(this.moveKinds.length);
    this.drawn = new Uint8Array(d * d);
    this.sums = new Float64Array(d * d);
    this.rescore(true);
    if (this.logScore === -Infinity) throw new Error('PartitionMcmc: the starting partition is incompatible with the required edges');
  }

  /** Recomputes the rows from partOf and rescoring the nodes whose rows changed (all when `all`). */
  private rescore(all: boolean): void {
    const { d, words } = this;
    const rows = this.partRows;
    rows.fill(0, 0, this.parts * words);
    this.partSize.fill(0);
    for (let j = 0; j < d; j++) {
      const k = this.partOf[j]!;
      rows[k * words + (j >>> 5)]! |= 1 << (j & 31);
      this.partSize[k]!++;
    }
    // prefix row k = the nodes in parts 0..k−1.
    const prefix = this.prefixRows;
    prefix.fill(0, 0, words);
    for (let k = 1; k < this.parts; k++)
      for (let w = 0; w < words; w++) prefix[k * words + w] = prefix[(k - 1) * words + w]! | rows[(k - 1) * words + w]!;
    let total = 0;
    for (let j = 0; j < d; j++) {
      const k = this.partOf[j]!;
      let changed = all;
      for (let w = 0; w < words; w++) {
        const b = prefix[k * words + w]!;
        const p = k > 0 ? rows[(k - 1) * words + w]! : 0;
        if (this.before[j * words + w] !== b || this.previous[j * words + w] !== p) changed = true;
        this.before[j * words + w] = b;
        this.previous[j * words + w] = p;
      }
      if (changed) this.nodeScores[j] = this.score(j);
      total += this.nodeScores[j]!;
    }
    this.logScore = total;
  }

  private score(j: number): number {
    const at = j * this.words;
    const first = this.partOf[j] === 0;
    return logSumCompatible(this.tables.tables[j]!, this.words, this.before, at, first ? null : this.previous, at);
  }

  /** |nbd(Λ)| of the split/join move: m − 1 joins plus 2^k − 2 splits of every part of size k. */
  splitJoinNeighbours(): number {
    let n = this.parts - 1;
    for (let k = 0; k < this.parts; k++) n += 2 ** this.partSize[k]! - 2;
    return n;
  }

  private save(): void {
    this.savedPartOf.set(this.partOf);
    this.savedParts = this.parts;
    this.savedBefore.set(this.before);
    this.savedPrevious.set(this.previous);
    this.savedScores.set(this.nodeScores);
    this.savedLogScore = this.logScore;
  }

  undo(): void {
    this.partOf.set(this.savedPartOf);
    this.parts = this.savedParts;
    this.before.set(this.savedBefore);
    this.previous.set(this.savedPrevious);
    this.nodeScores.set(this.savedScores);
    this.logScore = this.savedLogScore;
    const { d, words } = this;
    this.partRows.fill(0, 0, this.parts * words);
    this.partSize.fill(0);
    for (let j = 0; j < d; j++) {
      const k = this.partOf[j]!;
      this.partRows[k * words + (j >>> 5)]! |= 1 << (j & 31);
      this.partSize[k]!++;
    }
  }

  /** Members of part k, ascending, into this.members; returns how many. */
  private membersOf(k: number): number {
    let n = 0;
    for (let j = 0; j < this.d; j++) if (this.partOf[j] === k) this.members[n++] = j;
    return n;
  }

  /** Applies a move of the given kind (state saved first); returns null when the move has no candidate. */
  propose(chooser: Chooser, kind: number): PartitionProposal | null {
    const before = this.logScore;
    if (kind === SPLIT_JOIN) {
      const nbd = this.splitJoinNeighbours();
      if (nbd === 0) return null;
      this.save();
      this.splitOrJoin(chooser);
      this.rescore(false);
      return { kind, logRatio: this.logScore - before + Math.log(nbd) - Math.log(this.splitJoinNeighbours()) };
    }
    if (kind === SWAP) {
      if (this.parts < 2) return null;
      this.save();
      this.swapNodes(chooser);
      this.rescore(false);
      return { kind, logRatio: this.logScore - before };
    }
    if (kind === DAG_MOVE) return this.dagMove(chooser);
    if (this.d < 2) return null;
    this.save();
    this.moveNode(chooser);
    // Putting the node back where it was is no move at all: not counted.
    if (this.partOf.every((k, j) => k === this.savedPartOf[j])) {
      this.parts = this.savedParts;
      return null;
    }
    this.rescore(false);
    return { kind, logRatio: this.logScore - before };
  }

  /** Draws a DAG given the partition into `out` (and, if asked, adds the exact edge probabilities to the sums); returns its log R. */
  private drawDag(chooser: Chooser, out: Uint8Array, recordEdges: boolean): number {
    const { d, words } = this;
    out.fill(0);
    let logScore = 0;
    for (let j = 0; j < d; j++) {
      const table = this.tables.tables[j]!;
      const at = j * words;
      const need = this.partOf[j] === 0 ? null : this.previous;
      // One scan serves both the exact edge probabilities and the draw.
      const n = collectCompatible(table, words, this.before, at, need, at, this.scratch);
      if (recordEdges) addCollectedProbabilities(this.sums, d, this.tables.maxSize, table, this.scratch, n);
      const k = drawCollected(chooser, this.scratch, n);
      logScore += table.logScores[k]!;
      for (let s = 0; s < table.sizes[k]!; s++) out[table.members[k * this.tables.maxSize + s]! * d + j] = 1;
    }
    return logScore;
  }

  /**
   * The DAG move: G ~ P(G | Λ), one structure-MCMC proposal G → G′ with its acceptance
   * probability, and the partition of G′. Returns a proposal whose ratio is 0 when accepted
   * (the MC3 acceptance already decided) and −∞ when not; the state is then left unchanged.
   */
  private dagMove(chooser: Chooser): PartitionProposal | null {
    const mc3 = this.dagChain!;
    this.drawDag(chooser, this.drawn, false);
    mc3.reset(this.drawn);
    const p = mc3.proposeStructureMove(chooser);
    if (!p) return null;
    const logRatio = mc3.structureLogRatio(p);
    const accept = logRatio >= 0 ? 1 : Math.exp(logRatio);
    // A two-way choice with the acceptance probability, so that tests can enumerate it.
    const weights = new Float64Array([accept, 1 - accept]);
    const take = chooser.weighted(weights, 2, 1) === 0;
    if (!take) {
      mc3.state.undoMove(p.kind, p.i, p.j);
      return { kind: DAG_MOVE, logRatio: -Infinity };
    }
    // Keep the borrowed chain consistent (its family scores are reused by the next reset).
    mc3.commitStructure(p);
    this.save();
    this.parts = partitionFromParentRows(mc3.state.parents, this.d, this.words, this.partOf);
    this.rescore(false);
    return { kind: DAG_MOVE, logRatio: 0 };
  }

  private splitOrJoin(chooser: Chooser): void {
    const m = this.parts;
    // Options 0..m−2: join parts t and t+1; options m−1+k: split part k.
    const weights = new Float64Array(2 * m - 1);
    let total = 0;
    for (let t = 0; t < m - 1; t++) weights[t] = 1;
    for (let k = 0; k < m; k++) weights[m - 1 + k] = 2 ** this.partSize[k]! - 2;
    for (let o = 0; o < weights.length; o++) total += weights[o]!;
    const option = chooser.weighted(weights, weights.length, total);
    if (option < m - 1) {
      for (let j = 0; j < this.d; j++) if (this.partOf[j]! > option) this.partOf[j]!--;
      this.parts--;
      return;
    }
    const k = option - (m - 1);
    const n = this.membersOf(k);
    // A non-empty proper subset (bits of `subset` over the members) stays in part k; the rest follows in part k+1.
    const stays = chooseProperSubset(chooser, n);
    for (let j = 0; j < this.d; j++) if (this.partOf[j]! > k) this.partOf[j]!++;
    for (let b = 0; b < n; b++) if (!stays[b]) this.partOf[this.members[b]!] = k + 1;
    this.parts++;
  }

  private swapNodes(chooser: Chooser): void {
    const d = this.d;
    // First node ∝ (d − size of its part), second uniform outside its part: every unordered pair in different parts is equally likely.
    const weights = new Float64Array(d);
    let total = 0;
    for (let j = 0; j < d; j++) {
      weights[j] = d - this.partSize[this.partOf[j]!]!;
      total += weights[j]!;
    }
    const u = chooser.weighted(weights, d, total);
    let r = chooser.int(d - this.partSize[this.partOf[u]!]!);
    let v = -1;
    for (let j = 0; j < d; j++) {
      if (this.partOf[j] === this.partOf[u]) continue;
      if (r-- === 0) {
        v = j;
        break;
      }
    }
    const pu = this.partOf[u]!;
    this.partOf[u] = this.partOf[v]!;
    this.partOf[v] = pu;
  }

  private moveNode(chooser: Chooser): void {
    const v = chooser.int(this.d);
    const from = this.partOf[v]!;
    let m = this.parts;
    if (this.partSize[from] === 1) {
      for (let j = 0; j < this.d; j++) if (this.partOf[j]! > from) this.partOf[j]!--;
      m--;
    }
    // m parts remain; placements 0..m−1 join a part, m..2m insert a new part at gap (placement − m).
    const placement = chooser.int(2 * m + 1);
    if (placement < m) {
      this.partOf[v] = placement;
    } else {
      const gap = placement - m;
      for (let j = 0; j < this.d; j++) if (j !== v && this.partOf[j]! >= gap) this.partOf[j]!++;
      this.partOf[v] = gap;
      m++;
    }
    this.parts = m;
  }

  private chooserFor(rng: Rng): Chooser {
    if (this.chooserRng !== rng) {
      this.chooser = rngChooser(rng);
      this.chooserRng = rng;
    }
    return this.chooser!;
  }

  step(rng: Rng): void {
    let kind: number;
    if (this.dagMoveProbability > 0 && rng.next() < this.dagMoveProbability) kind = DAG_MOVE;
    else {
      const u = rng.next();
      const [a, b] = this.moveProbabilities;
      kind = u < a ? SPLIT_JOIN : u < a + b ? SWAP : MOVE_NODE;
    }
    const proposal = this.propose(this.chooserFor(rng), kind);
    if (!proposal) return;
    this.proposed[kind]!++;
    if (kind === DAG_MOVE) {
      if (proposal.logRatio === 0) this.accepted[kind]!++;
      return;
    }
    if (Math.log(rng.next()) < proposal.logRatio) this.accepted[kind]!++;
    else this.undo();
  }

  observe(rng: Rng): ObservedDag {
    const adjacency = new Uint8Array(this.d * this.d);
    const logScore = this.drawDag(this.chooserFor(rng), adjacency, true);
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
