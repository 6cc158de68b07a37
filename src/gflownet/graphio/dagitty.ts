/**
 * DAGitty's model syntax (dagitty.net, the R package dagitty), which clinicians use to edit and
 * reason on DAGs (adjustment sets, implied independencies):
 *
 *   dag {
 *   A
 *   "blood pressure"
 *   A -> "blood pressure"
 *   }
 *
 * Names that are not plain identifiers are double-quoted; a name holding a double quote or a
 * line break cannot be written (a clear error says so).
 */
import { DagflowError } from '../core/errors.ts';
import type { ExportGraph } from './graph.ts';

function dagittyName(name: string): string {
  if (name === '' || /["\r\n]/.test(name)) {
    throw new DagflowError(
      'BAD_GRAPH',
      `DAGitty cannot hold the node name ${JSON.stringify(name)} (empty, a double quote or a line break)`,
      { flag: '--format' },
      'rename the column, or export GraphML or DOT',
    );
  }
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `"${name}"`;
}

export function writeDagitty(graph: ExportGraph): string {
  const lines = [
    'dag {',
    ...graph.nodes.map(dagittyName),
    ...graph.edges.map((e) => `${dagittyName(e.from)} -> ${dagittyName(e.to)}`),
    '}',
    '',
  ];
  return lines.join('\n');
}
