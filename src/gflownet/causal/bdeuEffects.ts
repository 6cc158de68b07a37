/**
 * Interventional distributions for discrete data (BDeu), averaged over the posterior over DAGs.
 *
 * Given a DAG G, the BDeu posterior of each conditional table is Dirichlet; its mean is
 *   θ_{j,c,k} = (N_{jck} + ESS/(q_j r_j)) / (N_{jc} + ESS/q_j),
 * counted on the rows where j was not intervened on (as the score does). P(Y = y | do(X = x))
 * is the truncated factorisation Π_{j ≠ X} θ_j(x_j | x_Pa(j)) with X clamped to x, summed over
 * every variable but Y. Only the ancestors of Y matter, and they are summed out one by one in
 * topological order as soon as no later node needs them (variable elimination), so the work
 * stays small. With no directed path X ⇝ Y the answer is P(Y) for every x.
 *
 * Uncertainty: between DAGs (structural, exact over the listed DAGs), and within a DAG from the
 * Dirichlet posterior of the tables (parameter), by seeded draws. Each term of the truncated
 * factorisation is a product of entries of different (independent) tables, so the posterior
 * mean of P(Y = y | do(X = x)) given G is exactly its value at the posterior-mean tables.
 */
import { DagflowError } from '../core/errors.ts';
import type { Dataset } from '../core/types.ts';
import { checkBdeuOptions } from '../scores/bdeu.ts';
import { Rng } from '../core/rng.ts';
import { checkPair, systematicResample } from './bgeEffects.ts';
import { estimateFeatures, probabilityError } from './estimator.ts';
import { ancestorMasks, topologicalFromMasks } from './features.ts';
import { histogram, weightedQuantile, type Histogram } from './summaries.ts';
import { parentsOfDag, perDistinctDag, type WeightedDags } from './weightedDags.ts';

/** Conditional tables by (node, parent mask): θ[c·r_j + k], parents ascending, first most significant. */
export interface TableSource {
  readonly levels: readonly number[];
  get(node: number, parentMask: number): Float64Array;
}

interface FamilyCounts {
  counts: Float64Array;
  q: number;
  r: number;
}

/** Posterior-mean conditional tables, memoised by (node, parent mask). */
export class MeanTables implements TableSource {
  private readonly cache = new Map<number, Float64Array>();
  private readonly countCache = new Map<number, FamilyCounts>();
  readonly levels: number[];
  private readonly rowsOf: (Int32Array | null)[];
  constructor(
    readonly dataset: Dataset,
    readonly ess: number,
  ) {
    if (dataset.kind !== 'discrete' || !dataset.discrete)
      throw new DagflowError('BAD_OPTION', 'interventional distributions by BDeu need discrete columns', {
        file: dataset.source,
        flag: '--score',
      });
    checkBdeuOptions(ess);
    this.levels = dataset.discrete.levels.map((l) => l.length);
    const d = dataset.columns.length;
    const targets = dataset.interventions;
    this.rowsOf = Array.from({ length: d }, (_, j) => {
      if (!targets || !targets.some((t) => t === j + 1)) return null;
      const kept: number[] = [];
      for (let r = 0; r < dataset.rows; r++) if (targets[r] !== j + 1) kept.push(r);
      return Int32Array.from(kept);
    });
  }

  /** Table of node j given parents (ascending, first parent most significant): θ[c·r_j + k]. */
  get(node: number, parentMask: number): Float64Array {
    const key = parentMask * 32 + node;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { counts, q, r } = this.familyCounts(node, parentMask);
    const aCell = this.ess / (q * r);
    const aConfig = this.ess / q;
    const table = new Float64Array(q * r);
    for (let c = 0; c < q; c++) {
      let nc = 0;
      for (let k = 0; k < r; k++) nc += counts[c * r + k]!;
      for (let k = 0; k < r; k++) table[c * r + k] = (counts[c * r + k]! + aCell) / (nc + aConfig);
    }
    this.cache.set(key, table);
    return table;
  }

