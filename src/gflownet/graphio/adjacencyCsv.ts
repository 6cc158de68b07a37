/**
 * A graph stored as an adjacency-matrix CSV (row = parent, column = child, cells 0/1; with
 * or without row labels, as R's `amat()` or numpy's savetxt write it). Every edge keeps its
 * line so the checks in parsedGraph.ts can point at it. (Edge-list CSVs are read by
 * graph/edgeList.ts.)
 */
import Papa from 'papaparse';
import { DagflowError } from '../core/errors.ts';
import type { ParsedGraph } from './parsedGraph.ts';
import { quoteUserText } from '../core/userText.ts';

const MATRIX_HINT =
  'an adjacency matrix is square: a header row of node names, then one row per node (its name first), row = parent, column = child, cells 0 or 1';

function rowsOf(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = guessDelimiter(body);
  // one CSV record per line: graph files have no quoted line breaks, and line numbers must match the file
  return body
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? [] : (Papa.parse<string[]>(line, { delimiter }).data[0] ?? []).map((c) => c.trim())));
}

function guessDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first.includes('\t')) return '\t';
  if (first.includes(';') && !first.includes(',')) return ';';
  return ',';
}

export function readAdjacencyMatrixText(text: string, file: string): ParsedGraph {
  const all = rowsOf(text);
  const lines: number[] = [];
  const rows: string[][] = [];
  all.forEach((r, k) => {
    if (r.length > 0) {
      rows.push(r);
      lines.push(k + 1);
    }
  });
  if (rows.length === 0) throw new DagflowError('EMPTY_FILE', 'the adjacency matrix is empty', { file }, MATRIX_HINT);
  const header = rows[0]!;
  const labelled = header[0] === '';
  const names = labelled ? header.slice(1) : header;
  const d = names.length;
  if (d === 0 || names.some((n) => n === ''))
    throw new DagflowError(
      'BAD_HEADER',
      `line ${lines[0]}: every column of the matrix needs a node name`,
      { file, row: lines[0] },
      MATRIX_HINT,
    );
  if (rows.length - 1 !== d) {
    throw new DagflowError('BAD_GRAPH', `the matrix has ${d} columns but ${rows.length - 1} rows`, { file }, MATRIX_HINT);
  }
  const parsed: ParsedGraph = { file, format: 'adjacency-matrix', nodes: names.map((name) => ({ name, line: lines[0]! })), edges: [] };
  for (let r = 1; r <= d; r++) {
    const row = rows[r]!;
    const line = lines[r]!;
    const cells = labelled ? row.slice(1) : row;
    const parent = labelled ? row[0]! : names[r - 1]!;
    if (labelled && parent !== names[r - 1]) {
      throw new DagflowError(
        'BAD_GRAPH',
        `line ${line}: row ${quoteUserText(parent)} should be ${quoteUserText(names[r - 1])} (rows in the same order as the columns)`,
        { file, row: line },
        MATRIX_HINT,
      );
    }
    if (cells.length !== d)
      throw new DagflowError('RAGGED_ROW', `line ${line}: ${cells.length} values, expected ${d}`, { file, row: line }, MATRIX_HINT);
    cells.forEach((cell, c) => {
      const v = Number(cell);
      if (cell === '' || (v !== 0 && v !== 1)) {
        throw new DagflowError(
          'BAD_GRAPH',
          `line ${line}: the cell for ${parent} → ${names[c]} is ${quoteUserText(cell)}; expected 0 or 1`,
          { file, row: line, column: names[c] },
          'write 1 for an edge from the row node to the column node, 0 for none',
        );
      }
      if (v === 1) parsed.edges.push({ from: parent, to: names[c]!, line });
    });
  }
  return parsed;
}
