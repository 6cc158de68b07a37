/**
 * Tabular exports for R and Python:
 *
 * - posterior samples as CSV, one row per edge: `sample,from,to`. Samples are numbered from 1
 *   in file order; a sampled DAG without edges is one row with empty `from` and `to`, so the
 *   number of samples can be read back from the table. In R:
 *   `split(d[d$from != "", c("from","to")], d$sample)`.
 * - a bnlearn-style arc-strength table `from,to,strength,direction`, one row per ordered pair
 *   of distinct variables (column order), the layout of bnlearn's `boot.strength()` /
 *   `custom.strength()` (docs/exports.md shows how to turn it into a `bn.strength` object for
 *   `averaged.network()`). Definitions, with m(i,j) = P(i → j):
 *     strength(i,j)  = m(i,j) + m(j,i)           P(an edge between i and j, either way)
 *     direction(i,j) = m(i,j) / strength(i,j)    P(i → j | an edge between i and j); 0 when strength = 0
 *   (the two events are disjoint in a DAG, so strength ≤ 1).
 */
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';
import { formatNumber } from '../graphio/graph.ts';

export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of the samples CSV, produced lazily so a large posterior streams into the atomic writer. */
export function* samplesCsvChunks(records: readonly PosteriorSampleRecord[]): Generator<string> {
  yield 'sample,from,to\n';
  const batch: string[] = [];
  for (let s = 0; s < records.length; s++) {
    const edges = records[s]!.edges;
    if (edges.length === 0) batch.push(`${s + 1},,\n`);
    for (const [from, to] of edges) batch.push(`${s + 1},${csvCell(from)},${csvCell(to)}\n`);
    if (batch.length >= 4096) yield batch.splice(0).join('');
  }
  if (batch.length > 0) yield batch.join('');
}

export function samplesToCsv(records: readonly PosteriorSampleRecord[]): string {
  return [...samplesCsvChunks(records)].join('');
}

export interface ArcStrength {
  from: string;
  to: string;
  strength: number;
  direction: number;
}

export function arcStrengths(columns: readonly string[], marginals: ArrayLike<number>): ArcStrength[] {
  const d = columns.length;
  if (marginals.length !== d * d) throw new DagflowError('INTERNAL', `${marginals.length} marginals for ${d} columns`);
  const rows: ArcStrength[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const forward = marginals[i * d + j]!;
      // A rounding excess above 1 (frequencies that should sum to ≤ 1) is clipped.
      const strength = Math.min(1, forward + marginals[j * d + i]!);
      rows.push({ from: columns[i]!, to: columns[j]!, strength, direction: strength > 0 ? Math.min(1, forward / strength) : 0 });
    }
  }
  return rows;
}

export function arcStrengthCsv(columns: readonly string[], marginals: ArrayLike<number>): string {
  const lines = ['from,to,strength,direction'];
  for (const r of arcStrengths(columns, marginals))
    lines.push(`${csvCell(r.from)},${csvCell(r.to)},${formatNumber(r.strength)},${formatNumber(r.direction)}`);
  return lines.join('\n') + '\n';
}
