import { afterAll, describe, expect, it } from 'vitest';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { fromDistribution } from '../../../src/gflownet/causal/weightedDags.ts';
import { enumeratePosterior } from '../../../src/gflownet/exact/posterior.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { expectedInformationGain } from '../../../src/gflownet/design/gain.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import { validateRequest } from '../../../src/shared/apiValidation.ts';
import { lingaussDataset } from '../exact/fixtures.ts';

const host = new JobHost({ maxConcurrent: 1 });
afterAll(() => host.shutdown());

describe('getDesign request', () => {
  const ok = { runId: 'run-1', query: { kind: 'edge', from: 0, to: 2 }, rows: 50 };
  it('accepts a query, rows, targets, outer samples and a seed', () => {
    expect(validateRequest('getDesign', { ...ok, targets: [1, 2], outerSamples: 32, seed: 3 })).toEqual({
      ...ok,
      targets: [1, 2],
      outerSamples: 32,
      seed: 3,
    });
    expect(validateRequest('getDesign', { runId: 'run-2', query: { kind: 'edges' }, rows: 1 }).query).toEqual({ kind: 'edges' });
  });
  it('refuses bad requests naming what is wrong', () => {
    expect(() => validateRequest('getDesign', { ...ok, rows: 0 })).toThrow(/rows/);
    expect(() => validateRequest('getDesign', { ...ok, query: { kind: 'edge', from: 1, to: 1 } })).toThrow(/same variable twice/);
    expect(() => validateRequest('getDesign', { ...ok, query: { kind: 'paths' } })).toThrow(/kind/);
    expect(() => validateRequest('getDesign', { ...ok, targets: [1, 1] })).toThrow(/target twice/);
    expect(() => validateRequest('getDesign', { ...ok, targets: [] })).toThrow(/at least one target/);
    expect(() => validateRequest('getDesign', { ...ok, extra: 1 })).toThrow();
  });
});

describe('poolExperiment request', () => {
  it('takes a run, the opened file of new rows and its target column', () => {
    const r = { runId: 'run-3', datasetId: 'data-0123456789ab', interventionColumn: 'INT' };
    expect(validateRequest('poolExperiment', r)).toEqual(r);
    expect(() => validateRequest('poolExperiment', { ...r, datasetId: 'x' })).toThrow(/datasetId/);
    expect(() => validateRequest('poolExperiment', { runId: 'run-3' })).toThrow(/datasetId/);
  });
});

describe('design job', () => {
  it('runs in a worker thread and returns what the engine computes in this thread', async () => {
    const dataset = lingaussDataset(true);
    const reward = createRewardModel(createScoreModel(dataset, { score: 'bge' }), structurePriorTable(5, { kind: 'uniform' }));
    const posterior = fromDistribution((await enumeratePosterior(reward)).distribution);
    const options = { query: { kind: 'effect' as const, cause: 0, effect: 4 }, rows: 10, outerSamples: 4, seed: 2, targets: [2, 3] };
    const id = host.submit('design', { posterior, dataset, scoreOptions: { score: 'bge' }, options });
    const inWorker = await host.wait<'design'>(id);
    const here = await expectedInformationGain(posterior, dataset, { score: 'bge' }, options);
    expect(inWorker.ranking).toEqual(here.ranking);
  });
});
