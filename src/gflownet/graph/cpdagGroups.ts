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
import { cpdagEdges } from './cpdag.ts';

export interface GroupableDag {
  /** The edges [from, to]. */
  edges: ReadonlyArray<readonly [number, number]>;
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
    const { directed, undirected } = cpdagEdges(d, dag.edges);
    // Both lists are row-major, so equal classes give equal keys: each edge's code i·d + j as one
    // UTF-16 unit (d ≤ 255), the lists parted by d², which is no code.
    const codes = [...directed.map(([i, j]) => i * d + j), d * d, ...undirected.map(([i, j]) => i * d + j)];
    let key = '';
    if (d * d < 65536) for (let p = 0; p < codes.length; p += 4096) key += String.fromCharCode(...codes.slice(p, p + 4096));
    else key = codes.join(',');
    let group = classes.get(key);
    if (!group) {
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
