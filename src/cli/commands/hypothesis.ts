/**
 * `dagflow hypothesis --graph EDGES.csv`: where a user's DAG sits in the posterior — its log
 * posterior (with how log Z was obtained), rank and percentile, the probability of each of its
 * edges and of its Markov equivalence class, and the pairs where the posterior disagrees most.
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import { structuralFeatures } from '../../gflownet/causal/features.ts';
import { estimateLogZFromSamples, locateHypothesis, type HypothesisReport, type LogZMethod } from '../../gflownet/causal/hypothesis.ts';
import { compileConstraints, familyAllowed } from '../../gflownet/exact/constraints.ts';
import { dpPosterior } from '../../gflownet/exact/dp.ts';
import { adjacencyFromEdges, findCycle } from '../../gflownet/graph/dag.ts';
import { readEdgeListCsv } from '../../gflownet/graph/edgeList.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { describeSource, sourceJson } from '../answersText.ts';
import { loadPosteriorSource, sourceFlags, type PosteriorSource } from '../posteriorSource.ts';

/** log Z by the subset DP up to this many variables (seconds); beyond, estimated from the samples. */
const DP_LOG_Z_NODES = 16;

const flags = {
  ...sourceFlags,
  graph: { type: 'string', required: true, valueName: 'EDGES.csv', help: 'the hypothesised DAG: a from,to CSV by column name' },
  top: { type: 'number', integer: true, min: 0, default: 5, help: 'show this many most disagreeing pairs' },
  json: {
    type: 'boolean',
    help: 'print one JSON object: {logPosterior, logZ, logZMethod, rank, percentile, edges, equivalenceClassProbability, disagreements, …}',
  },
} as const;

const summary =
  'where a hypothesised DAG sits in the posterior: log posterior, rank, percentile, edge and equivalence-class probabilities, disagreements';

export interface HypothesisJson extends Omit<HypothesisReport, 'edges' | 'disagreements'> {
  columns: string[];
  logZNote: string;
  allowed: boolean;
  edges: Array<{ from: string; to: string; probability: number }>;
  disagreements: Array<{
    from: string;
    to: string;
    hypothesis: 'edge' | 'no-edge';
    probability: number;
    forward: number;
    backward: number;
    none: number;
  }>;
  source: ReturnType<typeof sourceJson>;
  whatIf?: PosteriorSource['whatIf'];
}

const LOG_Z_NOTES: Record<LogZMethod, string> = {
  enumeration: 'exact: log-sum-exp of log R over every allowed DAG',
  dp: 'exact: the subset dynamic programme over every DAG the run allows',
  'sample-estimate':
    'estimated: Σ R(G) over the most frequent sampled DAGs divided by their share of the samples (only as good as the samples)',
};

export const command: CliCommand = {
  name: 'hypothesis',
  summary,
  help: formatHelp(
    'dagflow hypothesis (--run DIR | --data FILE [score flags] [--prior P] --exact) --graph EDGES.csv [--forbid …] [--require …] [--tiers …] [--top K] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    if (opts['edge-belief'] !== undefined) {
      throw new DagflowError(
        'BAD_OPTION',
        "changes the prior, and the log posterior of a hypothesis is computed under the run's prior",
        { flag: '--edge-belief' },
        'use --edge-belief with dagflow features or effects',
      );
    }
    const source = await loadPosteriorSource(opts, argv);
    const { columns } = source;
    const d = columns.length;
    const edges = await readEdgeListCsv(opts.graph, columns);
    const adjacency = adjacencyFromEdges(d, edges);
    const cycle = findCycle(adjacency, d);
    if (cycle)
      throw new DagflowError(
        'BAD_GRAPH',
        `the hypothesis has a cycle: ${[...cycle, cycle[0]!].map((k) => columns[k]).join(' → ')}`,
        { file: opts.graph, flag: '--graph' },
        'a DAG has no directed cycle; remove or reverse one of these edges',
      );
    const hypothesis = new Int32Array(d);
    for (const [i, j] of edges) hypothesis[j]! |= 1 << i;
    const problem = await source.problem();
    const constraints = compileConstraints(d, source.knowledge);
    const allowed = Array.from(hypothesis).every((mask, j) => familyAllowed(constraints, j, mask));
    const logReward = allowed ? problem.reward.logReward(adjacency) : -Infinity;

    let logZ: { value: number; method: LogZMethod };
    if (source.logZ !== null) logZ = { value: source.logZ, method: 'enumeration' };
    else if (d <= DP_LOG_Z_NODES) logZ = { value: (await dpPosterior(problem.reward, source.knowledge)).logZ, method: 'dp' };
    else logZ = { value: estimateLogZFromSamples(source.posterior, source.logRewards), method: 'sample-estimate' };

    const marginals = structuralFeatures(source.posterior).edge;
    const report = locateHypothesis(source.posterior, source.logRewards, marginals, hypothesis, logReward, logZ);
    const out: HypothesisJson = {
      columns,
      ...report,
      logZNote: LOG_Z_NOTES[logZ.method],
      allowed,
      edges: report.edges.map((e) => ({ from: columns[e.from]!, to: columns[e.to]!, probability: e.probability })),
      disagreements: report.disagreements.map((g) => ({ ...g, from: columns[g.from]!, to: columns[g.to]! })),
      source: sourceJson(source),
      ...(source.whatIf ? { whatIf: source.whatIf } : {}),
    };
    if (opts.json) {
      io.stdout(JSON.stringify(out, (_k, v) => (v === -Infinity ? null : v)));
      return 0;
    }
    io.stdout(describe(out, source, opts.top));
    return 0;
  },
};

function describe(h: HypothesisJson, source: PosteriorSource, top: number): string {
  const f = (x: number): string => x.toFixed(4);
  const where = source.kind === 'exact' ? 'DAGs' : 'distinct sampled DAGs';
  const lines = [describeSource(source), ''];
  if (!h.allowed) lines.push('the hypothesis breaks the prior knowledge the posterior obeys: its posterior probability is 0');
  lines.push(
    `log R(G) = ${h.logReward.toFixed(4)}   log Z = ${h.logZ.toFixed(4)} (${h.logZNote})`,
    `log P(G | D) = ${h.logPosterior.toFixed(4)}   P(G | D) = ${Math.exp(h.logPosterior).toExponential(3)}`,
    `rank ${h.rank}: ${h.rank - 1} of the ${h.distinctDags} ${where} score higher${h.inPosterior ? '' : ' (the hypothesis itself is not among them)'}; ${h.percentile.toFixed(1)} % of the posterior mass is on DAGs no more probable`,
    `P(its Markov equivalence class) = ${f(h.equivalenceClassProbability)}`,
    '',
    `its ${h.edges.length} edge${h.edges.length === 1 ? '' : 's'}:`,
    ...h.edges.map((e) => `  ${e.from} → ${e.to}   P = ${f(e.probability)}`),
    '',
    'where the posterior disagrees most (P of what the hypothesis says about the pair):',
  );
  for (const g of h.disagreements.slice(0, top)) {
    lines.push(
      g.hypothesis === 'edge'
        ? `  ${g.from} → ${g.to}: P = ${f(g.probability)} (reversed ${f(g.backward)}, absent ${f(g.none)})`
        : `  no edge ${g.from} — ${g.to}: P = ${f(g.probability)} (${g.from} → ${g.to} ${f(g.forward)}, ${g.to} → ${g.from} ${f(g.backward)})`,
    );
  }
  return lines.join('\n');
}
