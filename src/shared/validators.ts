/**
 * The schema pieces every request schema is built from (valibot), and the one place that turns
 * a failed check into a message: "<operation>: <field path> <what is wrong>". One error type,
 * one wording, so a refused request reads the same whatever the operation and whatever the
 * transport. Each piece's message says what the field must be; the path comes from valibot.
 */
import * as v from 'valibot';

export const MAX_NAME_LENGTH = 255;

export class ApiValidationError extends Error {
  readonly code = 'BAD_REQUEST';
}

export function fail(op: string, what: string): never {
  throw new ApiValidationError(`${op}: ${what}`);
}

type PathItem = NonNullable<v.BaseIssue<unknown>['path']>[number];

/** `model.knowledge.forbidden[0][1]`, `options.columnTypes["a b"]`; the top level is "the request". */
export function fieldPath(path: readonly PathItem[] | undefined): string {
  if (!path || path.length === 0) return 'the request';
  let out = '';
  for (const item of path) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** One issue in words: a key that is not allowed, a key that is missing, or the field's own message. */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path ?? [];
  if (issue.type === 'strict_object' && issue.expected === 'never' && path.length > 0) {
    return `${fieldPath(path.slice(0, -1))} has an unexpected field ${JSON.stringify(path[path.length - 1]!.key)}`;
  }
  if (issue.type === 'strict_object' && issue.received === 'undefined' && path.length > 0) return `${fieldPath(path)} is missing`;
  // a variant's message names its cases; for something that is not even an object, say that
  if (issue.type === 'variant' && issue.expected === 'Object') return `${fieldPath(path)} must be an object`;
  return `${fieldPath(path)} ${issue.message}`;
}

/** Parse a request with its schema; the first problem becomes a BAD_REQUEST naming the field. */
export function parseRequest<S extends v.GenericSchema>(op: string, schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (!result.success) fail(op, describeIssue(result.issues[0]));
  return result.output;
}

/** valibot's objects also take arrays (and byte arrays): a request object is neither. */
export const plainObject = v.custom<Record<string, unknown>>(
  (x) => typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x),
  'must be an object',
);

/** An object with exactly these fields (others are refused by name). */
export const strictObject = <E extends v.ObjectEntries>(entries: E) => v.pipe(plainObject, v.strictObject(entries, 'must be an object'));

/** One case of a v.variant (which itself refuses what is not an object with its key). */
export const variantCase = <E extends v.ObjectEntries>(entries: E) => v.strictObject(entries, 'must be an object');

export const name = v.pipe(
  v.string(`must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`),
  v.nonEmpty(`must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`),
  v.maxLength(MAX_NAME_LENGTH, `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`),
);

export const fileName = v.pipe(
  name,
  v.check((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'must be a plain file name, not a path'),
);

export function num(min: number, max: number, integer = false) {
  const message = `must be a ${integer ? 'whole number' : 'number'} in [${min}, ${max}]`;
  return v.pipe(
    v.number(message),
    v.check((x) => Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isInteger(x)), message),
  );
}

export const bool = v.boolean('must be true or false');

export function oneOf<const T extends readonly string[]>(allowed: T) {
  return v.picklist(allowed, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

/** Uploaded bytes of at most `limit` bytes. */
export function bytes(limit: number) {
  return v.pipe(
    v.instance(Uint8Array, 'must be bytes'),
    v.check((b) => b.byteLength <= limit, `is larger than ${limit / 1024 / 1024} MB`),
  );
}

function id(pattern: RegExp, example: string) {
  return v.pipe(v.string(`must look like "${example}"`), v.regex(pattern, `must look like "${example}"`));
}

export const datasetId = id(/^data-[0-9a-f]{12}$/, 'data-0123456789ab');
export const runId = id(/^run-\d{1,9}$/, 'run-3');
export const jobId = id(/^job-\d{1,9}$/, 'job-12');