  /** N_jck per parent configuration c and level k, on the rows the node uses. */
  familyCounts(node: number, parentMask: number): FamilyCounts {
    const key = parentMask * 32 + node;
    const hit = this.countCache.get(key);
    if (hit) return hit;
    const codes = this.dataset.discrete!.codes;
    const parents: number[] = [];
    for (let i = 0, m = parentMask; m !== 0; i++, m >>>= 1) if (m & 1) parents.push(i);
    const r = this.levels[node]!;
    let q = 1;
    for (const p of parents) q *= this.levels[p]!;
    const counts = new Float64Array(q * r);
    const rows = this.rowsOf[node];
    const n = rows ? rows.length : this.dataset.rows;
    for (let s = 0; s < n; s++) {
      const row = rows ? rows[s]! : s;
      let c = 0;
      for (const p of parents) c = c * this.levels[p]! + codes[p]![row]!;
      counts[c * r + codes[node]![row]!]!++;
    }
    const out = { counts, q, r };
    this.countCache.set(key, out);
    return out;
  }
}

/**
 * One draw of every table from its Dirichlet posterior, θ_{j,c,·} ~ Dir(N_jc· + ESS/(q_j r_j)),
 * made lazily (only the families a DAG asks for) and kept for the rest of the draw.
 */
export class DrawnTables implements TableSource {
  private readonly cache = new Map<number, Float64Array>();
  constructor(
    private readonly mean: MeanTables,
    private readonly rng: Rng,
  ) {}
  get levels(): readonly number[] {
    return this.mean.levels;
  }
  get(node: number, parentMask: number): Float64Array {
    const key = parentMask * 32 + node;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { counts, q, r } = this.mean.familyCounts(node, parentMask);
    const aCell = this.mean.ess / (q * r);
    const table = new Float64Array(q * r);
    for (let c = 0; c < q; c++) {
      let total = 0;
      for (let k = 0; k < r; k++) total += table[c * r + k] = this.rng.gamma(counts[c * r + k]! + aCell);
      // Tiny Dirichlet parameters can underflow every gamma to 0: fall back to the mean row.
      if (!(total > 0)) {
        const meanRow = this.mean.get(node, parentMask);
        for (let k = 0; k < r; k++) table[c * r + k] = meanRow[c * r + k]!;
      } else for (let k = 0; k < r; k++) table[c * r + k]! /= total;
    }
    this.cache.set(key, table);
    return table;
  }
}

interface Factor {
  vars: number[];
  sizes: number[];
  table: Float64Array;
}

/**
 * P(Y | do(X = x)) for every level x of X, as rows of an r_X × r_Y table, for one DAG.
 * Exported for tests (a brute-force sum over all joint configurations checks it).
 */
export function interventionalTable(
  pa: ArrayLike<number>,
  d: number,
  cause: number,
  effect: number,
  tables: TableSource,
): { table: Float64Array; hasPath: boolean } {
  const mutilated = Int32Array.from({ length: d }, (_, j) => (j === cause ? 0 : pa[j]!));
  const anc = ancestorMasks(mutilated, d);
  const hasPath = ((anc[effect]! >>> cause) & 1) === 1;
  const rx = tables.levels[cause]!;
  const ry = tables.levels[effect]!;
  const out = new Float64Array(rx * ry);
  const relevantMask = anc[effect]! | (1 << effect);
  const order = topologicalFromMasks(mutilated, d).filter((j) => (relevantMask >>> j) & 1);
  const runFor = (x: number): Float64Array => {
    // Children (within the relevant set) still to be added, per node: sum a node out at 0.
    const pending = new Int32Array(d);
    for (const j of order) for (let m = mutilated[j]!; m !== 0; m &= m - 1) pending[31 - Math.clz32(m & -m)]!++;
    let f: Factor = { vars: [], sizes: [], table: Float64Array.of(1) };
    for (const v of order) {
      if (v === cause) continue; // clamped to x: a constant wherever it is read
      f = multiplyIn(f, v, mutilated[v]!, tables, cause, x);
      for (let m = mutilated[v]!; m !== 0; m &= m - 1) pending[31 - Math.clz32(m & -m)]!--;
      for (const u of [...f.vars]) if (u !== effect && pending[u] === 0) f = sumOut(f, u);
    }
    if (f.vars.length !== 1 || f.vars[0] !== effect)
      throw new DagflowError('INTERNAL', 'variable elimination did not end with the effect alone');
    let total = 0;
    for (const p of f.table) total += p;
    return f.table.map((p) => p / total);
  };
  if (!hasPath) {
    const marginal = runFor(0);
    for (let x = 0; x < rx; x++) out.set(marginal, x * ry);
  } else for (let x = 0; x < rx; x++) out.set(runFor(x), x * ry);
  return { table: out, hasPath };
}

