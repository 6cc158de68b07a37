/**
 * `dagflow design --query … --rows N`: which intervention to run next. For each candidate
 * target, the expected reduction of the query's uncertainty (nats) after N rows under do(target),
 * with its Monte Carlo standard error, ranked (docs/design.md).
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import { describeGain, queryText } from '../../gflownet/design/describe.ts';
import { DEFAULT_OUTER_SAMPLES, expectedInformationGain, type DesignResult } from '../../gflownet/design/gain.ts';
import { featureProbabilities, queryFeatures, type DesignQuery } from '../../gflownet/design/query.ts';
import type { WeightedDags } from '../../gflownet/causal/weightedDags.ts';
import { describeNewRows, rerunAdvice, updateFlags, writePooledData } from '../designUpdate.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { columnIndex, describeSource, sourceJson } from '../answersText.ts';
import { loadPosteriorSource, sourceFlags } from '../posteriorSource.ts';

const flags = {
  ...sourceFlags,
  ...updateFlags,
  query: {
    type: 'string',
    required: true,
    valueName: 'Q',
    help: 'what to learn: edges (all edge marginals), edge:X,Y (that edge and its direction) or effect:X,Y (whether X affects Y)',
  },
  rows: { type: 'number', integer: true, min: 1, max: 1_000_000, required: true, help: 'rows per experiment (the cost of each candidate)' },
  targets: { type: 'string', valueName: 'A,B,…', help: 'candidate targets, comma-separated column names (default every variable)' },
  outer: {
    type: 'number',
    integer: true,
    min: 2,
    max: 100_000,
    default: DEFAULT_OUTER_SAMPLES,
    help: 'simulated experiments per target (the standard error falls as 1/√outer)',
  },
  seed: { type: 'number', integer: true, min: 0, default: 1, help: 'seed of the simulated experiments' },
  json: {
    type: 'boolean',
    help: 'print one JSON object: {query, rows, uncertaintyBefore, ranking: [{target, expectedGain, standardError, …}], …}',
  },
} as const;

const summary = 'which intervention next: expected information gain per target for a query, with Monte Carlo errors, ranked';

export interface DesignJson {
  query: string;
  queryText: string;
  rows: number;
  outerSamples: number;
  seed: number;
  units: 'nats';
  uncertaintyBefore: number;
  ranking: Array<{
    target: string;
    expectedGain: number;
    standardError: number;
    expectedUncertaintyAfter: number;
    mainPair?: [string, string];
    meanEffectiveSamples?: number;
    sentence: string;
  }>;
  source: ReturnType<typeof sourceJson>;
  /** With --add-rows: the pooled data and the posterior before and after it (exact), or how to rerun (samples). */
  update?: UpdateJson;
}

export interface UpdateJson {
  pooledFile: string;
  oldRows: number;
  newRows: number;
  newRowsText: string;
  /** Whether the posterior was recomputed on the pooled data here (exact), or must be rerun (samples). */
  updated: boolean;
  advice?: string;
  /** The query's uncertainty (nats) before and after the new rows. */
  uncertaintyBefore?: number;
  uncertaintyAfter?: number;
  /** Edge probabilities before and after, largest change first (changes above 0.01). */
  edges?: Array<{ from: string; to: string; before: number; after: number }>;
}

function edgeChanges(before: WeightedDags, after: WeightedDags, columns: readonly string[]): NonNullable<UpdateJson['edges']> {
  const d = columns.length;
  const p = (post: WeightedDags): Float64Array => featureProbabilities(queryFeatures(post, { kind: 'edges' }), post.weights);
  const a = p(before);
  const b = p(after);
  const out: NonNullable<UpdateJson['edges']> = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      if (i !== j && Math.abs(b[i * d + j]! - a[i * d + j]!) > 0.01)
        out.push({ from: columns[i]!, to: columns[j]!, before: a[i * d + j]!, after: b[i * d + j]! });
  return out.sort((x, y) => Math.abs(y.after - y.before) - Math.abs(x.after - x.before));
}

/** `edges`, `edge:X,Y` or `effect:X,Y` with column names, to a query over variable indices. */
export function parseQuery(text: string, columns: readonly string[]): DesignQuery {
  if (text === 'edges') return { kind: 'edges' };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  if (kind !== 'edge' && kind !== 'effect')
    throw new DagflowError('BAD_OPTION', `unknown query "${text}"`, { flag: '--query' }, 'write edges, edge:X,Y or effect:X,Y');
  const names = text.slice(colon + 1).split(',');
  if (colon < 0 || names.length !== 2)
    throw new DagflowError('BAD_OPTION', `the query "${text}" needs two column names`, { flag: '--query' }, `write ${kind}:X,Y`);
  const [a, b] = names.map((n) => columnIndex(columns, n.trim(), '--query')) as [number, number];
  if (a === b) throw new DagflowError('BAD_OPTION', `the query "${text}" names the same variable twice`, { flag: '--query' });
  return kind === 'edge' ? { kind, from: a, to: b } : { kind, cause: a, effect: b };
}

