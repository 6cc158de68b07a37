/**
 * BDeu: the log marginal likelihood of discrete data under a Dirichlet prior with equivalent
 * sample size ESS spread uniformly over the cells (docs/architecture.md §2). q_j counts every parent
 * configuration, observed or not; r_j is the number of levels seen in the data. A cell that
 * is never observed contributes lnΓ(a) − lnΓ(a) = 0, so only observed configurations are
 * visited: one pass over the rows per local score, with a reusable dense counter (or a hash
 * map when q_j·r_j is too large for one).
 */
import { DagflowError } from '../core/errors.ts';
import { logGamma } from '../core/logmath.ts';
import type { Dataset, LocalScoreModel } from '../core/types.ts';

export interface BdeuOptions {
  /** Equivalent sample size, > 0, default 1. */
  ess?: number;
}

/** Largest q_j·r_j counted in a dense array (4 MB of Int32); beyond that a Map is used. */
const DENSE_LIMIT = 1 << 20;

export function createBdeuScore(dataset: Dataset, options: BdeuOptions = {}): LocalScoreModel {
  if (dataset.kind !== 'discrete' || !dataset.discrete) {
    throw new DagflowError(
      'BAD_OPTION',
      'BDeu needs discrete columns',
      { file: dataset.source, field: 'score' },
      'use {{score=bge}} for continuous data, or read the columns as discrete',
    );
  }
  const ess = options.ess ?? 1;
  checkBdeuOptions(ess);
  const d = dataset.columns.length;
  const codes = dataset.discrete.codes;
  const levelCounts = dataset.discrete.levels.map((l) => l.length);

  // Rows each node uses: every row, or the rows where it was not intervened on.
  const rowsOf: (Int32Array | undefined)[] = new Array(d).fill(undefined);
  const targets = dataset.interventions;
  if (targets) {
    for (let j = 0; j < d; j++) {
      let dropped = 0;
      for (let r = 0; r < dataset.rows; r++) if (targets[r] === j + 1) dropped++;
      if (dropped === 0) continue;
      const kept = new Int32Array(dataset.rows - dropped);
      let w = 0;
      for (let r = 0; r < dataset.rows; r++) if (targets[r] !== j + 1) kept[w++] = r;
      rowsOf[j] = kept;
    }
  }

  let cellCounts = new Int32Array(1024);
  let configCounts = new Int32Array(1024);
  // Per row of the current family: its parent configuration and its cell (int32: dense path only).
  const configKeys = new Int32Array(dataset.rows);
  const cellKeys = new Int32Array(dataset.rows);

  return {
    d,
    name: 'bdeu',
    localScore(node: number, parents: readonly number[]): number {
      const r = levelCounts[node]!;
      let q = 1;
      for (const p of parents) q *= levelCounts[p]!;
      const aConfig = ess / q;
      const aCell = ess / (q * r);
      const kept = rowsOf[node];
      const n = kept ? kept.length : dataset.rows;
      const child = codes[node]!;
      const parentCodes = parents.map((p) => codes[p]!);
      if (!(q * r <= DENSE_LIMIT))
        return sparseScore(
          child,
          r,
          parentCodes,
          parents.map((p) => levelCounts[p]!),
          q,
          kept,
          n,
          aConfig,
          aCell,
        );

      // Key of each row: parent configuration c (mixed radix), built one parent column at a
      // time (sequential reads), then the cell c·r + level.
      configKeys.fill(0, 0, n);
      for (let m = 0; m < parentCodes.length; m++) {
        const column = parentCodes[m]!;
        const radix = levelCounts[parents[m]!]!;
        if (kept) for (let i = 0; i < n; i++) configKeys[i] = configKeys[i]! * radix + column[kept[i]!]!;
        else for (let i = 0; i < n; i++) configKeys[i] = configKeys[i]! * radix + column[i]!;
      }
      if (kept) for (let i = 0; i < n; i++) cellKeys[i] = configKeys[i]! * r + child[kept[i]!]!;
      else for (let i = 0; i < n; i++) cellKeys[i] = configKeys[i]! * r + child[i]!;
      if (cellCounts.length < q * r) cellCounts = new Int32Array(q * r);
      if (configCounts.length < q) configCounts = new Int32Array(q);
      // Locals, not the reassignable closure variables, in the hot loops.
      const cells = cellCounts;
      const configs = configCounts;
      for (let i = 0; i < n; i++) {
        cells[cellKeys[i]!]!++;
        configs[configKeys[i]!]!++;
      }
      // Read each touched counter once and zero it, so the buffers are clean for the next call.
      const lgCell = logGamma(aCell);
      const lgConfig = logGamma(aConfig);
      let score = 0;
      for (let i = 0; i < n; i++) {
        const cell = cellKeys[i]!;
        const nCell = cells[cell]!;
        if (nCell > 0) {
          score += logGamma(aCell + nCell) - lgCell;
          cells[cell] = 0;
        }
        const config = configKeys[i]!;
        const nConfig = configs[config]!;
        if (nConfig > 0) {
          score += lgConfig - logGamma(aConfig + nConfig);
          configs[config] = 0;
        }
      }
      return score;
    },
  };
}

/**
 * The same sums with hash maps, for families whose table q·r is too large for a dense
 * counter. Keys are numbers while q·r fits 2^53 exactly, strings beyond (slow, but exact).
 */
function sparseScore(
  child: Int32Array,
  r: number,
  parentCodes: readonly Int32Array[],
  parentLevels: readonly number[],
  q: number,
  kept: Int32Array | undefined,
  n: number,
  aConfig: number,
  aCell: number,
): number {
  const exactNumbers = q * r <= Number.MAX_SAFE_INTEGER;
  const cells = new Map<number | string, number>();
  const configs = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const row = kept ? kept[i]! : i;
    let config: number | string;
    let cell: number | string;
    if (exactNumbers) {
      let c = 0;
      for (let m = 0; m < parentCodes.length; m++) c = c * parentLevels[m]! + parentCodes[m]![row]!;
      config = c;
      cell = c * r + child[row]!;
    } else {
      config = parentCodes.map((codes) => codes[row]!).join(',');
      cell = `${config};${child[row]!}`;
    }
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    configs.set(config, (configs.get(config) ?? 0) + 1);
  }
  let score = 0;
  const lgCell = logGamma(aCell);
  const lgConfig = logGamma(aConfig);
  for (const nCell of cells.values()) score += logGamma(aCell + nCell) - lgCell;
  for (const nConfig of configs.values()) score += lgConfig - logGamma(aConfig + nConfig);
  return score;
}

export function checkBdeuOptions(ess: number): void {
  if (!(ess > 0) || !Number.isFinite(ess)) {
    throw new DagflowError(
      'BAD_OPTION',
      `the equivalent sample size must be a positive number, got ${ess}`,
      { field: 'score.ess' },
      'the usual choice is 1',
    );
  }
}
