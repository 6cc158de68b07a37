/**
 * The shape shared by DAGFlow's small by-name CSV inputs (edge lists, tiers): a header that must
 * contain some named columns (case-insensitive; other columns are ignored) and rows that name
 * variables by their column names. A header with no rows is an empty file, not an error.
 */
import { DagflowError, isDagflowError, type ErrorCode } from '../core/errors.ts';
import { streamCsv } from '../data/csv.ts';
import { escapeUnsafe, quoteUserText, truncateText } from '../core/userText.ts';

export interface VariableCsvSpec {
  /** Header columns that must be present, in the order `onRow` receives their values. */
  readonly fields: readonly string[];
  /** Error code of a missing header column. */
  readonly code: ErrorCode;
  /** What the file is, for the header error ("the edge list"). */
  readonly what: string;
  /** How to write it, for the header error ("write one edge per row under a from,to header"). */
  readonly layout: string;
}

/** Streams the rows of `file`, handing `onRow` the trimmed values of `spec.fields` and the 1-based row. */
export async function readVariableCsv(file: string, spec: VariableCsvSpec, onRow: (values: string[], row: number) => void): Promise<void> {
  let positions: number[] | undefined;
  try {
    await streamCsv(
      file,
      (header) => {
        const lower = header.map((h) => h.toLowerCase());
        positions = spec.fields.map((f) => lower.indexOf(f));
        if (positions.some((p) => p < 0)) {
          const wanted = spec.fields.map((f) => `"${f}"`).join(' and ');
          throw new DagflowError(
            spec.code,
            `${spec.what} needs a header with columns ${wanted} (found: ${header
              .slice(0, 12)
              .map((h) => escapeUnsafe(truncateText(h, 40)))
              .join(', ')}${header.length > 12 ? ', …' : ''})`,
            { file, row: 1 },
            spec.layout,
          );
        }
      },
      (fields, row) =>
        onRow(
          positions!.map((p) => fields[p]!.trim()),
          row,
        ),
    );
  } catch (e) {
    if (isDagflowError(e) && e.code === 'HEADER_ONLY' && positions !== undefined) return;
    throw e;
  }
}

/** The index of the data column called `name`, or an error naming the file, row and field. */
export function variableIndex(
  columns: readonly string[],
  index: ReadonlyMap<string, number>,
  name: string,
  at: { file: string; row: number; field: string; code: ErrorCode; empty: string },
): number {
  const k = index.get(name);
  if (k !== undefined) return k;
  const hint = `name variables by their column names: ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? ', …' : ''}`;
  throw new DagflowError(
    at.code,
    name === '' ? at.empty : `unknown node ${quoteUserText(name)}: the data has no column of that name`,
    { file: at.file, row: at.row, column: at.field },
    hint,
  );
}