export function designJson(result: DesignResult, queryFlag: string, columns: readonly string[], source: DesignJson['source']): DesignJson {
  return {
    query: queryFlag,
    queryText: queryText(result.query, columns),
    rows: result.rows,
    outerSamples: result.outerSamples,
    seed: result.seed,
    units: 'nats',
    uncertaintyBefore: result.priorUncertainty,
    ranking: result.ranking.map((g) => ({
      target: columns[g.target]!,
      expectedGain: g.expectedGain,
      standardError: g.standardError,
      expectedUncertaintyAfter: g.expectedUncertaintyAfter,
      ...(g.mainPair ? { mainPair: [columns[g.mainPair.a]!, columns[g.mainPair.b]!] as [string, string] } : {}),
      ...(g.meanEffectiveSamples !== undefined ? { meanEffectiveSamples: g.meanEffectiveSamples } : {}),
      sentence: describeGain(result, g, columns),
    })),
    source,
  };
}

export const command: CliCommand = {
  name: 'design',
  summary,
  help: formatHelp(
    'dagflow design (--run DIR | --data FILE [score flags] [--prior P] --exact) --query edges|edge:X,Y|effect:X,Y --rows N [--targets A,B,…] [--outer S] [--seed S] [--add-rows NEW.csv (--add-int-column C | --add-int FILE) --pooled-out FILE.csv] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    let source = await loadPosteriorSource(opts, argv);
    const query = parseQuery(opts.query, source.columns);
    let update: UpdateJson | undefined;
    if (opts['add-rows'] !== undefined) {
      const pooled = await writePooledData(opts);
      const base = { pooledFile: pooled.path, oldRows: pooled.oldRows, newRows: pooled.newRows, newRowsText: describeNewRows(pooled) };
      if (source.kind !== 'exact') {
        update = { ...base, updated: false, advice: rerunAdvice(pooled, source.kind) };
        if (opts.json) io.stdout(JSON.stringify({ update }));
        else io.stdout([describeSource(source), '', `${base.newRowsText}; written to ${pooled.path}.`, update.advice!].join('\n'));
        return 0;
      }
      const after = await loadPosteriorSource({ ...opts, ...pooled.dataFlags }, argv);
      const uncertainty = (post: WeightedDags): number => {
        const f = queryFeatures(post, query);
        return f.uncertainty(featureProbabilities(f, post.weights));
      };
      update = {
        ...base,
        updated: true,
        uncertaintyBefore: uncertainty(source.posterior),
        uncertaintyAfter: uncertainty(after.posterior),
        edges: edgeChanges(source.posterior, after.posterior, source.columns),
      };
      source = after;
    }
    const targets = opts.targets?.split(',').map((n) => columnIndex(source.columns, n.trim(), '--targets'));
    if (targets && new Set(targets).size !== targets.length)
      throw new DagflowError('BAD_OPTION', 'a candidate target is listed twice', { flag: '--targets' });
    const problem = await source.problem();
    for (const w of problem.dataset.report.warnings) io.stderr(`warning: ${w}`);
    const result = await expectedInformationGain(source.posterior, problem.dataset, problem.scoreOptions, {
      query,
      rows: opts.rows,
      outerSamples: opts.outer,
      seed: opts.seed,
      ...(targets ? { targets } : {}),
    });
    const out: DesignJson = { ...designJson(result, opts.query, source.columns, sourceJson(source)), ...(update ? { update } : {}) };
    if (opts.json) {
      io.stdout(JSON.stringify(out));
      return 0;
    }
    const width = Math.max(6, ...out.ranking.map((r) => r.target.length));
    const ess = (r: DesignJson['ranking'][number]): string =>
      r.meanEffectiveSamples === undefined ? '' : `  ${r.meanEffectiveSamples.toFixed(0).padStart(17)}`;
    const essHeader = out.ranking.some((r) => r.meanEffectiveSamples !== undefined) ? '  samples left (ESS)' : '';
    io.stdout(
      [
        describeSource(source),
        '',
        ...(update ? updateText(update, out.queryText) : []),
        `query: ${out.queryText}; uncertainty now ${out.uncertaintyBefore.toFixed(3)} nats; ${out.rows} rows per experiment; ${out.outerSamples} simulated experiments per target (seed ${out.seed})`,
        '',
        `${'target'.padEnd(width)}  expected gain (nats)  standard error${essHeader}`,
        ...out.ranking.map(
          (r) =>
            `${r.target.padEnd(width)}  ${r.expectedGain.toFixed(4).padStart(20)}  ${r.standardError.toFixed(4).padStart(14)}${ess(r)}`,
        ),
        '',
        ...out.ranking.map((r) => `- ${r.sentence}`),
      ].join('\n'),
    );
    return 0;
  },
};

function updateText(u: UpdateJson, query: string): string[] {
  return [
    `${u.newRowsText}; written to ${u.pooledFile}; the exact posterior recomputed on the pooled data.`,
    `uncertainty about ${query}: ${u.uncertaintyBefore!.toFixed(3)} nats before, ${u.uncertaintyAfter!.toFixed(3)} after.`,
    ...(u.edges!.length > 0
      ? [
          'edge probabilities that changed (before → after):',
          ...u.edges!.slice(0, 12).map((e) => `  ${e.from} → ${e.to}: ${e.before.toFixed(3)} → ${e.after.toFixed(3)}`),
        ]
      : ['no edge probability changed by more than 0.01.']),
    '',
    'the next experiment, on the updated posterior:',
  ];
}
