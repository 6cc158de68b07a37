/**
 * The layered DAG-GFlowNet's reward side. Every DAG has exactly one labelled ordered partition
 * into layers (layer 0: the nodes without parents; layer k: the nodes whose parents all lie in
 * layers < k with at least one in layer k − 1), so a sampler that builds the layers and then
 * draws each node's parents given them reaches every DAG by exactly one path. Summing R over
 * the DAGs of one layering Λ gives S(Λ) = Π_v exp(c_v), with the "layer contribution"
 *     c_v(U, L) = log Σ_{P ⊆ U, P ∩ L ≠ ∅} exp(s_v(P) + f(|P|))     (first layer: P = ∅),
 * U the nodes of the earlier layers and L the previous layer (docs/gflownet.md, "The layered
 * GFlowNet"). The contributions come from the same parent-set tables as partition MCMC, so
 * both samplers share their parent bound and prior knowledge.
 */
import { DagflowError } from '../core/errors.ts';
import type { EnvConstraints } from '../env/constraints.ts';
import { FamilyScratch, logSumCompatible } from '../mcmc/familySums.ts';
import { buildParentTables, DEFAULT_MAX_TABLE_ENTRIES, type ParentTables } from '../mcmc/parentTables.ts';
import { parentMasks, type ParentMasks } from '../mcmc/rules.ts';
import type { FamilyScorer } from '../mcmc/types.ts';

export interface LayerProblem {
  readonly d: number;
  readonly words: number;
  readonly tables: ParentTables;
  /**
   * b_v = log Σ_P exp(s_v(P) + f(|P|)) over every parent set v may have. Contributions are
   * kept relative to it (c_v − b_v ≤ 0), so the network's inputs do not carry the score's
   * scale (hundreds of nats) and S(Λ) = exp(Σ_v (c_v − b_v) + Σ_v b_v).
   */
  readonly baseline: Float64Array;
  readonly baselineTotal: number;
  readonly scratch: FamilyScratch;
  /** What built the tables, for the partition-MCMC teacher on the same problem. */
  readonly masks: ParentMasks;
  readonly scorer: FamilyScorer;
}

export interface LayerProblemOptions {
  /** Table budget (parent sets in all); the parent bound is lowered to fit it, as for partition MCMC. */
  maxEntries?: number;
}

export function buildLayerProblem(reward: FamilyScorer, constraints: EnvConstraints, options: LayerProblemOptions = {}): LayerProblem {
  const masks = parentMasks(constraints);
  const tables = buildParentTables(reward, masks, { maxEntries: options.maxEntries ?? DEFAULT_MAX_TABLE_ENTRIES });
  const d = constraints.d;
  const words = tables.words;
  const everyone = new Uint32Array(words).fill(0xffffffff);
  const baseline = new Float64Array(d);
  let total = 0;
  let largest = 1;
  for (let v = 0; v < d; v++) {
    const table = tables.tables[v]!;
    baseline[v] = logSumCompatible(table, words, everyone, 0);
    if (!Number.isFinite(baseline[v]!)) throw new DagflowError('BAD_OPTION', `variable ${v} has no parent set that the prior knowledge allows`, {}, 'relax the required edges or the parent bound');
    total += baseline[v]!;
    largest = Math.max(largest, table.count);
  }
  return { d, words, tables, baseline, baselineTotal: total, scratch: new FamilyScratch(largest), masks, scorer: reward };
}

/**
 * c_v(U, L) − b_v for node v (−∞ when v cannot join the layer after L): one scan of v's table
 * (logSumCompatible redoes sums in log space when the table's precomputed weights underflow).
 * `placed` is U and `previous` is L as bit rows at the given offsets; L empty means the first layer.
 */
export function joinContribution(problem: LayerProblem, v: number, placed: Uint32Array, placedAt: number, previous: Uint32Array, previousAt: number): number {
  const { words, tables, baseline } = problem;
  const table = tables.tables[v]!;
  let first = true;
  for (let w = 0; w < words; w++) if (previous[previousAt + w] !== 0) first = false;
  const value = first ? logSumCompatible(table, words, placed, placedAt) : logSumCompatible(table, words, placed, placedAt, previous, previousAt);
  return value - baseline[v]!;
}
