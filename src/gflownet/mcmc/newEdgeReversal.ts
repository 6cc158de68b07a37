/**
 * The new-edge-reversal move of Grzegorczyk & Husmeier (2008) for structure MCMC. It reverses
 * an edge i → j and, at the same time, redraws the parent sets of both nodes from their
 * conditional distributions, so that a reversal that only makes sense together with other
 * changes of i's and j's parents is proposed in one step:
 *
 *  1. pick an edge i → j uniformly among the N_E(G) reversible ones (not required, j → i allowed);
 *  2. G0 = G without the parents of i and of j;
 *  3. draw i's new parents among the sets containing j that keep G0 acyclic,
 *     ∝ exp(s_i(P) + f(|P|)); normaliser Z*(i | G0, j); the graph is now G⊕;
 *  4. draw j's new parents among the sets that keep G⊕ acyclic; normaliser Z(j | G⊕); → G'.
 *
 * The reverse move picks j → i in G' and must redraw the old sets; with G'⊕ = G0 plus j's old
 * parents, the Metropolis–Hastings ratio becomes (the scores cancel)
 *   N_E(G) Z*(i | G0, j) Z(j | G⊕)  /  ( N_E(G') Z*(j | G0, i) Z(i | G'⊕) ).
 * The parent-set tables must cover the chain's whole parent bound, or the reverse move
 * could not propose the old sets.
 */
import type { Chooser } from './chooser.ts';
import type { DagState } from './dagState.ts';
import { drawCompatible, FamilyScratch, logSumCompatible } from './familySums.ts';
import type { ParentTables } from './parentTables.ts';

export interface ReversalProposal {
  i: number;
  j: number;
  oldParentsI: number[];
  oldParentsJ: number[];
  /** Table entries of the new parent sets. */
  entryI: number;
  entryJ: number;
  logRatio: number;
}

export class NewEdgeReversal {
  private readonly desc: Uint32Array;
  private readonly forbiddenRow: Uint32Array;
  private readonly needRow: Uint32Array;
  private readonly scratch: FamilyScratch;
  private readonly list: Int32Array;
  private foundFrom = -1;
  private foundTo = -1;

  constructor(
    private readonly state: DagState,
    private readonly tables: ParentTables,
  ) {
    const { d, words } = state;
    this.desc = new Uint32Array(d * words);
    this.forbiddenRow = new Uint32Array(words);
    this.needRow = new Uint32Array(words);
    let largest = 1;
    for (const t of tables.tables) largest = Math.max(largest, t.count);
    this.scratch = new FamilyScratch(largest);
    this.list = new Int32Array(d);
  }

  /** Number of reversible edges: present, not required, reverse direction allowed. */
  reversibleEdges(): number {
    return this.walkReversibleEdges(-1);
  }

  private nthReversibleEdge(target: number): [number, number] {
    this.foundFrom = -1;
    this.walkReversibleEdges(target);
    if (this.foundFrom < 0) throw new Error('NewEdgeReversal: edge index out of range');
    return [this.foundFrom, this.foundTo];
  }

  /**
   * Walks the reversible edges in a fixed order. With target ≥ 0 it stops at the target-th one
   * (left in foundFrom/foundTo) and returns target; otherwise it returns how many there are.
   */
  private walkReversibleEdges(target: number): number {
    const { d, words, masks } = this.state;
    let n = 0;
    for (let j = 0; j < d; j++) {
      const row = j * words;
      for (let w = 0; w < words; w++) {
        let x = this.state.parents[row + w]! & ~masks.required[row + w]!;
        while (x !== 0) {
          const low = x & -x;
          const i = (w << 5) + (31 - Math.clz32(low));
          x ^= low;
          if (((masks.allowed[i * words + (j >>> 5)]! >>> (j & 31)) & 1) === 0) continue;
          if (n === target) {
            this.foundFrom = i;
            this.foundTo = j;
            return n;
          }
          n++;
        }
      }
    }
    return n;
  }

