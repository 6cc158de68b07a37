/**
 * A candidate-parent space: per node a short list of plausible parents chosen from the data,
 * as BiDAG and Gadget do at scale. Parent-set tables restricted to it have d·Σ_{s ≤ K} C(k, s)
 * entries for k candidates, instead of d·Σ C(d − 1, s), so order and partition MCMC and the
 * layered GFlowNet stay fast at 40–100 variables. Edges outside the space get probability 0,
 * which is why the space is reported with every run and checked by an MCMC run that is free
 * to leave it (candidateCheck.ts).
 *
 * Screening: forward selection on j's family score picks its k candidates (forwardSelection).
 * The space is made symmetric (i a candidate of j ⇒ j one of i), because the
 * posterior often cannot tell an edge's direction and both must stay reachable. Required
 * edges are always inside.
 */
import { countTableEntries } from './parentTables.ts';
import { parentMasks, type EdgeRules } from './rules.ts';
import type { FamilyScorer } from './types.ts';

export interface CandidateSpace {
  /** Candidates chosen per node by screening (nodes may have more after symmetrising). */
  readonly size: number;
  /** Per node, its candidate parents, ascending. */
  readonly parents: readonly (readonly number[])[];
  /** The knowledge's rules restricted to the space (allowed only inside it). */
  readonly rules: EdgeRules;
  /** Edges the knowledge allows that the space leaves out. */
  readonly outsideCount: number;
}

/**
 * Node j's best `size` candidate parents by forward selection: each round adds the parent
 * with the largest gain s_j(S ∪ {i}) − s_j(S) on top of those already chosen. Conditioning on
 * the chosen set is what makes it work: a variable that is merely correlated with j through
 * its parents stops gaining once they are in, and one that only matters next to them (on a
 * d = 37 set, an edge of posterior 1.0 that loses 2.7 nats alone) gains once they are. Plain
 * gains over ∅ or over pairs missed such edges (12 expected edges outside the space at k = 10).
 * The family score is evaluated beyond the parent bound here: it only ranks, it does not sample.
 */
function forwardSelection(scorer: FamilyScorer, rules: EdgeRules, j: number, size: number): number[] {
  const { d } = rules;
  const options: number[] = [];
  for (let i = 0; i < d; i++) if (i !== j && rules.allowed[i * d + j]) options.push(i);
  const chosen: number[] = [];
  while (chosen.length < Math.min(size, options.length)) {
    let pick = -1;
    let pickScore = -Infinity;
    for (const i of options) {
      if (chosen.includes(i)) continue;
      const s = scorer.familyLogReward(
        j,
        [...chosen, i].sort((x, y) => x - y),
      );
      if (s > pickScore) [pick, pickScore] = [i, s];
    }
    if (pick < 0 || !Number.isFinite(pickScore)) break;
    chosen.push(pick);
  }
  return chosen;
}

/** Per node, its allowed parents in forward-selection order (at most `size`); the first k of a list are its k-space. */
export function rankCandidateParents(scorer: FamilyScorer, rules: EdgeRules, size: number): number[][] {
  return Array.from({ length: rules.d }, (_, j) => forwardSelection(scorer, rules, j, size));
}

/** The space made of the first `size` of each node's ranked parents (made symmetric; required edges inside). */
export function spaceFromRanking(ranking: readonly (readonly number[])[], rules: EdgeRules, size: number): CandidateSpace {
  const { d } = rules;
  const inside = new Uint8Array(d * d);
  ranking.forEach((list, j) => list.slice(0, size).forEach((i) => (inside[i * d + j] = 1)));
  const allowed = new Uint8Array(d * d);
  let outsideCount = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      if (!rules.allowed[i * d + j]) continue;
      if (inside[i * d + j] || inside[j * d + i] || rules.required[i * d + j]) allowed[i * d + j] = 1;
      else outsideCount++;
    }
  const parents = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, i) => i).filter((i) => allowed[i * d + j]));
  return { size, parents, rules: { ...rules, allowed }, outsideCount };
}

/** The space with `size` screened candidates per node (every allowed parent when size ≥ d − 1). */
export function chooseCandidateParents(scorer: FamilyScorer, rules: EdgeRules, size: number): CandidateSpace {
  return spaceFromRanking(rankCandidateParents(scorer, rules, size), rules, size);
}

/** The largest automatic space tried, in candidates per node. */
const AUTOMATIC_MAX_SIZE = 30;

/**
 * The space a run gets when the user does not choose one: none when the tables of every
 * allowed parent set fit the budget at the parent bound; otherwise the widest screened space
 * whose tables fit (rather than lowering the parent bound, which would bias every node).
 */
export function automaticCandidateParents(scorer: FamilyScorer, rules: EdgeRules, budget: number): CandidateSpace | undefined {
  const full = parentMasks(rules);
  if (countTableEntries(full, full.maxParents) <= budget) return undefined;
  const ranking = rankCandidateParents(scorer, rules, AUTOMATIC_MAX_SIZE);
  for (let size = AUTOMATIC_MAX_SIZE; size >= 1; size--) {
    const space = spaceFromRanking(ranking, rules, size);
    const masks = parentMasks(space.rules);
    if (countTableEntries(masks, masks.maxParents) <= budget) return space;
  }
  return undefined;
}

/** A chain's space as run summaries store it: column names instead of node numbers. */
export interface ChainSpaceSummary {
  readonly size: number;
  readonly outsideEdges: number;
  readonly parents: Readonly<Record<string, readonly string[]>>;
}

export function summarizeChainSpace(
  space: Pick<CandidateSpace, 'size' | 'parents' | 'outsideCount'>,
  columns: readonly string[],
): ChainSpaceSummary {
  return {
    size: space.size,
    outsideEdges: space.outsideCount,
    parents: Object.fromEntries(space.parents.map((list, j) => [columns[j]!, list.map((i) => columns[i]!)])),
  };
}

/** One phrase on a space, for run facts and command-line output. */
export function describeChainSpace(s: ChainSpaceSummary): string {
  return `${s.size} candidate parents per variable (forward selection on the score, made symmetric); the ${s.outsideEdges} edges outside it have probability 0 in this run`;
}
