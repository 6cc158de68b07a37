/** The trust badge through the real handlers and job host: an exact check started on its own, chain evidence, the live figure's reference. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import type { ApiHandlers, TrustView } from '../../../src/shared/api.ts';
import type { ModelSpec } from '../../../src/shared/workflow.ts';
import { validateRequest } from '../../../src/shared/apiValidation.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };
const host = new JobHost({ maxConcurrent: 2 });
afterAll(() => host.shutdown());

function make(): ApiHandlers {
  return createApiHandlers({ transport: 'browser', host, data: new DataStore(), samplesDir: path.join(root, 'samples') });
}

async function until<T>(work: () => Promise<T>, done: (t: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const t = await work();
    if (done(t) || Date.now() > end) return t;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('trust checks', () => {
  it('measures an MCMC run against the exact posterior it computes on its own, and hands the live figure that reference', async () => {
    const api = make();
    const opened = (await api.openData({ source: 'upload', fileName: 'd5.csv', content: new Uint8Array(readFileSync(fixture)) }))!;
    const run = await api.startRun({
      datasetId: opened.datasetId,
      data: { standardize: false },
      model: bge,
      sampler: { method: 'mc3', iterations: 4000, chains: 2, seed: 3, thin: 4 },
    });
    const running = await api.getTrust({ runId: run.runId, variables: 5 });
    expect(['pending', 'unknown', 'no-warning', 'reliable', 'caution', 'unreliable']).toContain(running.level);
    const final = await until<TrustView>(
      () => api.getTrust({ runId: run.runId }),
      (t) => t.figures.some((f) => f.label === 'RMSE vs exact') || t.details.some((x) => /could not/.test(x)),
    );
    expect(final.details.join(' ')).not.toMatch(/could not/);
    // 5 variables: the exact posterior is cheap, so the run is judged against it (with the JSD over whole DAGs).
    expect(final.figures.map((f) => f.label)).toEqual(
      expect.arrayContaining(['RMSE vs exact', 'worst edge vs exact', 'JSD vs exact', 'R̂ (max)']),
    );
    expect(final.details.join(' ')).toMatch(/Against the exact posterior: edge-marginal RMSE \d\.\d{3}, worst edge X?\w+→\w+/);
    expect(final.reference?.kind).toBe('exact');
    expect(final.reference?.marginals).toHaveLength(25);
    expect(['reliable', 'caution', 'unreliable']).toContain(final.level);

    // Exports carry the verdict: the report puts it first, the summary keeps it with the evidence.
    const report = await api.exportRun({ runId: run.runId, format: 'report' });
    expect(report.text).toContain('<p class="trust"><strong>Trust:</strong> ');
    expect(report.text).toContain('Against the exact posterior: edge-marginal RMSE');
    // … and everything needed to reproduce it: the settings with the seed, the data's SHA-256, the version.
    const { createHash } = await import('node:crypto');
    expect(report.text).toContain(createHash('sha256').update(readFileSync(fixture)).digest('hex'));
    expect(report.text).toContain('<td>sampler settings</td><td>{&quot;method&quot;:&quot;mc3&quot;');
    expect(report.text).toMatch(/<td>DAGFlow version<\/td><td>\d+\.\d+\.\d+/);

    // The exact run itself says so; a second run of the same problem reuses the same exact answer.
    const exact = await api.startRun({
      datasetId: opened.datasetId,
      data: { standardize: false },
      model: bge,
      sampler: { method: 'exact' },
    });
    const exactTrust = await until<TrustView>(
      () => api.getTrust({ runId: exact.runId }),
      (t) => t.level === 'exact',
    );
    expect(exactTrust.headline).toBe('exact: no sampling error');
  }, 120_000);

  it('validates its request', () => {
    expect(() => validateRequest('getTrust', { runId: 'run-1', variables: -3 })).toThrow(/variables/);
    expect(() => validateRequest('getTrust', { runId: '../x' })).toThrow();
    expect(validateRequest('getTrust', { runId: 'run-2', computeExact: true })).toEqual({ runId: 'run-2', computeExact: true });
  });
});
