/**
 * Validation of every request that reaches the Node side, whatever the transport: types,
 * sizes and allowed values. A request that fails is refused with a clear message before any
 * handler runs.
 */
import type { ApiOperation, ApiRequest } from './api.ts';
import { exchangeValidators, ExchangeValidationError } from './exchangeValidation.ts';
import { workflowValidators, WorkflowValidationError } from './workflowValidation.ts';

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
export const MAX_NAME_LENGTH = 255;

export class ApiValidationError extends Error {
  readonly code = 'BAD_REQUEST';
}

function fail(op: string, what: string): never {
  throw new ApiValidationError(`${op}: ${what}`);
}

function record(op: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(op, 'expects an object');
  return value as Record<string, unknown>;
}

function onlyKeys(op: string, obj: Record<string, unknown>, keys: string[]): void {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(op, `unexpected field "${k}"`);
}

function fileName(op: string, value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) fail(op, `${field} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  if (/[\\/\0]/.test(value) || value === '.' || value === '..') fail(op, `${field} must be a plain file name, not a path`);
  return value;
}

function optionalNumberArray(op: string, value: unknown, field: string, maxLength: number, min: number, max: number): number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > maxLength) fail(op, `${field} must be an array of 1 to ${maxLength} numbers`);
  for (const v of value) if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(op, `${field} entries must be whole numbers in [${min}, ${max}]`);
  return value as number[];
}

function optionalNumber(op: string, value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(op, `${field} must be a number in [${min}, ${max}]`);
  return value;
}

function noArgument(op: string, value: unknown): undefined {
  if (value !== undefined && value !== null) fail(op, 'takes no argument');
  return undefined;
}

/** The workflow validators report through the same error type as the rest. */
function workflow<T>(check: (value: unknown) => T): (value: unknown) => T {
  return (value) => {
    try {
      return check(value);
    } catch (e) {
      if (e instanceof WorkflowValidationError || e instanceof ExchangeValidationError) throw new ApiValidationError(e.message);
      throw e;
    }
  };
}

const validators: { [Op in ApiOperation]: (value: unknown) => ApiRequest<Op> } = {
  getAppInfo: (v) => noArgument('getAppInfo', v),
  listRuns: (v) => noArgument('listRuns', v),
  getCapabilities: (v) => noArgument('getCapabilities', v),
  listRecentFiles: (v) => noArgument('listRecentFiles', v),
  inspectData: workflow(workflowValidators.inspectData),
  startRun: workflow(workflowValidators.startRun),
  cancelRun: workflow(workflowValidators.cancelRun),
  getPosterior: workflow(workflowValidators.getPosterior),
  getCpdag: workflow(workflowValidators.getCpdag),
  compareRuns: workflow(workflowValidators.compareRuns),
  exportRun: workflow(exchangeValidators.exportRun),
  saveExport: workflow(exchangeValidators.saveExport),
  importGraph: workflow(exchangeValidators.importGraph),
  updateSession: workflow(exchangeValidators.updateSession),
  saveSession: workflow(exchangeValidators.saveSession),
  openSession: workflow(exchangeValidators.openSession),
  locateSessionData: workflow(exchangeValidators.locateSessionData),
  listSamples: (v) => noArgument('listSamples', v),
  listJobs: (v) => noArgument('listJobs', v),
  openData: (v) => {
    const op = 'openData';
    const obj = record(op, v);
    switch (obj.source) {
      case 'dialog':
        onlyKeys(op, obj, ['source']);
        return { source: 'dialog' };
      case 'sample':
        onlyKeys(op, obj, ['source', 'name']);
        return { source: 'sample', name: fileName(op, obj.name, 'name') };
      case 'recent': {
        onlyKeys(op, obj, ['source', 'index']);
        if (typeof obj.index !== 'number' || !Number.isInteger(obj.index) || obj.index < 0 || obj.index > 99) fail(op, 'index must be a whole number in [0, 99]');
        return { source: 'recent', index: obj.index };
      }
      case 'upload': {
        onlyKeys(op, obj, ['source', 'fileName', 'content']);
        if (!(obj.content instanceof Uint8Array)) fail(op, 'content must be bytes');
        if (obj.content.byteLength > MAX_UPLOAD_BYTES) fail(op, `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
        return { source: 'upload', fileName: fileName(op, obj.fileName, 'fileName'), content: obj.content };
      }
      default:
        return fail(op, 'source must be "dialog", "sample", "recent" or "upload"');
    }
  },
  startJob: (v) => {
    const op = 'startJob';
    const obj = record(op, v);
    onlyKeys(op, obj, ['kind', 'params']);
    const params = record(op, obj.params ?? {});
    switch (obj.kind) {
      case 'selftest':
        onlyKeys(op, params, ['sizes', 'secondsPerSize']);
        return {
          kind: 'selftest',
          params: {
            sizes: optionalNumberArray(op, params.sizes, 'params.sizes', 6, 8, 2048),
            secondsPerSize: optionalNumber(op, params.secondsPerSize, 'params.secondsPerSize', 0.01, 30),
          },
        };
      default:
        return fail(op, `unknown job kind ${JSON.stringify(obj.kind)}`);
    }
  },
  cancelJob: (v) => {
    const op = 'cancelJob';
    const obj = record(op, v);
    onlyKeys(op, obj, ['jobId']);
    if (typeof obj.jobId !== 'string' || !/^job-\d{1,9}$/.test(obj.jobId)) fail(op, 'jobId must look like "job-12"');
    return { jobId: obj.jobId };
  },
};

export function validateRequest<Op extends ApiOperation>(op: Op, value: unknown): ApiRequest<Op> {
  return validators[op](value) as ApiRequest<Op>;
}
