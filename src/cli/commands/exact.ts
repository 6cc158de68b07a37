/**
 * `dagflow exact`: the exact posterior over DAGs for a data set — by enumeration up to
 * MAX_ENUMERATION_NODES variables (log Z, edge marginals, the tied MAP set, expected edges,
 * and the whole distribution so `dagflow evaluate` can compute a JSD), by the subset DP up to
 * MAX_DP_NODES (log Z, edge marginals, expected edges). The work is the `exact` job kind, the
 * same the window runs.
 */
import { MAX_DP_NODES } from '../../gflownet/exact/dp.ts';
import { MAX_ENUMERATION_NODES } from '../../gflownet/exact/enumerate.ts';
import { runJobInProcess } from '../../jobs/inProcess.ts';
import type { ExactProgress } from '../../jobs/kinds/exact.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { knowledgeFlags } from '../knowledgeFlags.ts';
import { dataFlags, problemSpecFromFlags } from '../dataFlags.ts';

const flags = {
  ...dataFlags,
  ...knowledgeFlags,
  method: {
    type: 'enum',
    values: ['auto', 'enumeration', 'dp'],
    default: 'auto',
    help: `auto = enumeration up to ${MAX_ENUMERATION_NODES} variables, the subset DP up to ${MAX_DP_NODES}`,
  },
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
    const { posterior, exact } = await runJobInProcess(
      'exact',
      { problem: problemSpecFromFlags(opts), method: opts.method as 'auto' | 'enumeration' | 'dp', top: opts.top },
      { onProgress: progressToStderr(io.stderr, !opts.json) },
    );
    for (const w of exact.warnings) io.stderr(`warning: ${w}`);
    const columns = posterior.variables;
    const d = columns.length;
    const named = (edges: Array<[number, number]>): Array<[string, string]> => edges.map(([i, j]) => [columns[i]!, columns[j]!]);
    const out: ExactJson = {
      columns,
      method: exact.method,
      score: exact.score,
      prior: exact.prior,
      maxParents: exact.maxParents,
      logZ: posterior.logZ!,
      edgeMarginals: toMatrix(posterior.edgeMarginals, d),
      expectedEdges: exact.expectedEdges,
      ...(exact.map ? { map: exact.map.map((m) => ({ edges: named(m.edges), logPosterior: m.logPosterior })) } : {}),
      ...(exact.top ? { top: exact.top.map((t) => ({ edges: named(t.edges), logPosterior: t.logPosterior })) } : {}),
      ...(exact.numDags !== undefined ? { numDags: exact.numDags } : {}),
      ...(exact.entropy !== undefined ? { entropy: exact.entropy } : {}),
      ...(posterior.distribution
        ? { posterior: { codes: Array.from(posterior.distribution.codes), logPosterior: Array.from(posterior.distribution.logProb) } }
        : {}),
      ...(exact.numericalCheck !== undefined ? { numericalCheck: exact.numericalCheck } : {}),
      seconds: (performance.now() - started) / 1000,
    };

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

/** DP progress on stderr every 5 s (the enumeration takes seconds at most). */
function progressToStderr(write: (s: string) => void, enabled: boolean): (p: ExactProgress) => void {
  let last = Date.now();
  return (p) => {
    if (!enabled || Date.now() - last < 5000) return;
    last = Date.now();
    write(`  ${p.phase}: ${((100 * p.done) / Math.max(1, p.total)).toFixed(0)}%`);
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
  out.edgeMarginals.forEach((row, i) =>
    lines.push(`${out.columns[i]!.padEnd(width)} ${row.map((p) => p.toFixed(4).padStart(width)).join(' ')}`),
  );
  const list = (title: string, dags: NonNullable<ExactJson['map']>): void => {
    lines.push('', title);
    for (const g of dags)
      lines.push(
        `  log P = ${g.logPosterior.toFixed(6)}  ${g.edges.length === 0 ? '(empty graph)' : g.edges.map(([a, b]) => `${a}→${b}`).join(' ')}`,
      );
  };
  if (out.map) list(`MAP: ${out.map.length} tied DAG${out.map.length === 1 ? '' : 's'}`, out.map);
  if (out.top) list(`top ${out.top.length} DAGs:`, out.top);
  return lines.join('\n');
}
