/**
 * Reading soft per-edge beliefs: a CSV with a from,to,probability header (other columns are
 * ignored), one edge per row, naming variables by their column names.
 */
import { DagflowError } from '../core/errors.ts';
import { readVariableCsv, variableIndex } from '../graph/variableCsv.ts';
import type { EdgeBelief } from './edgeBeliefs.ts';

export async function readEdgeBeliefsCsv(file: string, columns: readonly string[]): Promise<EdgeBelief[]> {
  const index = new Map(columns.map((name, k) => [name, k]));
  const beliefs: EdgeBelief[] = [];
  const spec = {
    fields: ['from', 'to', 'probability'],
    code: 'BAD_OPTION',
    what: 'the edge-belief file',
    layout: 'write one edge per row under a from,to,probability header, e.g. PKC,P38,0.8',
  } as const;
  await readVariableCsv(file, spec, ([from, to, probability], row) => {
    const at = (field: string) => ({ file, row, field, code: 'BAD_OPTION' as const, empty: `the "${field}" node is empty` });
    const p = probability === '' ? NaN : Number(probability);
    if (!(p > 0 && p < 1))
      throw new DagflowError(
        'BAD_OPTION',
        `"${probability}" is not a probability strictly between 0 and 1`,
        { file, row, column: 'probability' },
        'use --forbid or --require for certainties',
      );
    beliefs.push({
      from: variableIndex(columns, index, from!, at('from')),
      to: variableIndex(columns, index, to!, at('to')),
      probability: p,
    });
  });
  return beliefs;
}
