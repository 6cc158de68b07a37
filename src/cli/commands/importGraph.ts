/**
 * `dagflow import-graph`: read a reference graph or prior knowledge (edge-list CSV, DOT,
 * GraphML, adjacency-matrix CSV, Tetrad text) against a data set's columns and print it — the check the
 * app runs when a user imports a graph, usable from scripts.
 */
import { previewCsv } from '../../gflownet/data/preview.ts';
import { GRAPH_FILE_FORMATS, importGraphFile } from '../../gflownet/graphio/importGraph.ts';
import type { GraphFileFormat } from '../../gflownet/graphio/parsedGraph.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';

const flags = {
  file: { type: 'string', required: true, valueName: 'GRAPH', help: 'the graph file' },
  'columns-from': { type: 'string', required: true, valueName: 'DATA.csv', help: 'the data set whose column names the graph must use' },
  format: {
    type: 'enum',
    values: ['auto', ...GRAPH_FILE_FORMATS],
    default: 'auto',
    help: 'file format (auto: by extension, then by content)',
  },
  'allow-cycles': { type: 'boolean', help: 'accept cycles (forbidden-edge lists); a reference graph must be acyclic' },
  json: { type: 'boolean', help: 'print one JSON object: {file, format, columns, edges: [[from, to], …]}' },
} as const;

const summary = 'read a graph file (edge list, DOT, GraphML, adjacency matrix, Tetrad) against a data set and print its edges';

export const command: CliCommand = {
  name: 'import-graph',
  summary,
  help: formatHelp('dagflow import-graph --file GRAPH --columns-from DATA.csv [--format F] [--allow-cycles] [--json]', summary, flags),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const { columns } = await previewCsv(opts['columns-from'], { maxRows: 0 });
    const graph = await importGraphFile(opts.file, columns, {
      format: opts.format as GraphFileFormat | 'auto',
      acyclic: !opts['allow-cycles'],
    });
    const edges = graph.edges.map(([i, j]) => [columns[i]!, columns[j]!]);
    if (opts.json) io.stdout(JSON.stringify({ file: graph.file, format: graph.format, columns, edges }));
    else
      io.stdout(
        [
          `${graph.file}: ${graph.format}, ${edges.length} edges over ${columns.length} columns`,
          ...edges.map(([a, b]) => `  ${a} -> ${b}`),
        ].join('\n'),
      );
    return 0;
  },
};
