/**
 * New interventional rows under do(target) from one DAG with its posterior-mean parameters
 * (docs/design.md §2): what an experiment would show if that DAG were true.
 *
 * - Continuous (BGe): X_j = c_j + Σ_{i∈Pa(j)} β̄_ij X_i + ε_j, ε_j ~ N(0, E[σ_j²]), with β̄ and
 *   E[σ_j²] the posterior means of the family's regression (causal/bgeFamily.ts) and c_j the
 *   intercept that reproduces the node's mean on the rows it is scored on.
 * - Discrete (BDeu): X_j drawn from the posterior-mean table θ̄_j(· | parents) (causal/bdeuEffects.ts).
 *
 * The target is set by a randomised perfect intervention, independent of its parents: drawn from
 * N(x̄_t, s_t²) of its own observed rows (continuous), or uniformly over its levels (discrete).
 * That is what breaks Markov equivalence; a fixed value would only shift the children's means.
 */
import { DagflowError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { Dataset } from '../core/types.ts';
import { type MeanTables } from '../causal/bdeuEffects.ts';
import { type BgeFamilies } from '../causal/bgeEffects.ts';
import { topologicalFromMasks } from '../causal/features.ts';

/** New rows in the data set's own coding: values (on the data set's scale) or level codes. */
export type SimulatedRows = { kind: 'continuous'; columns: Float64Array[] } | { kind: 'discrete'; columns: Int32Array[] };

/** Per-node means and sds of the rows each node is scored on (not intervened on), for intercepts and do() values. */
export interface ContinuousMoments {
  mean: Float64Array;
  sd: Float64Array;
}

export function continuousMoments(dataset: Dataset): ContinuousMoments {
  const cols = dataset.continuous;
  if (!cols) throw new DagflowError('INTERNAL', 'continuousMoments needs continuous columns');
  const d = cols.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  const targets = dataset.interventions;
  for (let j = 0; j < d; j++) {
    let n = 0;
    let s = 0;
    for (let r = 0; r < dataset.rows; r++) {
      if (targets && targets[r] === j + 1) continue;
      s += cols[j]![r]!;
      n++;
    }
    const m = n > 0 ? s / n : 0;
    let ss = 0;
    for (let r = 0; r < dataset.rows; r++) if (!targets || targets[r] !== j + 1) ss += (cols[j]![r]! - m) ** 2;
    mean[j] = m;
    sd[j] = n > 1 ? Math.sqrt(ss / (n - 1)) : 1;
  }
  return { mean, sd };
}

export interface Simulator {
  /** n rows under do(target) from the DAG with parent masks `pa`. */
  simulate(pa: ArrayLike<number>, target: number, n: number, rng: Rng): SimulatedRows;
}

export function bgeSimulator(families: BgeFamilies, moments: ContinuousMoments): Simulator {
  const d = families.posterior.d;
  return {
    simulate(pa, target, n, rng) {
      const columns = Array.from({ length: d }, () => new Float64Array(n));
      for (const j of topologicalFromMasks(pa, d)) {
        const col = columns[j]!;
        if (j === target) {
          for (let r = 0; r < n; r++) col[r] = moments.mean[j]! + moments.sd[j]! * rng.normal();
          continue;
        }
        const f = families.get(j, pa[j]!);
        const sigma = Math.sqrt(f.rate / (f.shape - 1));
        let intercept = moments.mean[j]!;
        for (let a = 0; a < f.parents.length; a++) intercept -= f.mean[a]! * moments.mean[f.parents[a]!]!;
        for (let r = 0; r < n; r++) {
          let v = intercept + sigma * rng.normal();
          for (let a = 0; a < f.parents.length; a++) v += f.mean[a]! * columns[f.parents[a]!]![r]!;
          col[r] = v;
        }
      }
      return { kind: 'continuous', columns };
    },
  };
}

export function bdeuSimulator(tables: MeanTables): Simulator {
  const levels = tables.levels;
  const d = levels.length;
  return {
    simulate(pa, target, n, rng) {
      const columns = Array.from({ length: d }, () => new Int32Array(n));
      for (const j of topologicalFromMasks(pa, d)) {
        const col = columns[j]!;
        const r = levels[j]!;
        if (j === target) {
          for (let row = 0; row < n; row++) col[row] = rng.int(r);
          continue;
        }
        const theta = tables.get(j, pa[j]!);
        const parents: number[] = [];
        for (let i = 0, m = pa[j]!; m !== 0; i++, m >>>= 1) if (m & 1) parents.push(i);
        for (let row = 0; row < n; row++) {
          // Parents ascending, first most significant: the layout of MeanTables.
          let c = 0;
          for (const p of parents) c = c * levels[p]! + columns[p]![row]!;
          const u = rng.next();
          let k = 0;
          let acc = theta[c * r]!;
          while (k < r - 1 && u >= acc) acc += theta[c * r + ++k]!;
          col[row] = k;
        }
      }
      return { kind: 'discrete', columns };
    },
  };
}
