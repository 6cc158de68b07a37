/**
 * Streaming CSV reading with papaparse: delimiter detection (comma, semicolon, tab), quotes,
 * a UTF-8 BOM, CRLF; rows are handed over one at a time so a large file never sits in memory
 * as text. Reports progress in bytes and stops on an AbortSignal. Every problem is a
 * DagflowError naming the file and the row (header = row 1, as in a spreadsheet).
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { DagflowError } from '../core/errors.ts';
import { jobCancelled } from '../core/job.ts';
import { sniffFile, type FileSniff } from './textCheck.ts';
import { quoteUserText } from '../core/userText.ts';

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface CsvStreamOptions {
  /** Called as bytes are read: (bytesRead, totalBytes). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export interface CsvSummary {
  header: string[];
  delimiter: Delimiter;
  /** Data rows handed to onRow (blank lines are skipped and not counted). */
  dataRows: number;
  bytes: number;
}

/**
 * Reads `file`, checks the header, and calls onRow(fields, row) for every non-blank data
 * row, where `row` is the 1-based line as a spreadsheet shows it. Rows whose field count
 * differs from the header's are errors.
 */
/** The longest line a CSV reader accepts, in characters. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

export async function streamCsv(
  file: string,
  onHeader: (header: string[], delimiter: Delimiter) => void,
  onRow: (fields: string[], row: number) => void,
  options: CsvStreamOptions = {},
): Promise<CsvSummary> {
  if (options.signal?.aborted) throw jobCancelled();
  const sniff = await sniffFile(file);
  const delimiter = detectDelimiter(sniff);
  const stream = createReadStream(file, { start: sniff.bomBytes });
  stream.setEncoding('utf8'); // decodes multi-byte characters across chunk boundaries
  if (options.onProgress) {
    const report = options.onProgress;
    stream.on('data', () => report(stream.bytesRead + sniff.bomBytes, sniff.size));
  }

  return new Promise<CsvSummary>((resolve, reject) => {
    let header: string[] | undefined;
    let row = 0;
    let dataRows = 0;
    let failure: unknown;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) return reject(failure);
      if (!header)
        return reject(new DagflowError('EMPTY_FILE', 'the file has no header row', { file }, 'the first line must name the columns'));
      if (dataRows === 0) {
        return reject(
          new DagflowError('HEADER_ONLY', 'the file has a header but no data rows', { file }, 'add the data rows below the header'),
        );
      }
      resolve({ header, delimiter, dataRows, bytes: sniff.size });
    };
    // Settles at once: after abort() or destroy() papaparse may never call `complete`.
    const fail = (e: unknown, parser?: Papa.Parser): void => {
      if (failure === undefined) failure = e;
      parser?.abort();
      stream.destroy();
      finish();
    };
    const onAbort = (): void => fail(jobCancelled());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // Papa re-scans the unfinished line on every chunk, so one huge line (a 50 MB "name") costs
    // time quadratic in its length; no row of real data comes near this bound.
    let lineLength = 0;
    let line = 1;
    stream.on('data', (chunk: string | Buffer) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); ; nl = text.indexOf('\n', start)) {
        lineLength += (nl < 0 ? text.length : nl) - start;
        if (lineLength > MAX_LINE_CHARS) {
          fail(
            new DagflowError(
              'TOO_LARGE',
              `the line is longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters`,
              { file, row: line },
              'is this a CSV file? a row of data is far shorter; check the file or its line endings',
            ),
          );
          return;
        }
        if (nl < 0) break;
        line++;
        lineLength = 0;
        start = nl + 1;
      }
    });

    Papa.parse<string[]>(stream, {
      delimiter,
      header: false,
      skipEmptyLines: false,
      step(result, parser) {
        if (failure !== undefined) return;
        row++;
        try {
          if (options.signal?.aborted) throw jobCancelled();
          const quoteError = result.errors.find((e) => e.type === 'Quotes');
          if (quoteError) {
            throw new DagflowError(
              'RAGGED_ROW',
              `malformed quoted field (${quoteError.message})`,
              { file, row },
              'close every opening double quote; a quote inside a quoted field is written ""',
            );
          }
          const fields = result.data;
          if (isBlank(fields)) return;
          if (!header) {
            header = checkHeader(fields, file, delimiter);
            onHeader(header, delimiter);
            return;
          }
          if (fields.length !== header.length) {
            throw new DagflowError(
              'RAGGED_ROW',
              `the row has ${fields.length} field${fields.length === 1 ? '' : 's'} but the header has ${header.length}`,
              { file, row },
              `give every row exactly ${header.length} values separated by "${printable(delimiter)}" (leave a cell empty or write NA for a missing value)`,
            );
          }
          dataRows++;
          onRow(fields, row);
        } catch (e) {
          fail(e, parser);
        }
      },
      complete: finish,
      error(error: Error) {
        fail(new DagflowError('IO', `cannot read the file (${error.message})`, { file }));
      },
    });
  });
}

/**
 * Picks the delimiter from the first lines: among comma, semicolon and tab, the one that
 * splits the header into the most fields while splitting the following lines into the same
 * number. A file with one column has none of them in its header; it is read with commas
 * (and is rejected later for having fewer than 2 columns).
 */
export function detectDelimiter(sniff: FileSniff): Delimiter {
  let text = sniff.sample;
  if (!sniff.complete) text = text.slice(0, Math.max(text.lastIndexOf('\n'), 0)); // drop the cut last line
  let best: Delimiter = ',';
  let bestFields = 1;
  for (const delimiter of DELIMITERS) {
    const lines = Papa.parse<string[]>(text, { delimiter, preview: 50, skipEmptyLines: 'greedy' }).data;
    if (lines.length === 0) continue;
    const width = lines[0]!.length;
    if (width < 2) continue;
    const consistent = lines.every((l) => l.length === width);
    // A delimiter that gives ragged lines only wins when nothing else splits the header.
    const fields = consistent ? width : 1.5;
    if (fields > bestFields) {
      best = delimiter;
      bestFields = fields;
    }
  }
  return best;
}

/** Trims names and rejects empty or duplicate ones. */
export function checkHeader(fields: string[], file: string, delimiter: Delimiter): string[] {
  const names = fields.map((f) => f.trim());
  const hint = 'give every column a unique, non-empty name in the first row';
  names.forEach((name, k) => {
    if (name === '') {
      const trailing = k === names.length - 1 ? ` (a "${printable(delimiter)}" at the end of the header line?)` : '';
      throw new DagflowError('BAD_HEADER', `column ${k + 1} of the header has no name${trailing}`, { file, row: 1 }, hint);
    }
  });
  const seen = new Map<string, number>();
  names.forEach((name, k) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DagflowError(
        'BAD_HEADER',
        `the column name ${quoteUserText(name)} appears twice (columns ${first + 1} and ${k + 1})`,
        { file, row: 1, column: name },
        hint,
      );
    }
    seen.set(name, k);
  });
  return names;
}

export function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === '';
}

export function printable(delimiter: Delimiter): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
