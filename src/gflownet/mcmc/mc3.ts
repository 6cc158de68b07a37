/**
 * Structure MCMC (MC3; Madigan & York 1995) over DAGs. Each iteration proposes one move
 * uniformly among the legal additions, deletions and reversals of single edges of G and
 * accepts it with probability
 *     min{ 1, R(G′) |N(G)| / ( R(G) |N(G′)| ) },
 * |N| being the number of legal moves. The neighbourhood ratio is what makes the proposal's
 * Hastings correction exact: without it the chain favours graphs with few neighbours.
 * Optionally (with probability p per iteration) a new-edge-reversal move is tried instead.
 *
 * Because |N(G′)| ≥ 1 (the move back is always legal), a proposal whose score change alone
 * is too small, log u ≥ Δ + log |N(G)|, is rejected before G′'s neighbourhood is counted.
 * Edge marginals are accumulated over every iteration by residence time, which costs
 * nothing per iteration.
 */
import type { Rng } from '../core/rng.ts';
import { rngChooser, type Chooser } from './chooser.ts';
import { DagState, MOVE_ADD, MOVE_DELETE, MOVE_REVERSE, STRUCTURE_MOVE_NAMES } from './dagState.ts';
import { NewEdgeReversal, type ReversalProposal } from './newEdgeReversal.ts';
import type { ParentTables } from './parentTables.ts';
import type { ParentMasks } from './rules.ts';
import type { ChainSampler, FamilyScorer, ObservedDag } from './types.ts';

export const NEW_EDGE_REVERSAL = 3;

export interface StructureMcmcOptions {
  /** Starting DAG (adjacency); default the graph of required edges. It must obey the rules. */
  start?: Uint8Array;
  /** Probability per iteration of a new-edge-reversal move (needs `tables` covering the parent bound). */
  newEdgeReversalProbability?: number;
  tables?: ParentTables;
}

/** A proposed single-edge move, applied to the state until it is accepted or undone. */
export interface StructureProposal {
  kind: number;
  i: number;
  j: number;
  /** New family log rewards of j and (reversals) i. */
  newScoreJ: number;
  newScoreI: number;
  delta: number;
}

export class StructureMcmc implements ChainSampler {
  readonly d: number;
  readonly moveKinds: readonly string[];
  readonly proposed: Float64Array;
  readonly accepted: Float64Array;
  readonly state: DagState;
  readonly familyScores: Float64Array;
  logScore = 0;
  private readonly reversal: NewEdgeReversal | null;
  private readonly reversalProbability: number;
  private readonly parentBuffer: number[] = [];
  private readonly smallCache: Map<number, number>[];
  private readonly chooser: { rng: Rng | null; chooser: Chooser | null } = { rng: null, chooser: null };
  // Residence-time edge accounting: iterations so far, per-edge sum of finished stays, start of the current stay.
  private time = 0;
  private readonly edgeSum: Float64Array;
  private readonly since: Float64Array;

