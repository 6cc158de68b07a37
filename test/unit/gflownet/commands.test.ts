import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost, type JobEvent } from '../../../src/jobs/host.ts';
import { readEdgeMarginalsCsv, readPosteriorSamplesFile } from '../../../src/gflownet/samples/format.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const csv = path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dagflow-train-'));
const host = new JobHost({ maxConcurrent: 1, cancelGraceMs: 300 });
afterAll(() => {
  host.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function dagflow(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'dagflow.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small = ['--iterations', '40', '--batch-size', '16', '--environments', '8', '--hidden', '16', '--prefill', '5', '--backend', 'wasm'];

describe('dagflow train and dagflow sample', () => {
  it('writes samples, edge marginals, summary and checkpoint; sample draws more from the checkpoint', async () => {
    const out = path.join(tmp, 'run');
    const r = dagflow('train', '--data', csv, '--no-standardize', '--out', out, '--samples', '30', '--seed', '3', ...small, '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary)).toEqual([
      'columns',
      'backend',
      'sampler',
      'objective',
      'intrinsic',
      'iterations',
      'seconds',
      'stepsPerSecond',
      'seed',
      'finalLoss',
      'samples',
      'exact',
      'wallSeconds',
    ]);
    expect(summary).toMatchObject({
      columns: ['X0', 'X1', 'X2', 'X3', 'X4'],
      backend: 'wasm',
      sampler: 'edges',
      objective: 'mdb',
      intrinsic: { kind: 'none' },
      iterations: 40,
      seed: 3,
      samples: 30,
    });
    expect(summary.exact.jsd).toBeGreaterThanOrEqual(0);
    expect(summary.exact.jsd).toBeLessThanOrEqual(Math.log(2));
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))).toEqual(summary);
    const samples = await readPosteriorSamplesFile(path.join(out, 'samples.jsonl'));
    expect(samples).toHaveLength(30);
    const marginals = await readEdgeMarginalsCsv(path.join(out, 'edge_marginals.csv'));
    expect(marginals.columns).toEqual(summary.columns);
    expect(fs.existsSync(path.join(out, 'checkpoint', 'checkpoint.json'))).toBe(true);

    const more = path.join(tmp, 'more.jsonl');
    const s = dagflow('sample', '--checkpoint', path.join(out, 'checkpoint'), '--samples', '12', '--out', more, '--json');
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ samples: 12, backend: expect.any(String) });
    expect(await readPosteriorSamplesFile(more)).toHaveLength(12);
  });

  it('trains the layered sampler on request: weighted marginals, an effective sample size, and a checkpoint that sample reads', async () => {
    const out = path.join(tmp, 'layers');
    const r = dagflow(
      'train',
      '--data',
      csv,
      '--no-standardize',
      '--out',
      out,
      '--sampler',
      'layers',
      '--iterations',
      '30',
      '--teacher-steps',
      '10',
      '--samples',
      '40',
      '--seed',
      '2',
      '--backend',
      'wasm',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ sampler: 'layers', iterations: 30, samples: 40 });
    expect(summary.importance.effectiveSampleSize).toBeGreaterThan(1);
    expect(summary.importance.effectiveSampleSize).toBeLessThanOrEqual(40);
    const marginals = await readEdgeMarginalsCsv(path.join(out, 'edge_marginals.csv'));
    expect(marginals.columns).toEqual(summary.columns);
    const more = path.join(tmp, 'more-layers.jsonl');
    const s = dagflow('sample', '--checkpoint', path.join(out, 'checkpoint'), '--samples', '15', '--out', more, '--json');
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ samples: 15, effectiveSampleSize: expect.any(Number) });
    expect(await readPosteriorSamplesFile(more)).toHaveLength(15);
  });

  it('rejects bad options with one line and exit code 2', () => {
    const r = dagflow('train', '--data', csv, '--out', path.join(tmp, 'bad'), '--objective', 'xyz');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--objective');
  });
});

describe('the train job kind', () => {
  it('trains and samples in a worker thread, with progress', async () => {
    const id = host.submit('train', {
      problem: {
        data: { path: csv, name: 'lingauss.csv', options: { standardize: false } },
        score: { score: 'bge' },
        prior: { kind: 'uniform' },
        knowledge: {},
      },
      sampler: { method: 'gflownet', iterations: 40, seed: 2, samples: 25 },
      train: { hidden: 16, batchSize: 16, environments: 8, prefillIterations: 5 },
      backend: 'wasm',
    });
    const events: JobEvent[] = [];
    host.onEvent((e) => {
      if ('jobId' in e && e.jobId === id) events.push(e);
    });
    const result = (await host.wait<'train'>(id)).posterior;
    expect(result.variables).toEqual(['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(result.samples!.count).toBe(25);
    expect(result.edgeMarginals).toHaveLength(25);
    expect(result.facts.find((f) => f.label === 'backend')!.value).toMatch(/^wasm/);
    expect(result.facts.some((f) => f.label === 'JSD to the exact posterior')).toBe(true);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  });
});
