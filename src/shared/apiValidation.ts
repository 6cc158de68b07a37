/**
 * Validation of every request that reaches the Node side, whatever the transport: types,
 * sizes and allowed values. A request that fails is refused with a clear message before any
 * handler runs.
 */
import type { ApiOperation, ApiRequest } from './api.ts';
import { exchangeValidators } from './exchangeValidation.ts';
import { fail, fileName, jobId, onlyKeys, record } from './validators.ts';
import { workflowValidators } from './workflowValidation.ts';

export { ApiValidationError, MAX_NAME_LENGTH } from './validators.ts';

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
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

const validators: { [Op in ApiOperation]: (value: unknown) => ApiRequest<Op> } = {
  getAppInfo: (v) => noArgument('getAppInfo', v),
  listRuns: (v) => noArgument('listRuns', v),
  getCapabilities: (v) => noArgument('getCapabilities', v),
  listRecentFiles: (v) => noArgument('listRecentFiles', v),
  listRecoverableSessions: (v) => noArgument('listRecoverableSessions', v),
  recoverSession: exchangeValidators.recoverSession,
  discardRecoverableSession: exchangeValidators.discardRecoverableSession,
  inspectData: workflowValidators.inspectData,
  startRun: workflowValidators.startRun,
  cancelRun: workflowValidators.cancelRun,
  getPosterior: workflowValidators.getPosterior,
  getCpdag: workflowValidators.getCpdag,
  compareRuns: workflowValidators.compareRuns,
  exportRun: exchangeValidators.exportRun,
  saveExport: exchangeValidators.saveExport,
  importGraph: exchangeValidators.importGraph,
  updateSession: exchangeValidators.updateSession,
  saveSession: exchangeValidators.saveSession,
  openSession: exchangeValidators.openSession,
  locateSessionData: exchangeValidators.locateSessionData,
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
    return { jobId: jobId(op, obj.jobId) };
  },
};

export function validateRequest<Op extends ApiOperation>(op: Op, value: unknown): ApiRequest<Op> {
  return validators[op](value) as ApiRequest<Op>;
}
