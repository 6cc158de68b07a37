/** Small text helpers shared by `dagflow features`, `effects` and `hypothesis`. */
import { DagflowError } from '../gflownet/core/errors.ts';
import type { PosteriorSource } from './posteriorSource.ts';

/** The "source" object of every answer's JSON. */
export function sourceJson(source: PosteriorSource): { kind: PosteriorSource['kind']; label: string; dags: number; warning?: string } {
  return { kind: source.kind, label: source.label, dags: source.posterior.count, ...(source.warning ? { warning: source.warning } : {}) };
}

export function toMatrix(m: ArrayLike<number>, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => m[i * d + j]!));
}

/** The first line of every answer: what the posterior is, and what a what-if left of it. */
export function describeSource(source: PosteriorSource): string {
  const lines = [`posterior: ${source.label}`];
  if (source.warning) lines.push(`WARNING from the sampler: ${source.warning}`);
  const w = source.whatIf;
  if (w?.constraints) {
    lines.push(
      source.kind === 'exact'
        ? `what-if: conditioned on the added constraints, which hold with posterior probability ${w.keptMass.toPrecision(4)} (${w.keptDags} DAGs); the answers are exact`
        : w.method === 'masked-sampling'
          ? `what-if: ${w.keptDags} new DAGs drawn from the trained policy with the ruled-out edges masked, importance-weighted; effective sample size ${w.effectiveSampleSize.toFixed(0)} (${(100 * w.keptMass).toFixed(1)} % of the run's own samples satisfy the constraints)`
          : `what-if: ${w.keptDags} of ${source.posterior.count} samples satisfy the added constraints; effective sample size ${w.effectiveSampleSize.toFixed(0)}`,
    );
  }
  if (w?.beliefEvidenceRatio !== undefined) {
    lines.push(
      `edge beliefs: the posterior is re-weighted by the belief prior (evidence ratio Z'/Z = ${w.beliefEvidenceRatio.toPrecision(3)}; above 1 the data favour the beliefs over neutral ones)${source.kind === 'exact' ? '' : `; effective sample size ${w.effectiveSampleSize.toFixed(0)}`}`,
    );
  }
  return lines.join('\n');
}

/** Column index by name, with an error naming the flag and the choices. */
export function columnIndex(columns: readonly string[], name: string, flag: string): number {
  const k = columns.indexOf(name);
  if (k < 0) throw new DagflowError('BAD_OPTION', `"${name}" is not a variable of the posterior (${columns.join(', ')})`, { flag });
  return k;
}
