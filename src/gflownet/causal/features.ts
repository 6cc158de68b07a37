/**
 * Structural features of the posterior over DAGs, each the posterior mean of an indicator:
 *
 * - edge[i][j] = P(i → j);
 * - path[i][j] = P(i ⇝ j): a directed path of length ≥ 1 (i is an ancestor of j, i.e. a
 *   possible cause: with no such path, do(i) cannot change j);
 * - markovBlanket[i][j] = P(i ∈ MB(j)): a parent, a child or a co-parent of a child (symmetric);
 * - adjacent[i][j] = P(i → j or j → i) (symmetric);
 * - v-structures a → c ← b with a, b not adjacent (what fixes edge directions within a
 *   Markov equivalence class), one per unordered pair {a, b} and collider c.
 *
 * Exact for an enumerated posterior; with standard errors (estimator.ts) for samples.
 */
import { estimateFeatures, probabilityError } from './estimator.ts';
import { parentsOfDag, type WeightedDags } from './weightedDags.ts';

export interface VStructure {
  /** The two non-adjacent parents, a < b. */
  parents: [number, number];
  collider: number;
  probability: number;
  standardError?: number;
}

export interface StructuralFeatures {
  d: number;
  /** Row-major d·d; row = from, column = to. */
  edge: Float64Array;
  path: Float64Array;
  markovBlanket: Float64Array;
  adjacent: Float64Array;
  /** Every v-structure with positive probability, most probable first. */
  vStructures: VStructure[];
  /** null for an exact posterior. */
  standardErrors: { edge: Float64Array; path: Float64Array; markovBlanket: Float64Array; adjacent: Float64Array } | null;
}

/** ancestors[j] = bitmask of the nodes with a directed path to j. */
export function ancestorMasks(parents: ArrayLike<number>, d: number, out: Int32Array = new Int32Array(d)): Int32Array {
  const order = topologicalFromMasks(parents, d);
  for (const j of order) {
    let a = parents[j]!;
    for (let m = parents[j]!; m !== 0; m &= m - 1) a |= out[31 - Math.clz32(m & -m)]!;
    out[j] = a;
  }
  return out;
}

/** A topological order of a DAG given as parent masks (parents before children). */
export function topologicalFromMasks(parents: ArrayLike<number>, d: number): number[] {
  const order: number[] = [];
  let placed = 0;
  while (order.length < d) {
    const before = order.length;
    for (let j = 0; j < d; j++) {
      if ((placed >>> j) & 1) continue;
      if ((parents[j]! & ~placed) === 0) {
        order.push(j);
        placed |= 1 << j;
      }
    }
    if (order.length === before) throw new RangeError('topologicalFromMasks: the parent masks have a cycle');
  }
  return order;
}

/** Index of v-structure {a < b} → c in a d³ layout. */
function vIndex(a: number, b: number, c: number, d: number): number {
  return (a * d + b) * d + c;
}

/**
 * Fills the indicator vector of one DAG: [edge d², path d², MB d², adjacent d², v-structures d³].
 * Exported for tests, which recompute the features by brute force over all DAGs.
 */
export function dagFeatureVector(pa: ArrayLike<number>, d: number, out: Float64Array, scratch: Int32Array = new Int32Array(d)): void {
  const dd = d * d;
  const anc = ancestorMasks(pa, d, scratch);
  for (let j = 0; j < d; j++) {
    const pj = pa[j]!;
    for (let i = 0; i < d; i++) {
      if ((pj >>> i) & 1) {
        out[i * d + j] = 1;
        out[3 * dd + i * d + j] = 1;
        out[3 * dd + j * d + i] = 1;
        // MB: parent i of j, and child j of i.
        out[2 * dd + i * d + j] = 1;
        out[2 * dd + j * d + i] = 1;
      }
      if ((anc[j]! >>> i) & 1) out[dd + i * d + j] = 1;
    }
  }
  for (let c = 0; c < d; c++) {
    const pc = pa[c]!;
    // Co-parents a, b of a common child c are in each other's Markov blanket.
    for (let a = 0; a < d; a++) {
      if (!((pc >>> a) & 1)) continue;
      for (let b = a + 1; b < d; b++) {
        if (!((pc >>> b) & 1)) continue;
        out[2 * dd + a * d + b] = 1;
        out[2 * dd + b * d + a] = 1;
        const adjacent = ((pa[b]! >>> a) & 1) | ((pa[a]! >>> b) & 1);
        if (!adjacent) out[4 * dd + vIndex(a, b, c, d)] = 1;
      }
    }
  }
}

export function featureVectorLength(d: number): number {
  return 4 * d * d + d * d * d;
}

export function structuralFeatures(post: WeightedDags): StructuralFeatures {
  const { d } = post;
  const dd = d * d;
  const scratch = new Int32Array(d);
  const est = estimateFeatures(post, featureVectorLength(d), (k, out) => dagFeatureVector(parentsOfDag(post, k), d, out, scratch));
  // Sums of weights reach 1 only up to rounding: keep every probability in [0, 1].
  for (let f = 0; f < est.mean.length; f++) est.mean[f] = Math.min(1, Math.max(0, est.mean[f]!));
  // Every feature is a probability: one seen in all samples or in none still gets an error bar.
  const se = est.standardError;
  if (se) {
    for (let f = 0; f < se.length; f++) se[f] = probabilityError(est.mean[f]!, se[f]!, est.effectiveSamples);
    // The diagonal (i with itself) is 0 by definition, not by estimate.
    for (let part = 0; part < 4; part++) for (let i = 0; i < d; i++) se[part * dd + i * d + i] = 0;
  }
  const part = (v: Float64Array, p: number): Float64Array => v.slice(p * dd, (p + 1) * dd);
  const vStructures: VStructure[] = [];
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      for (let c = 0; c < d; c++) {
        const f = 4 * dd + vIndex(a, b, c, d);
        const p = est.mean[f]!;
        if (p > 0)
          vStructures.push({
            parents: [a, b],
            collider: c,
            probability: p,
            ...(est.standardError ? { standardError: est.standardError[f]! } : {}),
          });
      }
    }
  }
  vStructures.sort(
    (x, y) => y.probability - x.probability || x.collider - y.collider || x.parents[0] - y.parents[0] || x.parents[1] - y.parents[1],
  );
  return {
    d,
    edge: part(est.mean, 0),
    path: part(est.mean, 1),
    markovBlanket: part(est.mean, 2),
    adjacent: part(est.mean, 3),
    vStructures,
    standardErrors: se ? { edge: part(se, 0), path: part(se, 1), markovBlanket: part(se, 2), adjacent: part(se, 3) } : null,
  };
}
