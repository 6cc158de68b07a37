/**
 * `dagflow effects --cause X --effect Y`: the causal effect of do(X) on Y averaged over the
 * posterior over DAGs. Continuous data (BGe): the total effect (mean, 95 % interval, histogram,
 * P(no directed path), structural vs parameter sd). Discrete data (BDeu): P(Y = y | do(X = x))
 * per level, with the same summaries over DAGs. docs/answers.md explains the numbers.
 */
import { bdeuInterventionalEffect, type DiscreteEffect } from '../../gflownet/causal/bdeuEffects.ts';
import { bgeTotalEffect } from '../../gflownet/causal/bgeEffects.ts';
import type { Histogram } from '../../gflownet/causal/summaries.ts';
import { bgePosterior } from '../../gflownet/scores/bge.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { columnIndex, describeSource, sourceJson } from '../answersText.ts';
import { loadPosteriorSource, sourceFlags, type PosteriorSource } from '../posteriorSource.ts';

const flags = {
  ...sourceFlags,
  cause: { type: 'string', required: true, valueName: 'X', help: 'the variable set by intervention, do(X)' },
  effect: { type: 'string', required: true, valueName: 'Y', help: 'the outcome' },
  draws: {
    type: 'number',
    integer: true,
    min: 100,
    help: 'draws of (DAG, coefficients or tables) for the interval, the histogram and (discrete) the parameter sd (default 20000 continuous, 2000 discrete)',
  },
  seed: { type: 'number', integer: true, min: 0, default: 1, help: 'seed of those draws' },
  'histogram-bins': { type: 'number', integer: true, min: 1, max: 1000, default: 40, help: 'bins of the effect histogram' },
  json: {
    type: 'boolean',
    help: 'print one JSON object: {cause, effect, mean, interval, probabilityNoPath, structuralSd, parameterSd, histogram, units, …} (discrete: per level)',
  },
} as const;

const summary =
  'causal effect of do(X) on Y averaged over the posterior: mean, 95 % interval, histogram, P(no effect), structural vs parameter uncertainty';

export interface ContinuousEffectJson {
  kind: 'continuous';
  cause: string;
  effect: string;
  units: string;
  mean: number;
  interval: [number, number];
  probabilityNoPath: number;
  sd: number;
  structuralSd: number;
  parameterSd: number;
  structuralInterval: [number, number];
  histogram: Histogram;
  standardErrors?: { mean: number; probabilityNoPath: number };
  draws: number;
  seed: number;
  source: ReturnType<typeof sourceJson>;
  whatIf?: PosteriorSource['whatIf'];
}

export interface DiscreteEffectJson {
  kind: 'discrete';
  cause: string;
  effect: string;
  units: string;
  probabilityNoPath: number;
  standardErrors?: { probabilityNoPath: number };
  /** One entry per level x of the cause: the distribution of the effect under do(cause = x). */
  interventions: Array<{
    do: string;
    outcomes: Array<{
      level: string;
      mean: number;
      interval: [number, number];
      structuralInterval: [number, number];
      structuralSd: number;
      parameterSd: number;
      standardError?: number;
      histogram: Histogram;
    }>;
  }>;
  draws: number;
  seed: number;
  source: ReturnType<typeof sourceJson>;
  whatIf?: PosteriorSource['whatIf'];
}

export const command: CliCommand = {
  name: 'effects',
  summary,
  help: formatHelp(
    'dagflow effects (--run DIR | --data FILE [score flags] [--prior P] --exact) --cause X --effect Y [--forbid EDGES.csv] [--require EDGES.csv] [--tiers FILE.csv] [--edge-belief FILE.csv] [--draws N] [--seed S] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const source = await loadPosteriorSource(opts, argv);
    const cause = columnIndex(source.columns, opts.cause, '--cause');
    const effect = columnIndex(source.columns, opts.effect, '--effect');
    const problem = await source.problem();
    for (const w of problem.dataset.report.warnings) io.stderr(`warning: ${w}`);
    const sourceInfo = sourceJson(source);
    let out: ContinuousEffectJson | DiscreteEffectJson;
    if (problem.scoreOptions.score === 'bge') {
      const o = problem.scoreOptions;
      const bge = bgePosterior(problem.dataset, { alphaMu: o.alphaMu, alphaW: o.alphaW, mean: o.mean });
      const e = bgeTotalEffect(source.posterior, bge, cause, effect, {
        draws: opts.draws ?? 20000,
        seed: opts.seed,
        bins: opts['histogram-bins'],
      });
      out = {
        kind: 'continuous',
        cause: opts.cause,
        effect: opts.effect,
        units: problem.dataset.standardized
          ? `standard deviations of ${opts.effect} per standard deviation of ${opts.cause} (the columns were z-scored)`
          : `units of ${opts.effect} per unit of ${opts.cause}`,
        mean: e.mean,
        interval: e.interval,
        probabilityNoPath: e.probabilityNoPath,
        sd: e.sd,
        structuralSd: e.structuralSd,
        parameterSd: e.parameterSd,
        structuralInterval: e.structuralInterval,
        histogram: e.histogram,
        ...(e.standardErrors ? { standardErrors: e.standardErrors } : {}),
        draws: e.draws,
        seed: e.seed,
        source: sourceInfo,
        ...(source.whatIf ? { whatIf: source.whatIf } : {}),
      };
    } else {
      const e = bdeuInterventionalEffect(source.posterior, problem.dataset, problem.scoreOptions.ess ?? 1, cause, effect, {
        bins: opts['histogram-bins'],
        draws: opts.draws ?? 2000,
        seed: opts.seed,
      });
      out = discreteJson(e, opts.cause, opts.effect, sourceInfo, source.whatIf);
    }
    if (opts.json) {
      io.stdout(JSON.stringify(out));
      return 0;
    }
    io.stdout([describeSource(source), '', ...(out.kind === 'continuous' ? describeContinuous(out) : describeDiscrete(out))].join('\n'));
    return 0;
  },
};

