import { fieldRef, type FieldKey } from '../../shared/fields.ts';
import { boundedLine, quoteUserText } from './userText.ts';

/**
 * The one error type the engine throws for anything the user can fix (bad input, bad flag,
 * unsupported size). It carries where the problem is and what to do, so the CLI can print a
 * single line and the UI can point at the cell, without ever showing a stack trace.
 */
export interface ErrorLocation {
  file?: string;
  /** 1-based data row as the user sees it in a spreadsheet (header = row 1). */
  row?: number;
  column?: string;
  /**
   * The setting the problem is about. The engine names settings by key only: the command line
   * shows the key as its flag, the window as its control (src/shared/fields.ts).
   */
  field?: FieldKey;
  /** A command-line flag: for the command line's own errors only (the engine uses `field`). */
  flag?: string;
}

export type ErrorCode =
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'NOT_TEXT'
  | 'RAGGED_ROW'
  | 'BAD_HEADER'
  | 'NON_NUMERIC'
  | 'MISSING_VALUES'
  | 'MIXED_TYPES'
  | 'TOO_FEW_COLUMNS'
  | 'TOO_MANY_COLUMNS'
  | 'BAD_INTERVENTIONS'
  | 'BAD_GRAPH'
  | 'BAD_OPTION'
  | 'TOO_LARGE'
  | 'IO'
  | 'CANCELLED'
  | 'INTERNAL';

export class DagflowError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, hint?: string) {
    super(message);
    this.name = 'DagflowError';
    this.code = code;
    this.location = location;
    this.hint = hint;
  }

  /**
   * One line: where, what, what to do. User text in it (a column name, a path, a value quoted in
   * the message) is escaped and bounded, so no name can break the line or flood the terminal.
   * Settings appear as `{{key}}` references: the front end renders them (renderFields).
   */
  toUserMessage(): string {
    const where: string[] = [];
    if (this.location.file) where.push(boundedLine(this.location.file, 400));
    if (this.location.row !== undefined) where.push(`row ${this.location.row}`);
    if (this.location.column !== undefined) where.push(`column ${quoteUserText(this.location.column)}`);
    if (this.location.field) where.push(fieldRef(this.location.field));
    if (this.location.flag) where.push(boundedLine(this.location.flag, 100));
    const prefix = where.length > 0 ? `${where.join(', ')}: ` : '';
    return `${prefix}${boundedLine(this.message)}${this.hint ? ` — ${boundedLine(this.hint, 400)}` : ''}`;
  }
}

export function isDagflowError(e: unknown): e is DagflowError {
  return e instanceof DagflowError;
}

/** Message for any thrown value, suitable for a user: known errors verbatim, others without stack. */
export function userMessage(e: unknown): string {
  if (e instanceof DagflowError) return e.toUserMessage();
  if (e instanceof Error) return `internal error: ${boundedLine(e.message)}`;
  return `internal error: ${boundedLine(String(e))}`;
}
