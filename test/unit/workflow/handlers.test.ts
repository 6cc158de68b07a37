import { inWindowWords } from '../../../src/renderer/src/lib/errorText.ts';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import type { ModelSpec, RunSummaryView } from '../../../src/shared/workflow.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const host = new JobHost({ maxConcurrent: 2 });
const data = new DataStore();
const api = createApiHandlers({ transport: 'browser', host, data, samplesDir: path.join(root, 'samples') });
afterAll(async () => {
  await host.shutdown();
  data.dispose();
});

const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };

async function finished(runId: string): Promise<RunSummaryView> {
  for (;;) {
    const run = (await api.listRuns(undefined)).find((r) => r.runId === runId)!;
    if (run.status !== 'running' && run.status !== 'queued') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('workflow handlers on the real job host', () => {
  it('inspects Sachs, runs the exact posterior, serves its view and compares it with the known graph', async () => {
    const opened = (await api.openData({ source: 'sample', name: 'sachs_obs_853.csv' }))!;
    const report = await api.inspectData({ datasetId: opened.datasetId, options: {} });
    expect(report.variables).toHaveLength(11);
    expect(report.kind).toBe('continuous');
    expect(report.columns.every((c) => c.numeric && c.missing === 0)).toBe(true);

    const started = await api.startRun({ datasetId: opened.datasetId, data: {}, model: bge, sampler: { method: 'exact' } });
    const other = await api.startRun({
      datasetId: opened.datasetId,
      data: {},
      model: {
        ...bge,
        knowledge: {
          forbidden: [
            [0, 1],
            [1, 0],
          ],
          required: [],
        },
      },
      sampler: { method: 'exact' },
    });
    const run = await finished(started.runId);
    expect(run.status).toBe('done');
    expect(run.variables[0]).toBe('Raf');
    const view = await api.getPosterior({ runId: run.runId, topDags: 5 });
    expect(view.marginals).toHaveLength(121);
    expect(view.marginals.every((p) => p >= 0 && p <= 1 + 1e-12)).toBe(true);
    // P(i → j) + P(j → i) ≤ 1 in any distribution over DAGs.
    for (let i = 0; i < 11; i++)
      for (let j = 0; j < i; j++) expect(view.marginals[i * 11 + j]! + view.marginals[j * 11 + i]!).toBeLessThanOrEqual(1 + 1e-9);

    expect((await finished(other.runId)).status).toBe('done');
    const forbidden = await api.getPosterior({ runId: other.runId, topDags: 0 });
    expect(forbidden.marginals[1]).toBe(0);
    const cmp = await api.compareRuns({ a: run.runId, b: other.runId, truth: { source: 'sample', name: 'sachs_truth.csv' } });
    expect(cmp.rmse).toBeGreaterThan(0);
    expect(cmp.disagreements[0]!.from + cmp.disagreements[0]!.to).toBe(1); // Raf–Mek, the forbidden pair
    expect(cmp.truth!.edges).toBe(17);
    expect(cmp.truth!.a.auroc).toBeGreaterThan(0.5);

    const file = await api.exportRun({ runId: run.runId, format: 'edge-marginals' });
    expect(file.fileName).toBe(`sachs_obs_853-exact-${run.runId}-edge_marginals.csv`);
    const lines = file.text!.trim().split('\n');
    expect(lines[0]).toBe(',Raf,Mek,Plcg,PIP2,PIP3,Erk,Akt,PKA,PKC,P38,Jnk');
    expect(Number(lines[1]!.split(',')[2])).toBe(view.marginals[1]);
    await expect(api.exportRun({ runId: run.runId, format: 'samples-jsonl' })).rejects.toThrow(/no DAG samples/);
  }, 60_000);

  it('runs the exact BDeu posterior of the discrete Asia sample', async () => {
    const opened = (await api.openData({ source: 'sample', name: 'asia_n1000.csv' }))!;
    const report = await api.inspectData({ datasetId: opened.datasetId, options: {} });
    expect(report.kind).toBe('discrete');
    const started = await api.startRun({
      datasetId: opened.datasetId,
      data: {},
      model: { score: 'bdeu', ess: 1, prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [], maxParents: 3 } },
      sampler: { method: 'exact' },
    });
    const run = await finished(started.runId);
    expect(run.status).toBe('done');
    const view = await api.getPosterior({ runId: run.runId, topDags: 0 });
    expect(view.marginals).toHaveLength(64);
    const cmp = await api.compareRuns({ a: run.runId, b: run.runId, truth: { source: 'sample', name: 'asia_truth.csv' } });
    expect(cmp.truth!.edges).toBe(8);
    expect(cmp.truth!.a.auroc).toBeGreaterThan(0.7);
  }, 30_000);

  it('measures a sampled run against the exact posterior on five variables (JSD over whole DAGs)', async () => {
    const content = new Uint8Array(readFileSync(path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv')));
    const opened = (await api.openData({ source: 'upload', fileName: 'lingauss_d5_n100.csv', content }))!;
    const exact = await api.startRun({
      datasetId: opened.datasetId,
      data: { standardize: false },
      model: bge,
      sampler: { method: 'exact' },
    });
    const mc3 = await api.startRun({
      datasetId: opened.datasetId,
      data: { standardize: false },
      model: bge,
      sampler: { method: 'mc3', iterations: 20_000, chains: 2, seed: 3, thin: 5 },
    });
    expect((await finished(exact.runId)).status).toBe('done');
    expect((await finished(mc3.runId)).status).toBe('done');
    const top = await api.getPosterior({ runId: exact.runId, topDags: 3 });
    expect(top.topDags).toHaveLength(3);
    // Ranked by probability; score-equivalent DAGs tie up to rounding.
    expect(top.topDags[0]!.probability).toBeGreaterThanOrEqual(top.topDags[1]!.probability * (1 - 1e-9));
    const cmp = await api.compareRuns({ a: mc3.runId, b: exact.runId });
    expect(cmp.exact!.reference).toMatch(/^Exact/);
    expect(cmp.exact!.edgeMarginalRmse).toBeCloseTo(cmp.rmse, 12);
    // 2 × 3,200 kept DAGs: the JSD to the exact distribution is small but not zero.
    expect(cmp.exact!.jsd).toBeGreaterThan(0);
    expect(cmp.exact!.jsd).toBeLessThan(0.1);
  }, 60_000);

  it('reads the interventional sample with its shipped sidecar', async () => {
    const opened = (await api.openData({ source: 'sample', name: 'sachs_interventional_discrete_5400.csv' }))!;
    const report = await api.inspectData({
      datasetId: opened.datasetId,
      options: { interventionSample: 'sachs_interventional_discrete_5400_INT.csv' },
    });
    expect(report.kind).toBe('discrete');
    expect(report.interventions!.source).toBe('sachs_interventional_discrete_5400_INT.csv');
    expect(report.interventions!.counts).toMatchObject({ observational: 1800, Mek: 600, PIP2: 600, Akt: 600, PKA: 600, PKC: 1200 });
    await expect(api.inspectData({ datasetId: opened.datasetId, options: { interventionSample: 'sachs_truth.csv' } })).rejects.toThrow(
      /no sample sidecar/,
    );
  }, 30_000);

  it('refuses mixed data with advice, and reads it when told to discretize', async () => {
    const lines = ['x,y,group'];
    for (let r = 0; r < 40; r++) lines.push(`${(r * 0.37).toFixed(2)},${((r * 7) % 11) / 3 + 0.01},${['a', 'b', 'c'][r % 3]}`);
    const opened = (await api.openData({
      source: 'upload',
      fileName: 'mixed.csv',
      content: new TextEncoder().encode(lines.join('\n') + '\n'),
    }))!;
    const failure = await api.inspectData({ datasetId: opened.datasetId, options: {} }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DagflowError);
    expect(inWindowWords((failure as DagflowError).toUserMessage())).toMatch(/^mixed\.csv.*Mixed columns › discretize/);
    const report = await api.inspectData({ datasetId: opened.datasetId, options: { mixed: 'discretize', bins: 4 } });
    expect(report.kind).toBe('discrete');
    expect(report.columns.find((c) => c.name === 'x')!.levels).toHaveLength(4);
  }, 30_000);

  it('says where an error from a worker is, once: file, row and setting are not repeated', async () => {
    const ragged = await api
      .openData({ source: 'upload', fileName: 'ragged.csv', content: new TextEncoder().encode('a,b,c\n1,2,3\n4,5,6\n7,8\n') })
      .catch((e: unknown) => e as DagflowError);
    expect((ragged as DagflowError).toUserMessage()).toMatch(/^ragged\.csv, row 4: (?!.*ragged\.csv, row 4)/);
    const opened = (await api.openData({
      source: 'upload',
      fileName: 'two.csv',
      content: new TextEncoder().encode('a,b\n1,2\n3,4\n5,7\n'),
    }))!;
    const unknown = (await api
      .inspectData({ datasetId: opened.datasetId, options: { exclude: ['zz'] } })
      .catch((e: unknown) => e)) as DagflowError;
    expect(unknown.location.field).toBe('data.exclude');
    expect(inWindowWords(unknown.toUserMessage())).toBe(
      'Use (on the Import screen): there is no column "zz" in two.csv — the columns are: a, b',
    );
  });

  it('reports a knowledge conflict as a failed run that says what to do', async () => {
    const opened = (await api.openData({ source: 'sample', name: 'sachs_obs_853.csv' }))!;
    const started = await api.startRun({
      datasetId: opened.datasetId,
      data: {},
      model: { ...bge, knowledge: { forbidden: [[2, 3]], required: [[2, 3]] } },
      sampler: { method: 'exact' },
    });
    const run = await finished(started.runId);
    expect(run.status).toBe('failed');
    expect(run.error!.message).toMatch(/Plcg → PIP2 is both required and forbidden/);
    await expect(api.getPosterior({ runId: run.runId, topDags: 1 })).rejects.toThrow(/did not finish/);
  }, 30_000);

  it('refuses a truth graph that names unknown variables, with its row', async () => {
    const runs = (await api.listRuns(undefined)).filter((r) => r.status === 'done');
    const failure = await api
      .compareRuns({
        a: runs[0]!.runId,
        b: runs[1]!.runId,
        truth: { source: 'upload', name: 'mine.csv', text: 'from,to\nRaf,Mek\nRaf,Nope\n' },
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DagflowError);
    expect((failure as DagflowError).toUserMessage()).toMatch(/^mine\.csv, row 3, column "to": unknown node "Nope"/);
  });
});
