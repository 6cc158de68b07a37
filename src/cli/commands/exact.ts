/**
 * `dagflow exact`: the exact posterior over DAGs for a data set — by enumeration up to
 * MAX_ENUMERATION_NODES variables (log Z, edge marginals, the tied MAP set, expected edges,
 * and the whole distribution so `dagflow evaluate` can compute a JSD), by the subset DP up to
 * MAX_DP_NODES (log Z, edge marginals, expected edges).
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { JobContext } from '../../gflownet/core/job.ts';
import { dpPosterior, MAX_DP_NODES, type DpProgress } from '../../gflownet/exact/dp.ts';
import { MAX_ENUMERATION_NODES } from '../../gflownet/exact/enumerate.ts';
import { enumeratePosterior } from '../../gflownet/exact/posterior.ts';
import { edgesFromCode } from '../../gflownet/graph/dagCode.ts';
import { createRewardModel } from '../../gflownet/scores/reward.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { knowledgeFlags, loadKnowledge } from '../knowledge.ts';
import { dataFlags, loadScoringProblem } from '../problem.ts';

const flags = {
  ...dataFlags,
  ...knowledgeFlags,
  method: { type: 'enum', values: ['auto', 'enumeration', 'dp'], default: 'auto', help: `auto = enumeration up to ${MAX_ENUMERATION_NODES} variables, the subset DP up to ${MAX_DP_NODES}` },
  top: { type: 'number', integer: true, min: 0, default: 0, help: 'enumeration: also list the K most probable DAGs' },
  json: { type: 'boolean', help: 'print one JSON object: {columns, method, logZ, edgeMarginals, map, expectedEdges, …}' },
} as const;

const summary = 'exact posterior over DAGs: log Z, edge marginals, MAP set (enumeration ≤ 5 variables, DP beyond)';

/** What `dagflow exact --json` prints and `dagflow evaluate --exact` reads. */
export interface ExactJson {
  columns: string[];
  method: 'enumeration' | 'dp';
  score: string;
  prior: { kind: string; edgesPerNode?: number; beta?: number };
  maxParents: number;
  logZ: number;
  /** [i][j] = P(columns[i] → columns[j]). */
  edgeMarginals: number[][];
  expectedEdges: number;
  map?: Array<{ edges: Array<[string, string]>; logPosterior: number }>;
  top?: Array<{ edges: Array<[string, string]>; logPosterior: number }>;
  numDags?: number;
  entropy?: number;
  /** Enumeration: every allowed DAG; code bit i·d + j set ⇔ edge columns[i] → columns[j]. */
  posterior?: { codes: number[]; logPosterior: number[] };
  /** DP: |Σ node weights − 1|, a measured bound on rounding error. */
  numericalCheck?: number;
  seconds: number;
}

