/**
 * `dagflow score`: the log marginal likelihood log p(D | G) of one graph (the empty graph by
 * default) and its per-node local scores, BGe or BDeu, with no prior term.
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import { adjacencyFromEdges, findCycle } from '../../gflownet/graph/dag.ts';
import { readEdgeListCsv } from '../../gflownet/graph/edgeList.ts';
import { graphLocalScores } from '../../gflownet/scores/graphScore.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { dataFlags, loadScoringProblem } from '../dataFlags.ts';

const flags = {
  ...dataFlags,
  graph: {
    type: 'string',
    valueName: 'EDGES.csv',
    help: 'the graph: a CSV with a from,to header and one edge per row, by column name (default: the empty graph)',
  },
  json: { type: 'boolean', help: 'print one JSON object: {score, columns, rows, total, nodes}' },
} as const;

const summary = 'log marginal likelihood log p(D | G) of a graph, total and per node (BGe or BDeu, no prior term)';

export const command: CliCommand = {
  name: 'score',
  summary,
  help: formatHelp(
    'dagflow score --data FILE [--score bge|bdeu] [--graph EDGES.csv] [--int FILE | --int-column NAME] [--standardize | --no-standardize] [--mean zero|sample] [--alpha-mu X] [--alpha-w X] [--ess X] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const { dataset, model, scoreOptions } = await loadScoringProblem(opts);
    const d = dataset.columns.length;
    const edges = opts.graph === undefined ? [] : await readEdgeListCsv(opts.graph, dataset.columns);
    const adjacency = adjacencyFromEdges(d, edges);
    const cycle = findCycle(adjacency, d);
    if (cycle) {
      const path = [...cycle, cycle[0]!].map((k) => dataset.columns[k]).join(' → ');
      throw new DagflowError(
        'BAD_GRAPH',
        `the edges form a cycle: ${path}`,
        { file: opts.graph },
        'a DAG has no directed cycle; remove or reverse one of these edges',
      );
    }
    const local = graphLocalScores(model, adjacency);
    let total = 0;
    for (const v of local) total += v;
    for (const w of dataset.report.warnings) io.stderr(`warning: ${w}`);

    const nodes: Record<string, number> = {};
    dataset.columns.forEach((c, j) => (nodes[c] = local[j]!));
    if (opts.json) {
      io.stdout(JSON.stringify({ score: scoreOptions.score, columns: dataset.columns, rows: dataset.rows, total, nodes }));
      return 0;
    }
    const width = Math.max('total'.length, ...dataset.columns.map((c) => c.length));
    const lines = [
      `${scoreOptions.score === 'bge' ? 'BGe' : 'BDeu'} score of a graph with ${edges.length} edge${edges.length === 1 ? '' : 's'} on ${d} variables, ${dataset.rows} rows${dataset.interventions ? ' (interventional)' : ''}`,
      ...dataset.columns.map((c, j) => `  ${c.padEnd(width)}  ${local[j]!.toFixed(6)}`),
      `  ${'total'.padEnd(width)}  ${total.toFixed(6)}`,
    ];
    io.stdout(lines.join('\n'));
    return 0;
  },
};