  /** Row := the complement of node's descendants in the graph as it is now (sets must stay inside it). */
  private nonDescendants(node: number): void {
    const { words } = this.state;
    this.state.computeDescendants(this.desc);
    for (let w = 0; w < words; w++) this.forbiddenRow[w] = ~this.desc[node * words + w]!;
  }

  private singleton(node: number): void {
    this.needRow.fill(0);
    this.needRow[node >>> 5] = 1 << (node & 31);
  }

  /**
   * Proposes a move and leaves the state at G'; returns null (state unchanged) when there is
   * no reversible edge or no admissible parent set. Undo with `undo`.
   */
  propose(chooser: Chooser): ReversalProposal | null {
    const state = this.state;
    const { words } = state;
    const edgesBefore = this.reversibleEdges();
    if (edgesBefore === 0) return null;
    const [i, j] = this.nthReversibleEdge(chooser.int(edgesBefore));
    const oldParentsI = Array.from(this.list.subarray(0, state.parentsOf(i, this.list)));
    const oldParentsJ = Array.from(this.list.subarray(0, state.parentsOf(j, this.list)));
    const tableI = this.tables.tables[i]!;
    const tableJ = this.tables.tables[j]!;
    const restore = (): null => {
      state.setParents(i, oldParentsI);
      state.setParents(j, oldParentsJ);
      return null;
    };

    // G0: both nodes orphaned.
    state.setParents(i, []);
    state.setParents(j, []);
    this.nonDescendants(i);
    this.singleton(j);
    const logZStarI = logSumCompatible(tableI, words, this.forbiddenRow, 0, this.needRow, 0);
    // Reverse-move normaliser Z*(j | G0, i) is computed on the same G0.
    this.nonDescendants(j);
    this.singleton(i);
    const logZStarJ = logSumCompatible(tableJ, words, this.forbiddenRow, 0, this.needRow, 0);
    if (logZStarI === -Infinity) return restore();

    // G⊕: i gets its new parents (containing j).
    this.nonDescendants(i);
    this.singleton(j);
    const entryI = drawCompatible(chooser, tableI, words, this.forbiddenRow, 0, this.needRow, 0, this.scratch);
    state.setParents(i, tableI.members.subarray(entryI * this.tables.maxSize), tableI.sizes[entryI]!);
    this.nonDescendants(j);
    const logZJ = logSumCompatible(tableJ, words, this.forbiddenRow, 0);
    if (logZJ === -Infinity) return restore();
    const entryJ = drawCompatible(chooser, tableJ, words, this.forbiddenRow, 0, null, 0, this.scratch);

    // G'⊕ for the reverse move: G0 plus j's old parents.
    state.setParents(i, []);
    state.setParents(j, oldParentsJ);
    this.nonDescendants(i);
    const logZIReverse = logSumCompatible(tableI, words, this.forbiddenRow, 0);

    // G'.
    state.setParents(i, tableI.members.subarray(entryI * this.tables.maxSize), tableI.sizes[entryI]!);
    state.setParents(j, tableJ.members.subarray(entryJ * this.tables.maxSize), tableJ.sizes[entryJ]!);
    const edgesAfter = this.reversibleEdges();
    const logRatio = Math.log(edgesBefore) - Math.log(edgesAfter) + logZStarI + logZJ - logZStarJ - logZIReverse;
    return { i, j, oldParentsI, oldParentsJ, entryI, entryJ, logRatio };
  }

  undo(p: ReversalProposal): void {
    this.state.setParents(p.i, p.oldParentsI);
    this.state.setParents(p.j, p.oldParentsJ);
  }

  /** log score of the new family of i / j under the proposal (from the tables). */
  newFamilyScores(p: ReversalProposal): [number, number] {
    return [this.tables.tables[p.i]!.logScores[p.entryI]!, this.tables.tables[p.j]!.logScores[p.entryJ]!];
  }
}