export const command: CliCommand = {
  name: 'exact',
  summary,
  help: formatHelp(
    'dagflow exact --data FILE [score flags as in dagflow score] [--prior uniform|erdos-renyi|edge|fair] [--edges-per-node E] [--beta B] [--max-parents K] [--forbid EDGES.csv] [--require EDGES.csv] [--tiers FILE.csv] [--method auto|enumeration|dp] [--top K] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const started = performance.now();
    const { dataset, model, scoreOptions } = await loadScoringProblem(opts);
    const columns = [...dataset.columns];
    const d = columns.length;
    const method = opts.method === 'auto' ? (d <= MAX_ENUMERATION_NODES ? 'enumeration' : 'dp') : (opts.method as 'enumeration' | 'dp');
    if (method === 'enumeration' && d > MAX_ENUMERATION_NODES) {
      throw new DagflowError('TOO_LARGE', `enumeration is limited to ${MAX_ENUMERATION_NODES} variables; the data has ${d}`, { flag: '--method' }, 'use --method dp (or auto)');
    }
    if (d > MAX_DP_NODES) {
      throw new DagflowError('TOO_LARGE', `the exact posterior is limited to ${MAX_DP_NODES} variables (dynamic programme over node subsets); the data has ${d}`, { file: opts.data }, 'use --exclude to drop columns, or sample with dagflow train / dagflow mcmc');
    }
    const { prior, priorTable, knowledge } = await loadKnowledge(opts, columns);
    for (const w of dataset.report.warnings) io.stderr(`warning: ${w}`);
    const reward = createRewardModel(model, priorTable);
    const base = { columns, score: scoreOptions.score, prior: stripUndefined(prior), maxParents: knowledge.maxParents };
    const named = (code: number): Array<[string, string]> => edgesFromCode(code, d).map(([i, j]) => [columns[i]!, columns[j]!]);

    let out: ExactJson;
    if (method === 'enumeration') {
      const p = await enumeratePosterior(reward, knowledge);
      out = {
        ...base,
        method,
        logZ: p.logZ,
        edgeMarginals: toMatrix(p.edgeMarginals, d),
        expectedEdges: p.expectedEdges,
        map: p.map.map((m) => ({ edges: named(m.code), logPosterior: m.logPosterior })),
        ...(opts.top > 0 ? { top: p.top(opts.top).map((t) => ({ edges: named(t.code), logPosterior: t.logPosterior })) } : {}),
        numDags: p.numDags,
        entropy: p.entropy,
        posterior: { codes: Array.from(p.distribution.codes), logPosterior: Array.from(p.distribution.logProb) },
        seconds: 0,
      };
    } else {
      const p = await dpPosterior(reward, knowledge, progressToStderr(io.stderr, !opts.json));
      out = { ...base, method, logZ: p.logZ, edgeMarginals: toMatrix(p.edgeMarginals, d), expectedEdges: p.expectedEdges, numericalCheck: p.numericalCheck, seconds: 0 };
    }
    out.seconds = (performance.now() - started) / 1000;

    if (opts.json) {
      io.stdout(JSON.stringify(out));
      return 0;
    }
    io.stdout(describe(out));
    return 0;
  },
};

function toMatrix(m: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(m.subarray(i * d, (i + 1) * d)));
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function progressToStderr(write: (s: string) => void, enabled: boolean): JobContext<DpProgress> {
  let last = Date.now();
  return {
    signal: new AbortController().signal,
    log: () => {},
    progress: (p) => {
      if (!enabled || Date.now() - last < 5000) return;
      last = Date.now();
      write(`  ${p.phase}: ${((100 * p.done) / Math.max(1, p.total)).toFixed(0)}%`);
    },
  };
}

function describe(out: ExactJson): string {
  const d = out.columns.length;
  const lines = [
    `exact posterior by ${out.method === 'enumeration' ? `enumeration of ${out.numDags} DAGs` : 'dynamic programming over node subsets'} (${out.score}, ${out.prior.kind} prior${out.maxParents < d - 1 ? `, at most ${out.maxParents} parents` : ''}) in ${out.seconds.toFixed(2)} s`,
    `log Z = ${out.logZ}`,
    `expected number of edges = ${out.expectedEdges.toFixed(4)}`,
  ];
  if (out.entropy !== undefined) lines.push(`posterior entropy = ${out.entropy.toFixed(4)} nats`);
  const width = Math.max(6, ...out.columns.map((c) => c.length));
  lines.push('', 'edge marginals P(row → column):', `${''.padEnd(width)} ${out.columns.map((c) => c.padStart(width)).join(' ')}`);
  out.edgeMarginals.forEach((row, i) => lines.push(`${out.columns[i]!.padEnd(width)} ${row.map((p) => p.toFixed(4).padStart(width)).join(' ')}`));
  const list = (title: string, dags: NonNullable<ExactJson['map']>): void => {
    lines.push('', title);
    for (const g of dags) lines.push(`  log P = ${g.logPosterior.toFixed(6)}  ${g.edges.length === 0 ? '(empty graph)' : g.edges.map(([a, b]) => `${a}→${b}`).join(' ')}`);
  };
  if (out.map) list(`MAP: ${out.map.length} tied DAG${out.map.length === 1 ? '' : 's'}`, out.map);
  if (out.top) list(`top ${out.top.length} DAGs:`, out.top);
  return lines.join('\n');
}
