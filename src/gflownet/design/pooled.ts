/**
 * The data set after an experiment: the old rows followed by new rows intervened on one
 * variable (INT = target + 1), on the old data's scale and level coding. Continuous values are
 * not z-scored again: the old columns already are (when the user asked for it), and the score
 * of the pooled data must compare with the score of the old data on the same scale.
 */
import { DagflowError } from '../core/errors.ts';
import type { Dataset } from '../core/types.ts';
import type { SimulatedRows } from './simulate.ts';

export function pooledDataset(old: Dataset, rows: SimulatedRows, target: number): Dataset {
  const d = old.columns.length;
  if (!Number.isInteger(target) || target < 0 || target >= d)
    throw new DagflowError('INTERNAL', `target ${target} is not a variable 0..${d - 1}`);
  if (rows.columns.length !== d) throw new DagflowError('INTERNAL', `${rows.columns.length} simulated columns for ${d} variables`);
  const n = rows.columns[0]!.length;
  const total = old.rows + n;
  const interventions = new Int32Array(total);
  if (old.interventions) interventions.set(old.interventions);
  interventions.fill(target + 1, old.rows);
  const base = { source: old.source, columns: old.columns, rows: total, interventions, standardized: old.standardized };
  if (rows.kind === 'continuous') {
    if (!old.continuous) throw new DagflowError('INTERNAL', 'continuous rows for a discrete data set');
    const continuous = old.continuous.map((col, j) => {
      const out = new Float64Array(total);
      out.set(col);
      out.set(rows.columns[j]!, old.rows);
      return out;
    });
    return { ...base, kind: 'continuous', continuous };
  }
  if (!old.discrete) throw new DagflowError('INTERNAL', 'discrete rows for a continuous data set');
  const codes = old.discrete.codes.map((col, j) => {
    const out = new Int32Array(total);
    out.set(col);
    out.set(rows.columns[j]!, old.rows);
    return out;
  });
  return { ...base, kind: 'discrete', discrete: { codes, levels: old.discrete.levels } };
}
