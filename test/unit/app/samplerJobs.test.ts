/**
 * The window's MCMC runs take the command line's default of four chains (shared/samplerDefaults.ts),
 * and with a time limit the chains run at once, as `dagflow mcmc --time-limit` runs them: on a
 * host that runs two jobs at a time, four chains queued in pairs would take twice the limit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { formatDataCsv, generateSynthetic } from '../../../src/gflownet/synth/generate.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import { DEFAULT_MCMC_CHAINS } from '../../../src/shared/samplerDefaults.ts';
import type { ModelSpec } from '../../../src/shared/workflow.ts';

const host = new JobHost({ maxConcurrent: 2 });
const data = new DataStore();
const api = createApiHandlers({ transport: 'browser', host, data, samplesDir: '/nonexistent' });
afterAll(async () => {
  await host.shutdown();
  data.dispose();
});

const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };
const csv = formatDataCsv(generateSynthetic({ nodes: 6, edgesPerNode: 1, rows: 200, seed: 4 }));

describe('MCMC runs from the window', () => {
  it('run four chains by default, all at once under a time limit', async () => {
    const datasetId = data.saveUpload('six.csv', new TextEncoder().encode(csv)).id;
    const run = await api.startRun({
      datasetId,
      data: {},
      model: bge,
      sampler: { method: 'mc3', iterations: 1e9, timeLimitSeconds: 3 },
    });
    expect(DEFAULT_MCMC_CHAINS).toBe(4);
    expect(run.jobIds).toHaveLength(DEFAULT_MCMC_CHAINS);
    expect(run.jobIds.map((id) => host.get(id)!.status)).toEqual(run.jobIds.map(() => 'running'));
    const results = await Promise.all(run.jobIds.map((id) => host.wait<'mcmc'>(id)));
    // All four started together: none waited for another to end (worker start-up and loading
    // make wall-clock bounds flaky on a loaded machine, so the start times are compared).
    const starts = run.jobIds.map((id) => host.get(id)!.startedAt!);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(1000);
    expect(results).toHaveLength(4);
  }, 30_000);

  it('queue chains with an iteration budget only, two at a time', async () => {
    const datasetId = data.saveUpload('six.csv', new TextEncoder().encode(csv)).id;
    const run = await api.startRun({ datasetId, data: {}, model: bge, sampler: { method: 'mc3', iterations: 2000, chains: 3 } });
    expect(run.jobIds.map((id) => host.get(id)!.status)).toEqual(['running', 'running', 'queued']);
    await Promise.all(run.jobIds.map((id) => host.wait(id)));
  }, 30_000);
});