function multiplyIn(f: Factor, v: number, parentMask: number, tables: TableSource, cause: number, x: number): Factor {
  const theta = tables.get(v, parentMask);
  const rv = tables.levels[v]!;
  const parents: number[] = [];
  for (let i = 0, m = parentMask; m !== 0; i++, m >>>= 1) if (m & 1) parents.push(i);
  const position = parents.map((p) => (p === cause ? -1 : f.vars.indexOf(p)));
  if (position.some((p, a) => p < 0 && parents[a] !== cause))
    throw new DagflowError('INTERNAL', 'a parent was summed out before its child');
  const strides = new Int32Array(f.vars.length);
  for (let a = f.vars.length - 1, s = 1; a >= 0; a--) {
    strides[a] = s;
    s *= f.sizes[a]!;
  }
  const size = f.table.length;
  const table = new Float64Array(size * rv);
  for (let cfg = 0; cfg < size; cfg++) {
    const base = f.table[cfg]!;
    if (base === 0) continue;
    let c = 0;
    for (let a = 0; a < parents.length; a++) {
      const p = position[a]!;
      const value = p < 0 ? x : Math.floor(cfg / strides[p]!) % f.sizes[p]!;
      c = c * tables.levels[parents[a]!]! + value;
    }
    for (let k = 0; k < rv; k++) table[cfg * rv + k] = base * theta[c * rv + k]!;
  }
  return { vars: [...f.vars, v], sizes: [...f.sizes, rv], table };
}

function sumOut(f: Factor, u: number): Factor {
  const a = f.vars.indexOf(u);
  const inner = f.sizes.slice(a + 1).reduce((s, n) => s * n, 1);
  const size = f.sizes[a]!;
  const outer = f.table.length / (inner * size);
  const table = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < size; k++) for (let i = 0; i < inner; i++) table[o * inner + i]! += f.table[(o * size + k) * inner + i]!;
  return { vars: f.vars.filter((_, b) => b !== a), sizes: f.sizes.filter((_, b) => b !== a), table };
}

export interface DiscreteCell {
  /** Level of the cause set by do(), and level of the effect. */
  x: string;
  y: string;
  mean: number;
  structuralSd: number;
  /** √E_G[Var(P | G)] over the Dirichlet posterior of the tables, from the draws. */
  parameterSd: number;
  /** Central interval of the draws (structure and tables). */
  interval: [number, number];
  /** Central interval over the DAGs alone (per-DAG values at the posterior-mean tables). */
  structuralInterval: [number, number];
  standardError?: number;
  /** Of the draws, over [0, 1]. */
  histogram: Histogram;
}

export interface DiscreteEffect {
  cause: number;
  effect: number;
  causeLevels: string[];
  effectLevels: string[];
  /** One entry per (level of the cause, level of the effect), cause-major. */
  cells: DiscreteCell[];
  probabilityNoPath: number;
  standardErrors: { probabilityNoPath: number } | null;
  draws: number;
  seed: number;
}

