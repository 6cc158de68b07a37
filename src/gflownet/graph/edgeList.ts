/**
 * Reading a graph from an edge-list CSV: a header with columns `from` and `to` (other columns
 * are ignored) and one edge per row, naming variables by their column names. Unknown names,
 * self-loops and duplicate edges are errors naming the file and row. Acyclicity is the
 * caller's check (dag.ts findCycle), since some callers read cyclic drafts on purpose.
 */
import { DagflowError, isDagflowError } from '../core/errors.ts';
import { streamCsv } from '../data/csv.ts';

export async function readEdgeListCsv(file: string, columns: readonly string[]): Promise<Array<[number, number]>> {
  const index = new Map(columns.map((name, k) => [name, k]));
  const edges: Array<[number, number]> = [];
  const firstRow = new Map<number, number>();
  let fromCol = -1;
  let toCol = -1;
  const hint = `name variables by their column names: ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''}`;
  try {
    await streamCsv(
      file,
      (header) => {
        const lower = header.map((h) => h.toLowerCase());
        fromCol = lower.indexOf('from');
        toCol = lower.indexOf('to');
        if (fromCol < 0 || toCol < 0) {
          throw new DagflowError('BAD_GRAPH', `the edge list needs a header with columns "from" and "to" (found: ${header.join(', ')})`, { file, row: 1 }, 'write one edge per row under a from,to header');
        }
      },
      (fields, row) => {
        const from = fields[fromCol]!.trim();
        const to = fields[toCol]!.trim();
        const i = index.get(from);
        const j = index.get(to);
        for (const [name, k, col] of [[from, i, 'from'], [to, j, 'to']] as const) {
          if (k === undefined) {
            throw new DagflowError('BAD_GRAPH', name === '' ? `the "${col}" node is empty` : `unknown node "${name}": the data has no column of that name`, { file, row, column: col }, hint);
          }
        }
        if (i === j) throw new DagflowError('BAD_GRAPH', `self-loop ${from} → ${to}: a DAG has no edge from a node to itself`, { file, row }, 'remove the row');
        const key = i! * columns.length + j!;
        const earlier = firstRow.get(key);
        if (earlier !== undefined) throw new DagflowError('BAD_GRAPH', `duplicate edge ${from} → ${to} (first on row ${earlier})`, { file, row }, 'list each edge once');
        firstRow.set(key, row);
        edges.push([i!, j!]);
      },
    );
  } catch (e) {
    // A header and no rows is a valid, empty graph.
    if (isDagflowError(e) && e.code === 'HEADER_ONLY' && fromCol >= 0) return [];
    throw e;
  }
  return edges;
}
