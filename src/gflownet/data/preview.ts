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

/** Non-empty lines of a file, counted on bytes (a line of only CR counts as empty, so CRLF and LF agree). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let lineHasText = false; // the current line, possibly begun in an earlier chunk, has a byte other than CR
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    let start = 0;
    for (let nl = bytes.indexOf(0x0a, start); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
      if (lineHasText || hasText(bytes, start, nl)) lines++;
      lineHasText = false;
      start = nl + 1;
    }
    if (!lineHasText) lineHasText = hasText(bytes, start, bytes.length);
  }
  return lineHasText ? lines + 1 : lines;
}

function hasText(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0x0d) return true;
  return false;
}
