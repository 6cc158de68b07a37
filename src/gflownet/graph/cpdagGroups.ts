/**
 * Distinct DAGs grouped by their Markov equivalence class (CPDAG). Under a score-equivalent
 * score (BGe, BDeu) every DAG of a class has the same score, so with many variables a sampler
 * spreads its draws over equivalent DAGs — at d = 11, 1,000 draws can be 1,000 distinct DAGs of
 * frequency 0.001 each — while the classes, which the data can tell apart, carry the mass.
 * Grouping sums the members' weights (counts or probabilities) per class; each class keeps its
 * members, most frequent first, for a drill-down. Background knowledge (required or forbidden
 * edges, tiers) can orient more edges than the CPDAG shows; the class is the data's, not the
 * knowledge's.
 */
import { dagToCpdag } from './cpdag.ts';

export interface GroupableDag {
  /** d·d adjacency, row = parent. */
  adjacency: ArrayLike<number>;
  /** A count of draws, or a probability. */
  weight: number;
  logScore: number;
}

export interface EquivalenceClass<T extends GroupableDag> {
  /** The CPDAG: directed (compelled) edges [from, to] and undirected (reversible) ones [a, b], a < b. */
  directed: Array<[number, number]>;
  undirected: Array<[number, number]>;
  /** Sum of the members' weights. */
  weight: number;
  /** The highest member log score (all equal under a score-equivalent score). */
  logScore: number;
  /** Lowest and highest member log score: they differ only under a score that is not score-equivalent. */
  logScoreRange: [number, number];
  /** The members, heaviest first. */
  members: T[];
}

/** Classes by decreasing weight (ties: higher log score first). */
export function groupByCpdag<T extends GroupableDag>(dags: readonly T[], d: number): Array<EquivalenceClass<T>> {
  const classes = new Map<string, EquivalenceClass<T>>();
  for (const dag of dags) {
    const c = dagToCpdag(dag.adjacency, d);
    let key = '';
    for (let k = 0; k < d * d; k++) if (c[k]) key += `${k},`;
    let group = classes.get(key);
    if (!group) {
      const directed: Array<[number, number]> = [];
      const undirected: Array<[number, number]> = [];
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          if (!c[i * d + j]) continue;
          if (c[j * d + i]) {
            if (i < j) undirected.push([i, j]);
          } else directed.push([i, j]);
        }
      group = { directed, undirected, weight: 0, logScore: -Infinity, logScoreRange: [Infinity, -Infinity], members: [] };
      classes.set(key, group);
    }
    group.weight += dag.weight;
    group.logScore = Math.max(group.logScore, dag.logScore);
    group.logScoreRange = [Math.min(group.logScoreRange[0], dag.logScore), Math.max(group.logScoreRange[1], dag.logScore)];
    group.members.push(dag);
  }
  const out = [...classes.values()];
  for (const g of out) g.members.sort((a, b) => b.weight - a.weight || b.logScore - a.logScore);
  return out.sort((a, b) => b.weight - a.weight || b.logScore - a.logScore);
}
