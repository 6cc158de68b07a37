/**
 * The causal effects of a run for export (docs/answers.md §2, docs/exports.md): every ordered
 * pair's effect of do(cause) on effect, averaged over the run's posterior — for continuous data
 * (BGe) the total effect's mean, sds, 95 % interval and P(no directed path) with Monte Carlo
 * standard errors; for discrete data (BDeu) P(effect = y | do(cause = x)) per pair of levels.
 * The intervals come from a fixed number of seeded draws, so an export is byte-identical for
 * identical input. Effects need the run's data (ExportProblem); the structural features do not.
 */
import { bdeuInterventionalEffect, type DiscreteEffect } from '../causal/bdeuEffects.ts';
import { bgeTotalEffect, type ContinuousEffect } from '../causal/bgeEffects.ts';
import type { WeightedDags } from '../causal/weightedDags.ts';
import { DagflowError } from '../core/errors.ts';
import type { Dataset } from '../core/types.ts';
import { bgePosterior } from '../scores/bge.ts';
import type { ScoreOptions } from '../scores/scoreModel.ts';

/** What effects, BIF and XMLBIF need beyond the samples: the data the run scored, and how. */
export interface ExportProblem {
  dataset: Dataset;
  scoreOptions: ScoreOptions;
}

/** Seeded draws per pair for the intervals (fewer than `dagflow effects`, which answers one pair). */
export const EXPORT_EFFECT_DRAWS = { continuous: 2000, discrete: 400 } as const;
const SEED = 1;

export type PairEffects =
  { kind: 'continuous'; standardized: boolean; pairs: ContinuousEffect[] } | { kind: 'discrete'; pairs: DiscreteEffect[] };

export function requireProblem(problem: ExportProblem | undefined, format: string): ExportProblem {
  if (!problem)
    throw new DagflowError(
      'BAD_OPTION',
      `the ${format} export needs the data the run was scored on, and it is not available`,
      { flag: '--format' },
      'export from the run folder of dagflow train or dagflow mcmc (it records its data), or from a run started in this window',
    );
  return problem;
}

/** Effects of every ordered pair (cause ≠ effect), cause-major. */
export function pairEffects(posterior: WeightedDags, problem: ExportProblem, pairs?: ReadonlyArray<[number, number]>): PairEffects {
  const d = posterior.d;
  if (problem.dataset.columns.length !== d)
    throw new DagflowError('BAD_OPTION', `the data has ${problem.dataset.columns.length} columns, the run ${d}`);
  const list = pairs ?? Array.from({ length: d * d }, (_, k): [number, number] => [Math.floor(k / d), k % d]).filter(([i, j]) => i !== j);
  const o = problem.scoreOptions;
  if (o.score === 'bge') {
    const bge = bgePosterior(problem.dataset, { alphaMu: o.alphaMu, alphaW: o.alphaW, mean: o.mean });
    return {
      kind: 'continuous',
      standardized: problem.dataset.standardized,
      pairs: list.map(([i, j]) => bgeTotalEffect(posterior, bge, i, j, { draws: EXPORT_EFFECT_DRAWS.continuous, seed: SEED })),
    };
  }
  return {
    kind: 'discrete',
    pairs: list.map(([i, j]) =>
      bdeuInterventionalEffect(posterior, problem.dataset, o.ess ?? 1, i, j, { draws: EXPORT_EFFECT_DRAWS.discrete, seed: SEED }),
    ),
  };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const num = (x: number | undefined): string => (x === undefined ? '' : String(x));

/**
 * Continuous: cause,effect,mean,mean_se,sd,structural_sd,parameter_sd,interval_low,interval_high,
 * p_no_path,p_no_path_se,units. Discrete: cause,effect,do,outcome,mean,se,interval_low,
 * interval_high,structural_sd,parameter_sd,p_no_path,p_no_path_se. Standard errors are empty for
 * an exact posterior.
 */
export function causalEffectsCsv(columns: readonly string[], effects: PairEffects): string {
  const name = (k: number) => csvCell(columns[k]!);
  if (effects.kind === 'continuous') {
    const units = effects.standardized ? 'sd per sd' : 'unit per unit';
    const lines = ['cause,effect,mean,mean_se,sd,structural_sd,parameter_sd,interval_low,interval_high,p_no_path,p_no_path_se,units'];
    for (const e of effects.pairs) {
      const se = e.standardErrors;
      lines.push(
        [name(e.cause), name(e.effect), num(e.mean), num(se?.mean), num(e.sd), num(e.structuralSd), num(e.parameterSd)]
          .concat([num(e.interval[0]), num(e.interval[1]), num(e.probabilityNoPath), num(se?.probabilityNoPath), units])
          .join(','),
      );
    }
    return lines.join('\n') + '\n';
  }
  const lines = ['cause,effect,do,outcome,mean,se,interval_low,interval_high,structural_sd,parameter_sd,p_no_path,p_no_path_se'];
  for (const e of effects.pairs) {
    for (const c of e.cells) {
      lines.push(
        [name(e.cause), name(e.effect), csvCell(c.x), csvCell(c.y), num(c.mean), num(c.standardError), num(c.interval[0])]
          .concat([
            num(c.interval[1]),
            num(c.structuralSd),
            num(c.parameterSd),
            num(e.probabilityNoPath),
            num(e.standardErrors?.probabilityNoPath),
          ])
          .join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** The same numbers as JSON objects (cause and effect by name; histograms left out). */
export function effectsJson(columns: readonly string[], effects: PairEffects): Record<string, unknown> {
  if (effects.kind === 'continuous')
    return {
      kind: 'continuous',
      units: effects.standardized ? 'standard deviations of the effect per standard deviation of the cause' : 'units per unit',
      draws: EXPORT_EFFECT_DRAWS.continuous,
      pairs: effects.pairs.map((e) => ({
        cause: columns[e.cause],
        effect: columns[e.effect],
        mean: e.mean,
        sd: e.sd,
        structuralSd: e.structuralSd,
        parameterSd: e.parameterSd,
        interval: e.interval,
        structuralInterval: e.structuralInterval,
        probabilityNoPath: e.probabilityNoPath,
        ...(e.standardErrors ? { standardErrors: e.standardErrors } : {}),
      })),
    };
  return {
    kind: 'discrete',
    units: 'P(effect = outcome | do(cause = level))',
    draws: EXPORT_EFFECT_DRAWS.discrete,
    pairs: effects.pairs.map((e) => ({
      cause: columns[e.cause],
      effect: columns[e.effect],
      probabilityNoPath: e.probabilityNoPath,
      ...(e.standardErrors ? { standardErrors: e.standardErrors } : {}),
      cells: e.cells.map((c) => ({
        do: c.x,
        outcome: c.y,
        mean: c.mean,
        interval: c.interval,
        structuralSd: c.structuralSd,
        parameterSd: c.parameterSd,
        ...(c.standardError !== undefined ? { standardError: c.standardError } : {}),
      })),
    })),
  };
}
