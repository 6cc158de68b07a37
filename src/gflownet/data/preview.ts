/**
 * previewCsv: what the UI's first screen shows before anything is loaded — the columns, the
 * first rows as strings, the detected delimiter and the row count. Reads only the first
 * 256 KB with the parser; the row count of a larger file comes from counting line breaks
 * (fast, but it would count a line break inside a quoted field, so it is marked inexact).
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { checkHeader, detectDelimiter, isBlank, type Delimiter } from './csv.ts';
import { sniffFile } from './textCheck.ts';

export interface CsvPreview {
  columns: string[];
  /** The first data rows, cells as written (untrimmed). */
  rows: string[][];
  /** Data rows (header and blank lines not counted). */
  rowCount: number;
  /** False when rowCount was estimated from line breaks. */
  rowCountExact: boolean;
  delimiter: Delimiter;
  bytes: number;
}

export async function previewCsv(file: string, options: { maxRows?: number } = {}): Promise<CsvPreview> {
  const maxRows = options.maxRows ?? 20;
  const sniff = await sniffFile(file, 256 * 1024);
  const delimiter = detectDelimiter(sniff);
  const text = sniff.complete ? sniff.sample : sniff.sample.slice(0, Math.max(sniff.sample.lastIndexOf('\n'), 0));
  const lines = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false }).data.filter((f) => !isBlank(f));
  const columns = checkHeader(lines[0] ?? [''], file, delimiter);
  const rows = lines.slice(1, 1 + maxRows);
  if (sniff.complete) return { columns, rows, rowCount: lines.length - 1, rowCountExact: true, delimiter, bytes: sniff.size };
  const lineCount = await countLines(file);
  return { columns, rows, rowCount: Math.max(0, lineCount - 1), rowCountExact: false, delimiter, bytes: sniff.size };
}

/** Non-empty lines of a file, counted on bytes (CR ignored, so CRLF and LF count alike). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let previous = 0x0a;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === 0x0a && previous !== 0x0a) lines++;
      if (b !== 0x0d) previous = b;
    }
  }
  return previous !== 0x0a ? lines + 1 : lines;
}
