/**
 * Synthetic data with a known graph, for trying the samplers and measuring them: an
 * Erdős–Rényi DAG on a random node order (each forward pair an edge with probability
 * p = 2E/(d−1), so E edges per node are expected), then either a linear-Gaussian model
 * (weights N(0, 1), additive noise N(0, σ²)) or discrete variables with conditional tables
 * drawn from Dirichlet(0.5). Everything comes from one seeded generator, so the same options
 * give the same bytes.
 */
import { DagflowError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';

export interface SyntheticOptions {
  nodes: number;
  edgesPerNode: number;
  rows: number;
  seed: number;
  /** Gaussian noise standard deviation (default 0.1). */
  noiseStd?: number;
  discrete?: boolean;
  /** Discrete: each variable's number of levels is drawn uniformly from [min, max] (default [2, 3]). */
  levels?: readonly [number, number];
}

export interface SyntheticData {
  columns: string[];
  kind: 'continuous' | 'discrete';
  /** True adjacency, d·d, row = parent. */
  truth: Uint8Array;
  /** Gaussian only: W[i·d + j] is the weight of i → j (0 without the edge). */
  weights?: Float64Array;
  /** Per column, `rows` values (Gaussian) or level codes 0..levels−1 (discrete). */
  values: Array<Float64Array | Int32Array>;
  /** Discrete only: number of levels per column. */
  levels?: number[];
}

/** Largest number of parent configurations a discrete node's table may have. */
const MAX_TABLE_ROWS = 1_000_000;

export function generateSynthetic(options: SyntheticOptions): SyntheticData {
  const d = options.nodes;
  const { rows, edgesPerNode } = options;
  if (!Number.isInteger(d) || d < 1)
    throw new DagflowError('BAD_OPTION', `needs a whole number of nodes ≥ 1, got ${d}`, { field: 'synth.nodes' });
  if (!Number.isInteger(rows) || rows < 1)
    throw new DagflowError('BAD_OPTION', `needs a whole number of rows ≥ 1, got ${rows}`, { field: 'synth.rows' });
  const p = d > 1 ? (2 * edgesPerNode) / (d - 1) : 0;
  if (!(edgesPerNode >= 0) || p > 1) {
    throw new DagflowError(
      'BAD_OPTION',
      `${edgesPerNode} edges per node is not possible with ${d} nodes`,
      { field: 'synth.edgesPerNode' },
      `use a value between 0 and ${(d - 1) / 2}`,
    );
  }
  const noiseStd = options.noiseStd ?? 0.1;
  if (!(noiseStd > 0))
    throw new DagflowError('BAD_OPTION', `the noise standard deviation must be positive, got ${noiseStd}`, { field: 'synth.noiseStd' });
  const rng = new Rng(options.seed);
  const order = rng.shuffle(Array.from({ length: d }, (_, k) => k));
  const truth = new Uint8Array(d * d);
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) if (rng.next() < p) truth[order[a]! * d + order[b]!] = 1;
  const columns = Array.from({ length: d }, (_, k) => `X${k}`);
  const parents = (j: number): number[] => order.filter((i) => truth[i * d + j]);

  if (!options.discrete) {
    const weights = new Float64Array(d * d);
    for (let k = 0; k < d * d; k++) if (truth[k]) weights[k] = rng.normal();
    const values = Array.from({ length: d }, () => new Float64Array(rows));
    for (const j of order) {
      const pa = parents(j);
      const col = values[j]!;
      for (let r = 0; r < rows; r++) {
        let v = noiseStd * rng.normal();
        for (const i of pa) v += weights[i * d + j]! * values[i]![r]!;
        col[r] = v;
      }
    }
    return { columns, kind: 'continuous', truth, weights, values };
  }

  const [lo, hi] = options.levels ?? [2, 3];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 2 || hi < lo) {
    throw new DagflowError('BAD_OPTION', `levels must be a range of whole numbers ≥ 2 such as 2-3, got ${lo}-${hi}`, {
      field: 'synth.levels',
    });
  }
  const levels = Array.from({ length: d }, () => lo + rng.int(hi - lo + 1));
  const values = Array.from({ length: d }, () => new Int32Array(rows));
  for (const j of order) {
    const pa = parents(j);
    const r = levels[j]!;
    let configurations = 1;
    for (const i of pa) configurations *= levels[i]!;
    if (configurations > MAX_TABLE_ROWS) {
      throw new DagflowError(
        'TOO_LARGE',
        `node X${j} has ${pa.length} parents and ${configurations} parent configurations`,
        { field: 'synth.edgesPerNode' },
        'use fewer edges per node or fewer levels',
      );
    }
    // Cumulative Dirichlet(0.5) rows of the conditional table.
    const table = new Float64Array(configurations * r);
    for (let c = 0; c < configurations; c++) {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += table[c * r + k] = rng.gamma(0.5);
      let acc = 0;
      for (let k = 0; k < r; k++) table[c * r + k] = acc += table[c * r + k]! / sum;
    }
    const col = values[j]!;
    for (let row = 0; row < rows; row++) {
      let c = 0;
      for (const i of pa) c = c * levels[i]! + values[i]![row]!;
      const u = rng.next();
      let k = 0;
      while (k < r - 1 && u >= table[c * r + k]!) k++;
      col[row] = k;
    }
  }
  return { columns, kind: 'discrete', truth, values, levels };
}

/** data.csv: a header of column names, then one row per sample (shortest round-trip numbers, or level codes). */
export function formatDataCsv(data: SyntheticData): string {
  const n = data.values[0]?.length ?? 0;
  const lines = [data.columns.join(',')];
  for (let r = 0; r < n; r++) lines.push(data.values.map((col) => String(col[r])).join(','));
  return lines.join('\n') + '\n';
}

/** truth.csv: `from,to` and one row per true edge (row-major order). */
export function formatTruthCsv(data: SyntheticData): string {
  const d = data.columns.length;
  const lines = ['from,to'];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (data.truth[i * d + j]) lines.push(`${data.columns[i]},${data.columns[j]}`);
  return lines.join('\n') + '\n';
}

/** weights.csv (Gaussian): `from,to,weight` for each true edge. */
export function formatWeightsCsv(data: SyntheticData): string {
  if (!data.weights) throw new DagflowError('INTERNAL', 'discrete data has no weights');
  const d = data.columns.length;
  const lines = ['from,to,weight'];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      if (data.truth[i * d + j]) lines.push(`${data.columns[i]},${data.columns[j]},${String(data.weights[i * d + j])}`);
  return lines.join('\n') + '\n';
}