export interface DiscreteEffectOptions {
  level?: number;
  bins?: number;
  /** Draws of (DAG, tables) for the parameter sd, the interval and the histogram (default 2000). */
  draws?: number;
  seed?: number;
}

export function bdeuInterventionalEffect(
  post: WeightedDags,
  dataset: Dataset,
  ess: number,
  cause: number,
  effect: number,
  options: DiscreteEffectOptions = {},
): DiscreteEffect {
  const { d } = post;
  checkPair(d, cause, effect);
  const tables = new MeanTables(dataset, ess);
  const rx = tables.levels[cause]!;
  const ry = tables.levels[effect]!;
  const cellsCount = rx * ry;
  const perDag = perDistinctDag(post, (pa) => interventionalTable(pa, d, cause, effect, tables));
  const est = estimateFeatures(post, 2 * cellsCount + 1, (k, out) => {
    const e = perDag[k]!;
    for (let c = 0; c < cellsCount; c++) {
      out[c] = e.table[c]!;
      out[cellsCount + c] = e.table[c]! ** 2;
    }
    out[2 * cellsCount] = e.hasPath ? 0 : 1;
  });
  const tail = (1 - (options.level ?? 0.95)) / 2;
  const draws = options.draws ?? 2000;
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const picks = systematicResample(post.weights, draws, rng);
  // drawn[s·cells + c]; the squared distance to the DAG's mean estimates the parameter variance.
  const drawn = new Float64Array(draws * cellsCount);
  const withinSq = new Float64Array(cellsCount);
  for (let s = 0; s < draws; s++) {
    const k = picks[s]!;
    const t = interventionalTable(parentsOfDag(post, k), d, cause, effect, new DrawnTables(tables, rng)).table;
    const centre = perDag[k]?.table ?? interventionalTable(parentsOfDag(post, k), d, cause, effect, tables).table;
    for (let c = 0; c < cellsCount; c++) {
      drawn[s * cellsCount + c] = t[c]!;
      withinSq[c]! += (t[c]! - centre[c]!) ** 2 / draws;
    }
  }
  const equal = new Float64Array(draws).fill(1 / draws);
  const levels = dataset.discrete!.levels;
  const cells: DiscreteCell[] = [];
  const values = new Float64Array(post.count);
  const column = new Float64Array(draws);
  for (let c = 0; c < cellsCount; c++) {
    for (let k = 0; k < post.count; k++) values[k] = perDag[k]?.table[c] ?? 0;
    for (let s = 0; s < draws; s++) column[s] = drawn[s * cellsCount + c]!;
    const mean = est.mean[c]!;
    cells.push({
      x: levels[cause]![Math.floor(c / ry)]!,
      y: levels[effect]![c % ry]!,
      mean,
      structuralSd: Math.sqrt(Math.max(0, est.mean[cellsCount + c]! - mean * mean)),
      parameterSd: Math.sqrt(withinSq[c]!),
      interval: [weightedQuantile(column, equal, tail), weightedQuantile(column, equal, 1 - tail)],
      structuralInterval: [weightedQuantile(values, post.weights, tail), weightedQuantile(values, post.weights, 1 - tail)],
      ...(est.standardError ? { standardError: est.standardError[c]! } : {}),
      histogram: histogram(column, equal, options.bins ?? 20, [0, 1]),
    });
  }
  return {
    cause,
    effect,
    causeLevels: [...levels[cause]!],
    effectLevels: [...levels[effect]!],
    cells,
    probabilityNoPath: est.mean[2 * cellsCount]!,
    standardErrors: est.standardError
      ? { probabilityNoPath: probabilityError(est.mean[2 * cellsCount]!, est.standardError[2 * cellsCount]!, est.effectiveSamples) }
      : null,
    draws,
    seed,
  };
}
