/**
 * The Model screen's requests on the real job host: the candidate-parent space (issue 14) and
 * the training options (issue 15, item 8), through the same dispatch (validation → handler →
 * envelope) as both transports.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { dispatchApi } from '../../../src/app/dispatch.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { LAYERED_MAX_TABLE_ENTRIES } from '../../../src/gflownet/layerflow/layerProblem.ts';
import { formatDataCsv, generateSynthetic } from '../../../src/gflownet/synth/generate.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import type { ApiEnvelope, ApiOperation, ApiResponse } from '../../../src/shared/api.ts';
import type { ModelSpec } from '../../../src/shared/workflow.ts';

const host = new JobHost({ maxConcurrent: 2 });
const data = new DataStore();
const api = createApiHandlers({ transport: 'browser', host, data, samplesDir: '/nonexistent' });
afterAll(async () => {
  await host.shutdown();
  data.dispose();
});

async function call<Op extends ApiOperation>(op: Op, request: unknown): Promise<ApiResponse<Op>> {
  const envelope = (await dispatchApi(api, op, request)) as ApiEnvelope<ApiResponse<Op>>;
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value;
}

function open(nodes: number, seed: number): string {
  const csv = formatDataCsv(generateSynthetic({ nodes, edgesPerNode: 1, rows: 200, seed }));
  return data.saveUpload(`synth${nodes}.csv`, new TextEncoder().encode(csv)).id;
}

const bge: ModelSpec = { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } };

describe('getCandidateSpace', () => {
  const wide = open(30, 3);

  it('chooses the automatic space when the full tables exceed the budget, and a wider one for a larger K', async () => {
    const auto = await call('getCandidateSpace', { datasetId: wide, data: {}, model: bge, candidateParents: 0 });
    expect(auto.kind).toBe('automatic');
    expect(auto.variables).toHaveLength(30);
    expect(auto.fullTableEntries).toBeGreaterThan(LAYERED_MAX_TABLE_ENTRIES);
    expect(auto.tableEntries).toBeLessThanOrEqual(LAYERED_MAX_TABLE_ENTRIES);
    expect(auto.nodes).toHaveLength(30);
    const size = auto.size!;
    for (const node of auto.nodes) {
      expect(node.screened).toHaveLength(size);
      expect(node.screened).not.toContain(node.name);
    }
    // Symmetric: every screened candidate i of j has j in its own space.
    const spaceOf = new Map(auto.nodes.map((n) => [n.name, new Set([...n.screened, ...n.added])]));
    for (const node of auto.nodes) for (const i of node.screened) expect(spaceOf.get(i)!.has(node.name)).toBe(true);
    let inside = 0;
    for (const s of spaceOf.values()) inside += s.size;
    expect(auto.outsideEdges).toBe(auto.allowedEdges - inside);

    const wider = await call('getCandidateSpace', { datasetId: wide, data: {}, model: bge, candidateParents: size + 3 });
    expect(wider.kind).toBe('chosen');
    expect(wider.size).toBe(size + 3);
    expect(wider.outsideEdges).toBeLessThan(auto.outsideEdges);
    // Forward selection is prefix-stable: the wider space keeps each node's first candidates.
    wider.nodes.forEach((n, j) => expect(n.screened.slice(0, size)).toEqual(auto.nodes[j]!.screened));
  }, 60_000);

  it('caches by data, model and K; a changed model is a different space', async () => {
    const request = { datasetId: wide, data: {}, model: bge, candidateParents: 4 };
    const first = await call('getCandidateSpace', request);
    const again = await call('getCandidateSpace', request);
    expect(again).toBe(first);
    const bounded = await call('getCandidateSpace', {
      ...request,
      model: { ...bge, knowledge: { ...bge.knowledge, forbidden: [[first.variables.indexOf(first.nodes[0]!.screened[0]!), 0]] } },
    });
    expect(bounded).not.toBe(first);
    expect(bounded.nodes[0]!.screened).not.toContain(first.nodes[0]!.screened[0]);
  }, 60_000);

  it('cancels a space still computing when another is asked for, and does not keep the cancelled one', async () => {
    const other = open(30, 9);
    const first = call('getCandidateSpace', { datasetId: other, data: {}, model: bge, candidateParents: 0 });
    const second = call('getCandidateSpace', { datasetId: other, data: {}, model: bge, candidateParents: 3 });
    await expect(first).rejects.toThrow(/cancelled/);
    expect((await second).size).toBe(3);
    const again = await call('getCandidateSpace', { datasetId: other, data: {}, model: bge, candidateParents: 0 });
    expect(again.kind).toBe('automatic');
  }, 60_000);

  it('says the full space is used below six variables', async () => {
    const small = open(5, 1);
    const view = await call('getCandidateSpace', { datasetId: small, data: {}, model: bge, candidateParents: 0 });
    expect(view.kind).toBe('full');
    expect(view.reason).toMatch(/up to 5 variables/);
    expect(view.outsideEdges).toBe(0);
  });

  it('refuses a malformed request before any job starts', async () => {
    const envelope = await dispatchApi(api, 'getCandidateSpace', { datasetId: wide, model: bge, candidateParents: -1 });
    expect(envelope.ok).toBe(false);
    expect(!envelope.ok && envelope.error.message).toMatch(/getCandidateSpace: candidateParents must be a whole number/);
  });
});

describe('training options', () => {
  it('reports the engine defaults for the data size', async () => {
    const at20 = await call('getTrainingDefaults', { variables: 20 });
    expect(at20.automatic).toBe('layers');
    expect(at20.layers.batchSize).toBe(32);
    expect(at20.layers.learningRate).toBe(0.003);
    expect(at20.edges.learningRate).toBe(0.001);
    expect((await call('getTrainingDefaults', { variables: 4 })).automatic).toBe('edges');
  });

  it('a non-default value goes from the run request to the trained config (run facts)', async () => {
    const datasetId = open(4, 2);
    const run = await call('startRun', {
      datasetId,
      data: {},
      model: bge,
      sampler: {
        method: 'gflownet',
        iterations: 30,
        samples: 50,
        training: { batchSize: 7, learningRate: 0.002, learningRateEnd: 0.05, environments: 5, epsilonEnd: 0.3, shaping: 'delta' },
      },
    });
    let summary = (await call('listRuns', undefined)).find((r) => r.runId === run.runId)!;
    while (summary.status === 'running' || summary.status === 'queued') {
      await new Promise((r) => setTimeout(r, 50));
      summary = (await call('listRuns', undefined)).find((r) => r.runId === run.runId)!;
    }
    expect(summary.status).toBe('done');
    const fact = summary.facts.find((f) => f.label === 'training options')!.value;
    expect(fact).toContain('batch 7');
    // The final rate never exceeds the initial one (as `dagflow train --lr-end` does).
    expect(fact).toContain('learning rate 0.002 → 0.002');
    expect(fact).toContain('5 environments');
    expect(fact).toContain('shaping delta');
    expect(fact).toContain('ε to 0.3');
  }, 60_000);

  it('refuses an option out of the flag range, naming it', async () => {
    const envelope = await dispatchApi(api, 'startRun', {
      datasetId: open(4, 5),
      model: bge,
      sampler: { method: 'gflownet', training: { batchSize: 0 } },
    });
    expect(!envelope.ok && envelope.error.message).toMatch(/sampler\.training\.batchSize must be a whole number/);
  });
});
