/**
 * BGe: the log marginal likelihood of linear-Gaussian data (Geiger & Heckerman, in the
 * corrected form of Kuipers, Moffa & Heckerman 2014; docs/architecture.md §2). The posterior matrix R is
 * built once per data set (once per intervention pattern with interventional data); a local
 * score is then one Cholesky factorisation of the family block R[F,F] (k + 1 variables).
 */
import { DagflowError } from '../core/errors.ts';
import { logGamma } from '../core/logmath.ts';
import type { Dataset, LocalScoreModel } from '../core/types.ts';
import { prefixLogDets } from './linalg.ts';
import { mergeMoments, momentsByGroup, momentsOfRows, type Moments } from './statistics.ts';

export interface BgeOptions {
  /** α_μ > 0, default 1. */
  alphaMu?: number;
  /** α_w > d + 1 (so that t > 0), default d + 2. */
  alphaW?: number;
  /**
   * Prior mean ν: 'zero', or 'sample' = the mean of the rows the node's score uses (then the
   * (x̄ − ν) term vanishes, as in bnlearn's default). On z-scored data both agree.
   */
  mean?: 'zero' | 'sample';
}

/** The per-node statistics a BGe local score needs (and the causal effects read, causal/bgeEffects.ts). */
export interface NodeStatistics {
  /** Rows used by the node (all rows minus those where it was intervened on). */
  n: number;
  /** R = t·I + S + (N α_μ/(N + α_μ))(x̄ − ν)(x̄ − ν)ᵀ, d×d row-major. */
  r: Float64Array;
  /** constant[k]: every term of s_j(P) that depends only on N and k = |P|. */
  constant: Float64Array;
}

/**
 * The BGe posterior of a data set: α_w and, per node, the rows it uses and the posterior
 * scale matrix R of the Normal-Wishart. Given a DAG, node j's regression on its parents P has
 * the posterior σ² ~ InvGamma((N + α_w − d + |P| + 1)/2, R_{j·P}/2) and
 * β | σ² ~ N(R[P,P]⁻¹ R[P,j], σ² R[P,P]⁻¹) — the conjugate regression whose marginal
 * likelihood is the local score below.
 */
export interface BgePosterior {
  d: number;
  alphaW: number;
  perNode: NodeStatistics[];
}

export function bgePosterior(dataset: Dataset, options: BgeOptions = {}): BgePosterior {
  if (dataset.kind !== 'continuous' || !dataset.continuous) {
    throw new DagflowError(
      'BAD_OPTION',
      'BGe needs continuous (numeric) columns',
      { file: dataset.source, field: 'score' },
      'use {{score=bdeu}} for discrete data',
    );
  }
  const d = dataset.columns.length;
  const alphaMu = options.alphaMu ?? 1;
  const alphaW = options.alphaW ?? d + 2;
  const meanKind = options.mean ?? 'zero';
  checkBgeOptions(d, alphaMu, alphaW);
  const t = (alphaMu * (alphaW - d - 1)) / (alphaMu + 1);

  const columns = dataset.continuous;
  const build = (m: Moments): NodeStatistics => ({
    n: m.count,
    r: posteriorMatrix(m, d, t, alphaMu, meanKind),
    constant: localConstants(m.count, d, t, alphaMu, alphaW),
  });

  const perNode: NodeStatistics[] = [];
  const targets = dataset.interventions;
  if (!targets || !targets.some((v) => v !== 0)) {
    const shared = build(momentsOfRows(columns, dataset.rows));
    for (let j = 0; j < d; j++) perNode.push(shared);
  } else {
    const groups = momentsByGroup(columns, dataset.rows, targets);
    const observedEverywhere = build(mergeMoments(groups, d));
    for (let j = 0; j < d; j++) {
      // Node j drops the rows of group j + 1 (where it was set by intervention).
      perNode.push(
        groups[j + 1]!.count === 0
          ? observedEverywhere
          : build(
              mergeMoments(
                groups.filter((_, g) => g !== j + 1),
                d,
              ),
            ),
      );
    }
  }
  return { d, alphaW, perNode };
}

export function createBgeScore(dataset: Dataset, options: BgeOptions = {}): LocalScoreModel {
  const { d, alphaW, perNode } = bgePosterior(dataset, options);
  const scratch = new Float64Array((d + 1) * (d + 1));
  return {
    d,
    name: 'bge',
    localScore(node: number, parents: readonly number[]): number {
      const stats = perNode[node]!;
      const k = parents.length;
      const family = [...parents, node];
      const logDets = prefixLogDets(stats.r, d, family, scratch);
      const logDetParents = k > 0 ? logDets[k - 1]! : 0;
      const logDetFamily = logDets[k]!;
      const a = stats.n + alphaW - d + k;
      return stats.constant[k]! + (a / 2) * logDetParents - ((a + 1) / 2) * logDetFamily;
    },
  };
}

export function checkBgeOptions(d: number, alphaMu: number, alphaW: number): void {
  if (!(alphaMu > 0) || !Number.isFinite(alphaMu)) {
    throw new DagflowError(
      'BAD_OPTION',
      `α_μ must be a positive number, got ${alphaMu}`,
      { field: 'score.alphaMu' },
      'the usual choice is 1',
    );
  }
  // The Wishart needs α_w > d − 1; T = t·I with t = α_μ(α_w − d − 1)/(α_μ + 1) needs α_w > d + 1.
  if (!(alphaW > d + 1) || !Number.isFinite(alphaW)) {
    throw new DagflowError(
      'BAD_OPTION',
      `α_w must exceed d + 1 = ${d + 1} for ${d} variables (the Wishart needs α_w > d − 1 and t = α_μ(α_w − d − 1)/(α_μ + 1) must be positive), got ${alphaW}`,
      { field: 'score.alphaW' },
      `the usual choice is d + 2 = ${d + 2}`,
    );
  }
}

function posteriorMatrix(m: Moments, d: number, t: number, alphaMu: number, meanKind: 'zero' | 'sample'): Float64Array {
  const r = Float64Array.from(m.scatter);
  for (let a = 0; a < d; a++) r[a * d + a]! += t;
  if (meanKind === 'zero' && m.count > 0) {
    // ν = 0, so x̄ − ν = x̄.
    const w = (m.count * alphaMu) / (m.count + alphaMu);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) r[a * d + b]! += w * m.mean[a]! * m.mean[b]!;
  }
  return r;
}

function localConstants(n: number, d: number, t: number, alphaMu: number, alphaW: number): Float64Array {
  const out = new Float64Array(d);
  const base = 0.5 * Math.log(alphaMu / (n + alphaMu)) - (n / 2) * Math.log(Math.PI);
  for (let k = 0; k < d; k++) {
    out[k] =
      base + logGamma((n + alphaW - d + k + 1) / 2) - logGamma((alphaW - d + k + 1) / 2) + ((alphaW - d + 2 * k + 1) / 2) * Math.log(t);
  }
  return out;
}