function discreteJson(
  e: DiscreteEffect,
  cause: string,
  effect: string,
  source: DiscreteEffectJson['source'],
  whatIf: PosteriorSource['whatIf'],
): DiscreteEffectJson {
  const ry = e.effectLevels.length;
  return {
    kind: 'discrete',
    cause,
    effect,
    units: `probabilities P(${effect} = y | do(${cause} = x))`,
    probabilityNoPath: e.probabilityNoPath,
    ...(e.standardErrors ? { standardErrors: e.standardErrors } : {}),
    interventions: e.causeLevels.map((x, xi) => ({
      do: x,
      outcomes: e.cells.slice(xi * ry, (xi + 1) * ry).map((c) => ({
        level: c.y,
        mean: c.mean,
        interval: c.interval,
        structuralInterval: c.structuralInterval,
        structuralSd: c.structuralSd,
        parameterSd: c.parameterSd,
        ...(c.standardError !== undefined ? { standardError: c.standardError } : {}),
        histogram: c.histogram,
      })),
    })),
    draws: e.draws,
    seed: e.seed,
    source,
    ...(whatIf ? { whatIf } : {}),
  };
}

const f4 = (x: number): string => x.toFixed(4);

function describeContinuous(e: ContinuousEffectJson): string[] {
  const se = e.standardErrors;
  return [
    `total causal effect of do(${e.cause}) on ${e.effect}, in ${e.units}:`,
    `  posterior mean     ${f4(e.mean)}${se ? ` ± ${f4(se.mean)} (Monte Carlo SE)` : ''}`,
    `  95 % interval      [${f4(e.interval[0])}, ${f4(e.interval[1])}]  (structure and coefficients; ${e.draws} seeded draws)`,
    `  P(no directed path ${e.cause} ⇝ ${e.effect}, effect exactly 0)  ${f4(e.probabilityNoPath)}${se ? ` ± ${f4(se.probabilityNoPath)}` : ''}`,
    `  posterior sd       ${f4(e.sd)} = √(structural ${f4(e.structuralSd)}² + parameter ${f4(e.parameterSd)}²)`,
    `  over DAGs alone    95 % of the posterior mass has E[effect | G] in [${f4(e.structuralInterval[0])}, ${f4(e.structuralInterval[1])}]`,
    '',
    'distribution of the effect where a directed path exists (histogram of the draws; the rest sit at exactly 0):',
    ...textHistogram(e.histogram),
  ];
}

function describeDiscrete(e: DiscreteEffectJson): string[] {
  const lines = [
    `interventional distributions ${e.units}, averaged over the posterior (posterior-mean tables per DAG):`,
    `  P(no directed path ${e.cause} ⇝ ${e.effect}) = ${f4(e.probabilityNoPath)}`,
  ];
  for (const i of e.interventions) {
    lines.push(`  do(${e.cause} = ${i.do}):`);
    for (const o of i.outcomes) {
      lines.push(
        `    P(${e.effect} = ${o.level}) = ${f4(o.mean)}${o.standardError !== undefined ? ` ± ${f4(o.standardError)}` : ''}   95 % [${f4(o.interval[0])}, ${f4(o.interval[1])}]   sd: structural ${f4(o.structuralSd)}, parameter ${f4(o.parameterSd)}`,
      );
    }
  }
  lines.push(`  (intervals from ${e.draws} seeded draws of a DAG and its tables)`);
  return lines;
}

function textHistogram(h: Histogram): string[] {
  const max = Math.max(...h.probability, 1e-300);
  return h.probability.map(
    (p, b) =>
      `  ${h.binEdges[b]!.toFixed(3).padStart(9)} … ${h.binEdges[b + 1]!.toFixed(3).padEnd(9)} ${'#'.repeat(Math.round((40 * p) / max)).padEnd(40)} ${(100 * p).toFixed(2)} %`,
  );
}
