import { describe, expect, it } from 'vitest';
import { ApiValidationError, validateRequest } from '../../../src/shared/apiValidation.ts';

const model = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [[0, 1]], required: [], maxParents: 3 } };
const valid = {
  datasetId: 'data-0123456789ab',
  data: { standardize: true },
  model,
  sampler: { method: 'mc3', iterations: 1000, chains: 2 },
};

function refused(op: Parameters<typeof validateRequest>[0], request: unknown, message: RegExp): void {
  expect(() => validateRequest(op, request)).toThrow(ApiValidationError);
  expect(() => validateRequest(op, request)).toThrow(message);
}

describe('workflow request validation', () => {
  it('accepts a well-formed run request and keeps only known fields', () => {
    const r = validateRequest('startRun', valid);
    expect(r.sampler).toMatchObject({ method: 'mc3', iterations: 1000, chains: 2 });
    expect(r.model.knowledge.forbidden).toEqual([[0, 1]]);
  });

  it('refuses wrong types, ranges and unknown fields, naming the field', () => {
    refused('startRun', { ...valid, model: { ...model, score: 'bic' } }, /model.score must be one of/);
    refused('startRun', { ...valid, sampler: { method: 'mc3', iterations: -5 } }, /sampler.iterations must be a whole number/);
    refused('startRun', { ...valid, sampler: { method: 'mc3', chains: 1.5 } }, /sampler.chains/);
    refused('startRun', { ...valid, sampler: { method: 'mc3', burnIn: 1 } }, /sampler.burnIn/);
    refused('startRun', { ...valid, extra: 1 }, /unexpected field "extra"/);
    refused('startRun', { ...valid, datasetId: '../etc/passwd' }, /datasetId must look like/);
    refused('startRun', { ...valid, model: { ...model, knowledge: { forbidden: [[2, 2]], required: [] } } }, /self-loop/);
    refused('startRun', { ...valid, model: { ...model, knowledge: { forbidden: [[0, 500]], required: [] } } }, /forbidden\[0\]\[1\]/);
    refused('startRun', { ...valid, data: { interventionColumn: 'INT', interventionFile: 'data-0123456789ab' } }, /not both/);
    refused(
      'startRun',
      { ...valid, data: { columnTypes: { a: 'ordinal' } } },
      /data.columnTypes.a must be one of "continuous", "discrete"/,
    );
  });

  it('bounds what the posterior and compare operations accept', () => {
    expect(validateRequest('getPosterior', { runId: 'run-3', topDags: 10 })).toEqual({ runId: 'run-3', topDags: 10 });
    refused('getPosterior', { runId: 'run-3', topDags: 10_000 }, /topDags/);
    refused('compareRuns', { a: 'run-1', b: 'job-2' }, /b must look like "run-3"/);
    refused('compareRuns', { a: 'run-1', b: 'run-2', truth: { source: 'sample', name: '../secret.csv' } }, /plain file name/);
    refused(
      'compareRuns',
      { a: 'run-1', b: 'run-2', truth: { source: 'upload', name: 't.csv', text: 'x'.repeat(600 * 1024) } },
      /at most 512 KB/,
    );
    refused('listRuns', { a: 1 }, /takes no argument/);
  });

  it('names a missing field, a case that does not exist, and a place deep inside a list', () => {
    refused('startRun', { datasetId: valid.datasetId, model }, /^startRun: sampler is missing$/);
    refused('openData', { source: 'path', path: '/etc/passwd' }, /^openData: source must be "dialog", "sample", "recent" or "upload"$/);
    refused(
      'startJob',
      { kind: 'selftest', params: { sizes: [1] } },
      /^startJob: params.sizes\[0\] must be a whole number in \[8, 2048\]$/,
    );
    refused('getCpdag', { runId: 'run-1', edges: [[1, 2, 3]] }, /^getCpdag: edges\[0\]\[2\] must be a pair \[from, to\]$/);
    refused('saveSession', [], /^saveSession: the request must be an object$/);
    refused('openSession', null, /^openSession: the request must be an object$/);
  });
});
