/**
 * A data file's error as the Import screen shows it: said once, at the top, with the row in the
 * preview's numbering. The engine counts rows as a spreadsheet does (the header is row 1, so the
 * first data row is row 2); the preview numbers data rows from 1. And when the trouble is stray
 * text in a numeric column, the cell's value, so the window can offer to read it as missing.
 */
import type { ApiErrorInfo, DataPreview } from '../../../shared/api.ts';

export interface DataErrorView {
  /** Where, in the preview's words: "broken.csv, row #2 (line 3 of the file), column "b"". */
  where?: string;
  /** What and what to do, without the location prefix the Node side put in front. */
  text: string;
  /** The stray text cell's value, when treating it as missing would let the file be read. */
  strayValue?: string;
}

/** "row 3" in the engine's counting → "row #2 (line 3 of the file)" in the preview's. */
export function previewRow(fileRow: number): string {
  return `row #${fileRow - 1} (line ${fileRow} of the file)`;
}

export function dataErrorView(message: string, info: ApiErrorInfo | undefined, preview?: DataPreview): DataErrorView {
  const loc = info?.location;
  let text = message;
  // The message starts with "file, row N, column "c": " when the error has a location: say it once, our way.
  if (loc && (loc.file !== undefined || loc.row !== undefined)) {
    const colon = message.indexOf(': ');
    const head = colon >= 0 ? message.slice(0, colon) : '';
    if (colon >= 0 && (loc.file === undefined || head.startsWith(loc.file)) && (loc.row === undefined || head.includes(`row ${loc.row}`)))
      text = message.slice(colon + 2);
  }
  if (loc?.row !== undefined) text = text.replace(new RegExp(`\\bat row ${loc.row}\\b`, 'g'), `at ${previewRow(loc.row)}`);
  const where = loc
    ? [loc.file, loc.row !== undefined ? previewRow(loc.row) : undefined, loc.column !== undefined ? `column "${loc.column}"` : undefined]
        .filter((x): x is string => x !== undefined)
        .join(', ')
    : undefined;
  return { ...(where ? { where } : {}), text, ...strayOf(message, info, preview) };
}

/** The offending cell of a NON_NUMERIC or stray-cell MIXED_TYPES error: from the preview, else from the message. */
function strayOf(message: string, info: ApiErrorInfo | undefined, preview?: DataPreview): { strayValue?: string } {
  if (info?.code !== 'NON_NUMERIC' && info?.code !== 'MIXED_TYPES') return {};
  const row = info.location?.row;
  const column = info.location?.column;
  if (row === undefined || column === undefined) return {};
  const c = preview?.columns.indexOf(column) ?? -1;
  const cell = c >= 0 ? preview?.rows[row - 2]?.[c] : undefined;
  if (cell !== undefined) return { strayValue: cell };
  const quoted = /"((?:[^"\\]|\\.)*)" is not a number|the first "((?:[^"\\]|\\.)*)" at row/.exec(message);
  const value = quoted?.[1] ?? quoted?.[2];
  return value !== undefined ? { strayValue: value } : {};
}