  constructor(
    private readonly scorer: FamilyScorer,
    readonly masks: ParentMasks,
    options: StructureMcmcOptions = {},
  ) {
    const d = masks.d;
    this.d = d;
    this.smallCache = Array.from({ length: d }, () => new Map<number, number>());
    const start = options.start ?? requiredAdjacency(masks);
    this.state = new DagState(masks, start);
    this.state.analyse(this.state.current);
    this.familyScores = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      this.familyScores[j] = this.familyScore(j);
      this.logScore += this.familyScores[j]!;
    }
    const p = options.newEdgeReversalProbability ?? 0;
    if (p > 0) {
      if (!options.tables) throw new Error('StructureMcmc: the new-edge-reversal move needs parent-set tables');
      if (options.tables.maxParents < masks.maxParents) {
        throw new Error(
          `StructureMcmc: the parent-set tables stop at ${options.tables.maxParents} parents but the chain allows ${masks.maxParents}`,
        );
      }
      this.reversal = new NewEdgeReversal(this.state, options.tables);
    } else this.reversal = null;
    this.reversalProbability = p;
    this.moveKinds = this.reversal ? [...STRUCTURE_MOVE_NAMES, 'new-edge-reversal'] : [...STRUCTURE_MOVE_NAMES];
    this.proposed = new Float64Array(this.moveKinds.length);
    this.accepted = new Float64Array(this.moveKinds.length);
    this.edgeSum = new Float64Array(d * d);
    this.since = new Float64Array(d * d);
  }

  /**
   * Jump to another graph (used by partition MCMC's DAG move, which borrows one MC3 step).
   * Edge-marginal bookkeeping is not maintained across a reset.
   */
  reset(adjacency: Uint8Array): void {
    const { d } = this;
    const current = this.state.adjacency;
    this.logScore = 0;
    for (let j = 0; j < d; j++) {
      let same = true;
      for (let i = 0; i < d && same; i++) same = current[i * d + j] === adjacency[i * d + j];
      if (!same) {
        for (let i = 0; i < d; i++) {
          const e = i * d + j;
          if (current[e] && !adjacency[e]) this.state.removeEdge(i, j);
          else if (!current[e] && adjacency[e]) this.state.addEdge(i, j);
        }
        this.familyScores[j] = this.familyScore(j);
      }
      this.logScore += this.familyScores[j]!;
    }
    this.state.analyse(this.state.current);
  }

  private familyScore(j: number): number {
    // Up to 32 nodes a parent set is one word: a numeric key is much cheaper than the scorer's own cache.
    const small = this.state.words === 1;
    const key = small ? this.state.parents[j]! : 0;
    if (small) {
      const hit = this.smallCache[j]!.get(key);
      if (hit !== undefined) return hit;
    }
    const n = this.state.parentsOf(j, this.parentBuffer);
    this.parentBuffer.length = n;
    const value = this.scorer.familyLogReward(j, this.parentBuffer);
    if (small) this.smallCache[j]!.set(key, value);
    return value;
  }

  private chooserFor(rng: Rng): Chooser {
    if (this.chooser.rng !== rng) this.chooser.chooser = rngChooser(rng);
    this.chooser.rng = rng;
    return this.chooser.chooser!;
  }

  step(rng: Rng): void {
    if (this.reversal && rng.next() < this.reversalProbability) this.reversalStep(rng);
    else this.structureStep(rng);
    this.time++;
  }

  /** Draws a legal single-edge move and applies it; null when G has no legal move. */
  proposeStructureMove(chooser: Chooser): StructureProposal | null {
    const current = this.state.current;
    if (current.count === 0) return null;
    const code = current.moves[chooser.int(current.count)]!;
    const d = this.d;
    const dd = d * d;
    const kind = Math.floor(code / dd);
    const i = Math.floor((code - kind * dd) / d);
    const j = code % d;
    this.state.applyMove(kind, i, j);
    const newScoreJ = this.familyScore(j);
    let delta = newScoreJ - this.familyScores[j]!;
    let newScoreI = this.familyScores[i]!;
    if (kind === MOVE_REVERSE) {
      newScoreI = this.familyScore(i);
      delta += newScoreI - this.familyScores[i]!;
    }
    return { kind, i, j, newScoreJ, newScoreI, delta };
  }

  /** The full log acceptance ratio of an applied proposal; analyses G′ into the spare buffer. */
  structureLogRatio(p: StructureProposal): number {
    this.state.analyse(this.state.spare);
    return p.delta + Math.log(this.state.current.count) - Math.log(this.state.spare.count);
  }

  private structureStep(rng: Rng): void {
    const p = this.proposeStructureMove(this.chooserFor(rng));
    if (!p) return;
    this.proposed[p.kind]!++;
    const logU = Math.log(rng.next());
    // |N(G′)| ≥ 1, so the ratio is at most Δ + log|N(G)|.
    if (logU >= p.delta + Math.log(this.state.current.count) || logU >= this.structureLogRatio(p)) {
      this.state.undoMove(p.kind, p.i, p.j);
      return;
    }
    this.commitStructure(p);
  }

  /** Makes an applied (and analysed) proposal the current state. */
  commitStructure(p: StructureProposal): void {
    this.state.swapAnalyses();
    this.accepted[p.kind]!++;
    this.familyScores[p.j] = p.newScoreJ;
    this.familyScores[p.i] = p.newScoreI;
    this.logScore += p.delta;
    if (p.kind === MOVE_ADD) this.edgeAppears(p.i, p.j);
    else if (p.kind === MOVE_DELETE) this.edgeDisappears(p.i, p.j);
    else {
      this.edgeDisappears(p.i, p.j);
      this.edgeAppears(p.j, p.i);
    }
  }

  proposeReversal(chooser: Chooser): ReversalProposal | null {
    return this.reversal ? this.reversal.propose(chooser) : null;
  }

  /** log acceptance ratio of an applied new-edge-reversal proposal (target ratio included: it cancels). */
  reversalLogRatio(p: ReversalProposal): number {
    return p.logRatio;
  }

  undoReversal(p: ReversalProposal): void {
    this.reversal!.undo(p);
  }

  private reversalStep(rng: Rng): void {
    this.proposed[NEW_EDGE_REVERSAL]!++;
    const p = this.reversal!.propose(this.chooserFor(rng));
    if (!p) return;
    if (Math.log(rng.next()) >= p.logRatio) {
      this.reversal!.undo(p);
      return;
    }
    this.commitReversal(p);
  }

  commitReversal(p: ReversalProposal): void {
    this.accepted[NEW_EDGE_REVERSAL]!++;
    this.state.analyse(this.state.current);
    const [scoreI, scoreJ] = this.reversal!.newFamilyScores(p);
    this.logScore += scoreI - this.familyScores[p.i]! + scoreJ - this.familyScores[p.j]!;
    this.familyScores[p.i] = scoreI;
    this.familyScores[p.j] = scoreJ;
    const { d } = this;
    const adjacency = this.state.adjacency;
    for (const [node, old] of [
      [p.i, p.oldParentsI],
      [p.j, p.oldParentsJ],
    ] as const) {
      for (const a of old) if (!adjacency[a * d + node]) this.edgeDisappears(a, node);
      for (let a = 0; a < d; a++) if (adjacency[a * d + node] && !old.includes(a)) this.edgeAppears(a, node);
    }
  }

  private edgeAppears(i: number, j: number): void {
    this.since[i * this.d + j] = this.time;
  }

  private edgeDisappears(i: number, j: number): void {
    const e = i * this.d + j;
    this.edgeSum[e]! += this.time - this.since[e]!;
  }

  observe(): ObservedDag {
    return { adjacency: Uint8Array.from(this.state.adjacency), logScore: this.logScore };
  }

  cumulativeEdges(out: Float64Array): number {
    const adjacency = this.state.adjacency;
    for (let e = 0; e < out.length; e++) out[e] = this.edgeSum[e]! + (adjacency[e] ? this.time - this.since[e]! : 0);
    return this.time;
  }

  stateLogScore(): number {
    return this.logScore;
  }
}

/** The adjacency of the required edges (the default start). */
export function requiredAdjacency(masks: ParentMasks): Uint8Array {
  const { d, words } = masks;
  const adjacency = new Uint8Array(d * d);
  for (let j = 0; j < d; j++)
    for (let i = 0; i < d; i++) if ((masks.required[j * words + (i >>> 5)]! >>> (i & 31)) & 1) adjacency[i * d + j] = 1;
  return adjacency;
}
