/**
 * The Posterior screen's equivalence classes: a run's distinct DAGs (posteriorView.ts) grouped
 * by CPDAG (gflownet/graph/cpdagGroups.ts), with frequencies and scores per class and the most
 * frequent member DAGs for the drill-down. Computed once per run.
 */
import { groupByCpdag } from '../gflownet/graph/cpdagGroups.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { RankedClass } from '../shared/workflow.ts';
import { distinctDags } from './posteriorView.ts';

/** Member DAGs listed per class (the rest are counted). */
export const MEMBERS_LISTED = 8;

interface Member {
  edges: Array<[number, number]>;
  weight: number;
  logScore: number;
  count?: number;
}

const cache = new WeakMap<PosteriorRunResult, { classes: RankedClass[]; from: 'samples' | 'listed DAGs' }>();

export function classesOf(result: PosteriorRunResult): { classes: RankedClass[]; from: 'samples' | 'listed DAGs' } | undefined {
  const cached = cache.get(result);
  if (cached) return cached;
  const d = result.variables.length;
  let members: Member[];
  let from: 'samples' | 'listed DAGs';
  let total = 1;
  if (result.samples) {
    total = result.samples.count;
    members = distinctDags(result.samples, d).map((g) => ({
      edges: g.edges,
      weight: g.count,
      count: g.count,
      logScore: g.logScore,
    }));
    from = 'samples';
  } else if (result.ranked) {
    members = result.ranked.map((r) => ({
      edges: r.edges,
      weight: r.probability,
      logScore: r.logScore,
    }));
    from = 'listed DAGs';
  } else return undefined;
  const classes: RankedClass[] = groupByCpdag(members, d).map((c, k) => ({
    rank: k + 1,
    probability: c.weight / total,
    ...(result.samples ? { count: c.weight } : {}),
    logScore: c.logScore,
    logScoreSpread: c.logScoreRange[1] - c.logScoreRange[0],
    directed: c.directed,
    undirected: c.undirected,
    memberCount: c.members.length,
    members: c.members.slice(0, MEMBERS_LISTED).map((m) => ({
      edges: m.edges,
      probability: m.weight / total,
      ...(m.count !== undefined ? { count: m.count } : {}),
      logScore: m.logScore,
    })),
  }));
  const value = { classes, from };
  cache.set(result, value);
  return value;
}

/** The PosteriorView fields: the `top` most probable classes and how many there are. */
export function classFields(
  result: PosteriorRunResult,
  top: number,
): { classes?: RankedClass[]; distinctClasses?: number; classesFrom?: 'samples' | 'listed DAGs' } {
  const c = classesOf(result);
  return c ? { classes: c.classes.slice(0, top), distinctClasses: c.classes.length, classesFrom: c.from } : {};
}
