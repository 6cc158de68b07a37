/**
 * Reading tiers from a CSV: a header with columns `node` and `tier` (other columns are
 * ignored) and one row per variable, naming it by its column name, with a whole-number tier
 * ≥ 0. No edge may go from a later tier to an earlier one (PriorKnowledge.tiers). Every
 * variable must be listed exactly once: a forgotten one would otherwise get some tier
 * silently. Problems are errors naming the file and row.
 */
import { DagflowError, isDagflowError } from '../core/errors.ts';
import { streamCsv } from '../data/csv.ts';

/** The tier of each of `columns`, in their order. */
export async function readTiersCsv(file: string, columns: readonly string[]): Promise<number[]> {
  const index = new Map(columns.map((name, k) => [name, k]));
  const tiers = new Array<number | undefined>(columns.length).fill(undefined);
  const firstRow = new Map<number, number>();
  let nodeCol = -1;
  let tierCol = -1;
  const hint = `name variables by their column names: ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''}`;
  try {
    await streamCsv(
      file,
      (header) => {
        const lower = header.map((h) => h.toLowerCase());
        nodeCol = lower.indexOf('node');
        tierCol = lower.indexOf('tier');
        if (nodeCol < 0 || tierCol < 0) {
          throw new DagflowError('BAD_HEADER', `the tiers file needs a header with columns "node" and "tier" (found: ${header.join(', ')})`, { file, row: 1 }, 'write one variable per row under a node,tier header');
        }
      },
      (fields, row) => {
        const name = fields[nodeCol]!.trim();
        const text = fields[tierCol]!.trim();
        const k = index.get(name);
        if (k === undefined) {
          throw new DagflowError('BAD_OPTION', name === '' ? 'the node is empty' : `unknown node "${name}": the data has no column of that name`, { file, row, column: 'node' }, hint);
        }
        const earlier = firstRow.get(k);
        if (earlier !== undefined) throw new DagflowError('BAD_OPTION', `${name} is listed twice (first on row ${earlier})`, { file, row }, 'give each variable one tier');
        // Digits only: "1.5", "-1", "" and "1e3" are all mistakes worth a message, not a guess.
        const tier = /^\d+$/.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(tier)) {
          throw new DagflowError('BAD_OPTION', `the tier of ${name} is "${text}", not a whole number ≥ 0`, { file, row, column: 'tier' }, 'number the tiers 0, 1, 2, … from the earliest');
        }
        firstRow.set(k, row);
        tiers[k] = tier;
      },
    );
  } catch (e) {
    // A header and no rows lists no variable: reported below as all of them missing.
    if (!(isDagflowError(e) && e.code === 'HEADER_ONLY' && nodeCol >= 0 && tierCol >= 0)) throw e;
  }
  const missing = columns.filter((_, k) => tiers[k] === undefined);
  if (missing.length > 0) {
    const shown = missing.length > 12 ? `${missing.slice(0, 12).join(', ')}, … (${missing.length} in all)` : missing.join(', ');
    throw new DagflowError('BAD_OPTION', `no tier for ${shown}`, { file }, 'list every data column once, each with its tier');
  }
  return tiers as number[];
}
