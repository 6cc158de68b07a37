/**
 * Reading tiers from a CSV: a header with columns `node` and `tier` (other columns are
 * ignored) and one row per variable, naming it by its column name, with a whole-number tier
 * ≥ 0. No edge may go from a later tier to an earlier one (PriorKnowledge.tiers). Every
 * variable must be listed exactly once: a forgotten one would otherwise get some tier
 * silently. Problems are errors naming the file and row.
 */
import { DagflowError } from '../core/errors.ts';
import { readVariableCsv, variableIndex } from './variableCsv.ts';

/** The tier of each of `columns`, in their order. */
export async function readTiersCsv(file: string, columns: readonly string[]): Promise<number[]> {
  const index = new Map(columns.map((name, k) => [name, k]));
  const tiers = new Array<number | undefined>(columns.length).fill(undefined);
  const firstRow = new Map<number, number>();
  const spec = {
    fields: ['node', 'tier'],
    code: 'BAD_HEADER',
    what: 'the tiers file',
    layout: 'write one variable per row under a node,tier header',
  } as const;
  // A header and no rows lists no variable: reported below as all of them missing.
  await readVariableCsv(file, spec, ([name, text], row) => {
    const k = variableIndex(columns, index, name!, { file, row, field: 'node', code: 'BAD_OPTION', empty: 'the node is empty' });
    const earlier = firstRow.get(k);
    if (earlier !== undefined)
      throw new DagflowError(
        'BAD_OPTION',
        `${name} is listed twice (first on row ${earlier})`,
        { file, row },
        'give each variable one tier',
      );
    // Digits only: "1.5", "-1", "" and "1e3" are all mistakes worth a message, not a guess.
    const tier = /^\d+$/.test(text!) ? Number(text) : NaN;
    if (!Number.isSafeInteger(tier)) {
      throw new DagflowError(
        'BAD_OPTION',
        `the tier of ${name} is "${text}", not a whole number ≥ 0`,
        { file, row, column: 'tier' },
        'number the tiers 0, 1, 2, … from the earliest',
      );
    }
    firstRow.set(k, row);
    tiers[k] = tier;
  });
  const missing = columns.filter((_, k) => tiers[k] === undefined);
  if (missing.length > 0) {
    const shown = missing.length > 12 ? `${missing.slice(0, 12).join(', ')}, … (${missing.length} in all)` : missing.join(', ');
    throw new DagflowError('BAD_OPTION', `no tier for ${shown}`, { file }, 'list every data column once, each with its tier');
  }
  return tiers as number[];
}
