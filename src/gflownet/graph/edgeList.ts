/**
 * Reading a graph from an edge-list CSV: a header with columns `from` and `to` (other columns
 * are ignored) and one edge per row, naming variables by their column names. Unknown names,
 * self-loops and duplicate edges are errors naming the file and row. Acyclicity is the
 * caller's check (dag.ts findCycle), since some callers read cyclic drafts on purpose.
 */
import { DagflowError } from '../core/errors.ts';
import { readVariableCsv, variableIndex } from './variableCsv.ts';

export async function readEdgeListCsv(file: string, columns: readonly string[]): Promise<Array<[number, number]>> {
  const index = new Map(columns.map((name, k) => [name, k]));
  const edges: Array<[number, number]> = [];
  const firstRow = new Map<number, number>();
  const spec = {
    fields: ['from', 'to'],
    code: 'BAD_GRAPH',
    what: 'the edge list',
    layout: 'write one edge per row under a from,to header',
  } as const;
  await readVariableCsv(file, spec, ([from, to], row) => {
    const i = variableIndex(columns, index, from!, { file, row, field: 'from', code: 'BAD_GRAPH', empty: 'the "from" node is empty' });
    const j = variableIndex(columns, index, to!, { file, row, field: 'to', code: 'BAD_GRAPH', empty: 'the "to" node is empty' });
    if (i === j)
      throw new DagflowError(
        'BAD_GRAPH',
        `self-loop ${from} → ${to}: a DAG has no edge from a node to itself`,
        { file, row },
        'remove the row',
      );
    const key = i * columns.length + j;
    const earlier = firstRow.get(key);
    if (earlier !== undefined)
      throw new DagflowError('BAD_GRAPH', `duplicate edge ${from} → ${to} (first on row ${earlier})`, { file, row }, 'list each edge once');
    firstRow.set(key, row);
    edges.push([i, j]);
  });
  return edges;
}
