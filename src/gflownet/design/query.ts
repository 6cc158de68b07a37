/**
 * What the user wants to learn, and how uncertain the posterior is about it (docs/design.md §1).
 * Every uncertainty is an entropy in nats of posterior probabilities of structural features:
 *
 * - 'edges': Σ_{i≠j} H_b(P(i → j)), the summed binary entropies of all edge marginals;
 * - 'edge' (X, Y): the entropy of the pair's state {X → Y, Y → X, neither} — presence and
 *   direction at once;
 * - 'effect' (X, Y): H_b(P(X ⇝ Y)), whether X can affect Y at all (a directed path).
 *
 * Each is a concave function of posterior probabilities that are a martingale under new data,
 * so the expected reduction after an experiment is ≥ 0 (Jensen): a gain can be small, never
 * negative in expectation.
 */
import { DagflowError } from '../core/errors.ts';
import { ancestorMasks } from '../causal/features.ts';
import { parentsOfDag, type WeightedDags } from '../causal/weightedDags.ts';

export type DesignQuery =
  { kind: 'edges' } | { kind: 'edge'; from: number; to: number } | { kind: 'effect'; cause: number; effect: number };

export function checkQuery(query: DesignQuery, d: number): void {
  if (query.kind === 'edges') return;
  const [a, b] = query.kind === 'edge' ? [query.from, query.to] : [query.cause, query.effect];
  for (const v of [a, b]) {
    if (!Number.isInteger(v) || v < 0 || v >= d)
      throw new DagflowError('BAD_OPTION', `the query names variable ${v}, but the posterior has variables 0..${d - 1}`);
  }
  if (a === b) throw new DagflowError('BAD_OPTION', 'the query names the same variable twice', {}, 'name two different variables');
}

/**
 * Per-DAG indicators of the features the query reads, computed once per posterior: the
 * uncertainty under any re-weighting is then one weighted sum per feature.
 */
export interface QueryFeatures {
  /** Features per DAG. */
  readonly width: number;
  /** indicator[k·width + f] ∈ {0, 1}. */
  readonly indicator: Uint8Array;
  /** The uncertainty (nats) of feature probabilities p (length width). */
  uncertainty(p: Float64Array): number;
  /** Per unordered pair {i < j} (edges query only): its share of the uncertainty, for "mostly about …". */
  pairUncertainty?(p: Float64Array, out: Float64Array): void;
}

/** −p log p − (1 − p) log(1 − p), 0 at 0 and 1, robust to probabilities a rounding off [0, 1]. */
export function binaryEntropy(p: number): number {
  const q = Math.min(1, Math.max(0, p));
  return (q > 0 ? -q * Math.log(q) : 0) + (q < 1 ? -(1 - q) * Math.log(1 - q) : 0);
}

function entropyOf(probabilities: readonly number[]): number {
  let h = 0;
  for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
  return h;
}

export function queryFeatures(post: WeightedDags, query: DesignQuery): QueryFeatures {
  const { d, count } = post;
  checkQuery(query, d);
  if (query.kind === 'edges') {
    const width = d * d;
    const indicator = new Uint8Array(count * width);
    for (let k = 0; k < count; k++) {
      const pa = parentsOfDag(post, k);
      for (let j = 0; j < d; j++) for (let m = pa[j]!; m !== 0; m &= m - 1) indicator[k * width + (31 - Math.clz32(m & -m)) * d + j] = 1;
    }
    return {
      width,
      indicator,
      uncertainty(p) {
        let h = 0;
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) h += binaryEntropy(p[i * d + j]!);
        return h;
      },
      pairUncertainty(p, out) {
        for (let i = 0; i < d; i++)
          for (let j = i + 1; j < d; j++) out[i * d + j] = binaryEntropy(p[i * d + j]!) + binaryEntropy(p[j * d + i]!);
      },
    };
  }
  if (query.kind === 'edge') {
    const { from, to } = query;
    const indicator = new Uint8Array(count * 2);
    for (let k = 0; k < count; k++) {
      const pa = parentsOfDag(post, k);
      indicator[2 * k] = (pa[to]! >>> from) & 1;
      indicator[2 * k + 1] = (pa[from]! >>> to) & 1;
    }
    return {
      width: 2,
      indicator,
      uncertainty: (p) => entropyOf([p[0]!, p[1]!, Math.max(0, 1 - p[0]! - p[1]!)]),
    };
  }
  const { cause, effect } = query;
  const indicator = new Uint8Array(count);
  const scratch = new Int32Array(d);
  for (let k = 0; k < count; k++) indicator[k] = (ancestorMasks(parentsOfDag(post, k), d, scratch.fill(0))[effect]! >>> cause) & 1;
  return { width: 1, indicator, uncertainty: (p) => binaryEntropy(p[0]!) };
}

/** Feature probabilities under weights w (summing to 1) into out. */
export function featureProbabilities(
  f: QueryFeatures,
  weights: ArrayLike<number>,
  out: Float64Array = new Float64Array(f.width),
): Float64Array {
  out.fill(0);
  const { width, indicator } = f;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    if (w === 0) continue;
    const base = k * width;
    for (let c = 0; c < width; c++) if (indicator[base + c]) out[c]! += w;
  }
  return out;
}
