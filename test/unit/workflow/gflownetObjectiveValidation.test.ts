import { describe, expect, it } from 'vitest';
import { ApiValidationError, validateRequest } from '../../../src/shared/apiValidation.ts';

const request = (sampler: Record<string, unknown>) => ({
  datasetId: 'data-0123456789ab',
  model: { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } },
  sampler: { method: 'gflownet', ...sampler },
});

describe('run requests: the edge GFlowNet objective and exploration bonus', () => {
  it('accepts every objective and intrinsic reward the engine has', () => {
    for (const objective of ['mdb', 'tb', 'subtb', 'fm'])
      for (const intrinsic of ['none', 'rnd'])
        expect(validateRequest('startRun', request({ objective, intrinsic })).sampler).toMatchObject({ objective, intrinsic });
    expect(validateRequest('startRun', request({})).sampler.objective).toBeUndefined();
  });

  it('refuses an unknown objective or intrinsic reward, naming the field', () => {
    expect(() => validateRequest('startRun', request({ objective: 'db' }))).toThrow(ApiValidationError);
    expect(() => validateRequest('startRun', request({ objective: 'db' }))).toThrow(/sampler.objective must be one of/);
    expect(() => validateRequest('startRun', request({ intrinsic: 'icm' }))).toThrow(/sampler.intrinsic must be one of/);
  });
});
