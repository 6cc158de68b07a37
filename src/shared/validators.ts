/**
 * The field checks every request validator uses (the foundation's, the workflow's, the
 * exchange's): one error type, one wording, so a refused request reads the same whatever the
 * operation and whatever the transport.
 */
export const MAX_NAME_LENGTH = 255;

export class ApiValidationError extends Error {
  readonly code = 'BAD_REQUEST';
}

export function fail(op: string, what: string): never {
  throw new ApiValidationError(`${op}: ${what}`);
}

export function record(op: string, value: unknown, field = 'the request'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) fail(op, `${field} must be an object`);
  return value as Record<string, unknown>;
}

export function onlyKeys(op: string, obj: Record<string, unknown>, keys: readonly string[], field = 'the request'): void {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(op, `${field} has an unexpected field "${k}"`);
}

export function name(op: string, value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) fail(op, `${field} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  return value;
}

export function fileName(op: string, value: unknown, field: string): string {
  const v = name(op, value, field);
  if (/[\\/\0]/.test(v) || v === '.' || v === '..') fail(op, `${field} must be a plain file name, not a path`);
  return v;
}

export function num(op: string, value: unknown, field: string, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    fail(op, `${field} must be a ${integer ? 'whole number' : 'number'} in [${min}, ${max}]`);
  }
  return value;
}

export function optNum(op: string, value: unknown, field: string, min: number, max: number, integer = false): number | undefined {
  return value === undefined ? undefined : num(op, value, field, min, max, integer);
}

export function optBool(op: string, value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(op, `${field} must be true or false`);
  return value;
}

function id(op: string, value: unknown, field: string, pattern: RegExp, example: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) fail(op, `${field} must look like "${example}"`);
  return value;
}

export const datasetId = (op: string, v: unknown, field = 'datasetId'): string => id(op, v, field, /^data-[0-9a-f]{12}$/, 'data-0123456789ab');
export const runId = (op: string, v: unknown, field = 'runId'): string => id(op, v, field, /^run-\d{1,9}$/, 'run-3');
export const jobId = (op: string, v: unknown, field = 'jobId'): string => id(op, v, field, /^job-\d{1,9}$/, 'job-12');
