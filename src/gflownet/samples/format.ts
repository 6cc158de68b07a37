/**
 * The files every sampler writes and `dagflow evaluate` reads:
 *
 * - posterior samples, JSON Lines: one DAG per line,
 *   `{"edges": [["from","to"], …], "logScore": number}` (log score = log R(G), prior included),
 *   with `"logWeight": number` when the sampler's draws carry importance weights;
 * - `edge_marginals.csv`: a first row of an empty cell and the column names, then one row per
 *   parent: its name and P(parent → child) for each child.
 *
 * Reading checks everything a hand-edited or truncated file can get wrong and says where
 * (file and line) and what to do.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';
import { hasCycle } from '../exact/constraints.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';

// ---------------------------------------------------------------- posterior samples (JSONL)

export function formatSampleLine(record: PosteriorSampleRecord): string {
  return JSON.stringify({ edges: record.edges, logScore: record.logScore, ...(record.logWeight !== undefined ? { logWeight: record.logWeight } : {}) });
}

export function formatPosteriorSamples(records: readonly PosteriorSampleRecord[]): string {
  return records.map((r) => formatSampleLine(r) + '\n').join('');
}

/** Parses JSON Lines text; blank lines are skipped. `source` names the file in messages. */
export function parsePosteriorSamples(text: string, source: string): PosteriorSampleRecord[] {
  const records: PosteriorSampleRecord[] = [];
  const lines = text.split(/\r?\n/);
  const hint = 'each line must be {"edges": [["from","to"], …], "logScore": number}';
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const where = `line ${n + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DagflowError('BAD_GRAPH', `${where} is not valid JSON${n === lines.length - 1 ? ' (the file may be truncated)' : ''}`, { file: source }, hint);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DagflowError('BAD_GRAPH', `${where} is not a JSON object`, { file: source }, hint);
    const { edges, logScore, logWeight } = value as { edges?: unknown; logScore?: unknown; logWeight?: unknown };
    if (!Array.isArray(edges)) throw new DagflowError('BAD_GRAPH', `${where} has no "edges" list`, { file: source }, hint);
    const pairs: Array<[string, string]> = [];
    for (const e of edges) {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string') {
        throw new DagflowError('BAD_GRAPH', `${where}: edge ${JSON.stringify(e)} is not a pair of node names ["from", "to"]`, { file: source }, hint);
      }
      pairs.push([e[0], e[1]]);
    }
    if (typeof logScore !== 'number' || !Number.isFinite(logScore)) {
      throw new DagflowError('BAD_GRAPH', `${where}: "logScore" must be a finite number, got ${JSON.stringify(logScore)}`, { file: source }, hint);
    }
    if (logWeight !== undefined && (typeof logWeight !== 'number' || !Number.isFinite(logWeight))) {
      throw new DagflowError('BAD_GRAPH', `${where}: "logWeight" must be a finite number, got ${JSON.stringify(logWeight)}`, { file: source }, hint);
    }
    records.push({ edges: pairs, logScore, ...(logWeight !== undefined ? { logWeight: logWeight as number } : {}) });
  }
  if (records.length === 0) throw new DagflowError('EMPTY_FILE', 'the sample file holds no samples', { file: source }, hint);
  return records;
}

export async function readPosteriorSamplesFile(file: string): Promise<PosteriorSampleRecord[]> {
  return parsePosteriorSamples(await readText(file), file);
}

export async function writePosteriorSamplesFile(file: string, records: readonly PosteriorSampleRecord[]): Promise<void> {
  await writeText(file, formatPosteriorSamples(records));
}

/** Node names used by the samples, in order of first appearance. */
export function nodeNamesInSamples(records: readonly PosteriorSampleRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const [a, b] of r.edges) seen.add(a).add(b);
  return [...seen];
}

/**
 * Each sample as a d·d adjacency over `columns`. Unknown names, self-loops, repeated edges
 * and cycles are errors naming the sample (1-based, = its line among non-blank lines).
 */
export function samplesToAdjacencies(records: readonly PosteriorSampleRecord[], columns: readonly string[], source = 'the samples'): Uint8Array[] {
  const d = columns.length;
  const index = new Map(columns.map((c, k) => [c, k]));
  const parentMasks = new Int32Array(d);
  return records.map((r, s) => {
    const a = new Uint8Array(d * d);
    for (const [from, to] of r.edges) {
      const i = index.get(from);
      const j = index.get(to);
      if (i === undefined || j === undefined) {
        throw new DagflowError('BAD_GRAPH', `sample ${s + 1} names node "${i === undefined ? from : to}", which is not among the variables (${columns.join(', ')})`, { file: source });
      }
      if (i === j) throw new DagflowError('BAD_GRAPH', `sample ${s + 1} has a self-loop ${from} → ${to}`, { file: source });
      if (a[i * d + j]) throw new DagflowError('BAD_GRAPH', `sample ${s + 1} lists the edge ${from} → ${to} twice`, { file: source });
      a[i * d + j] = 1;
    }
    if (d <= 30) {
      parentMasks.fill(0);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (a[i * d + j]) parentMasks[j]! |= 1 << i;
      if (hasCycle(parentMasks)) throw new DagflowError('BAD_GRAPH', `sample ${s + 1} is not acyclic`, { file: source });
    } else if (!acyclic(a, d)) {
      throw new DagflowError('BAD_GRAPH', `sample ${s + 1} is not acyclic`, { file: source });
    }
    return a;
  });
}

/** Fraction of samples containing each edge, row-major over `columns`. */
export function edgeMarginalsFromSamples(records: readonly PosteriorSampleRecord[], columns: readonly string[], source?: string): Float64Array {
  const d = columns.length;
  const out = new Float64Array(d * d);
  const adjacencies = samplesToAdjacencies(records, columns, source);
  for (const a of adjacencies) for (let k = 0; k < d * d; k++) out[k]! += a[k]!;
  for (let k = 0; k < d * d; k++) out[k]! /= adjacencies.length;
  return out;
}

function acyclic(a: Uint8Array, d: number): boolean {
  const indegree = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (a[i * d + j]) indegree[j]!++;
  const queue: number[] = [];
  for (let j = 0; j < d; j++) if (indegree[j] === 0) queue.push(j);
  let seen = 0;
  while (queue.length > 0) {
    const i = queue.pop()!;
    seen++;
    for (let j = 0; j < d; j++) if (a[i * d + j] && --indegree[j]! === 0) queue.push(j);
  }
  return seen === d;
}

// ---------------------------------------------------------------- edge_marginals.csv

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Probabilities are written with full precision (shortest round-trip form). */
export function formatEdgeMarginalsCsv(columns: readonly string[], marginals: ArrayLike<number>): string {
  const d = columns.length;
  if (marginals.length !== d * d) throw new DagflowError('INTERNAL', `${marginals.length} marginals for ${d} columns`);
  const lines = [['', ...columns].map(csvCell).join(',')];
  for (let i = 0; i < d; i++) {
    const row = [csvCell(columns[i]!)];
    for (let j = 0; j < d; j++) row.push(String(marginals[i * d + j]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

export interface EdgeMarginalsTable {
  columns: string[];
  /** P(row → column), row-major. */
  marginals: Float64Array;
}

export function parseEdgeMarginalsCsv(text: string, source: string): EdgeMarginalsTable {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: true });
  const rows = parsed.data;
  const hint = 'the first row is an empty cell and the column names; then one row per parent: its name and P(parent → child) for each child';
  if (rows.length === 0) throw new DagflowError('EMPTY_FILE', 'the edge-marginal file is empty', { file: source }, hint);
  const header = rows[0]!;
  const columns = header.slice(1).map((c) => c.trim());
  const d = columns.length;
  if (d === 0 || header[0]!.trim() !== '') throw new DagflowError('BAD_HEADER', 'the first row must start with an empty cell followed by the column names', { file: source, row: 1 }, hint);
  if (new Set(columns).size !== d) throw new DagflowError('BAD_HEADER', 'a column name appears twice in the header', { file: source, row: 1 }, hint);
  if (rows.length - 1 !== d) throw new DagflowError('RAGGED_ROW', `${d} columns but ${rows.length - 1} parent rows; the matrix must be square`, { file: source }, hint);
  const marginals = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const row = rows[i + 1]!;
    const rowNumber = i + 2;
    if (row.length !== d + 1) throw new DagflowError('RAGGED_ROW', `expected ${d + 1} cells, found ${row.length}`, { file: source, row: rowNumber }, hint);
    if (row[0]!.trim() !== columns[i]) {
      throw new DagflowError('BAD_HEADER', `row names "${row[0]}" but the ${i + 1}-th column is "${columns[i]}"; rows must follow the column order`, { file: source, row: rowNumber }, hint);
    }
    for (let j = 0; j < d; j++) {
      const cell = row[j + 1]!.trim();
      const p = cell === '' ? NaN : Number(cell);
      if (!(p >= 0 && p <= 1)) {
        throw new DagflowError('NON_NUMERIC', `"${row[j + 1]}" is not a probability between 0 and 1`, { file: source, row: rowNumber, column: columns[j] }, hint);
      }
      marginals[i * d + j] = p;
    }
  }
  return { columns, marginals };
}

export async function readEdgeMarginalsCsv(file: string): Promise<EdgeMarginalsTable> {
  return parseEdgeMarginalsCsv(await readText(file), file);
}

export async function writeEdgeMarginalsCsv(file: string, columns: readonly string[], marginals: ArrayLike<number>): Promise<void> {
  await writeText(file, formatEdgeMarginalsCsv(columns, marginals));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new DagflowError('IO', `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

/** Atomic: a reader (the window, a second process) never sees half a file. */
async function writeText(file: string, text: string): Promise<void> {
  await writeFileAtomic(file, text);
}
