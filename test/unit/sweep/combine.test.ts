import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatEdgeMarginalsCsv, parseEdgeMarginalsCsv } from '../../../src/gflownet/samples/format.ts';
import { combineRunFolders, writeCombination } from '../../../src/gflownet/sweep/combination.ts';
import { writeTaskState } from '../../../src/gflownet/sweep/taskState.ts';

const COLUMNS = ['A', 'B', 'C'];
type Edge = [string, string];

/** A run folder as dagflow mcmc writes it: samples, the edge marginals they give, a summary with the problem. */
async function runFolder(
  root: string,
  name: string,
  samples: Edge[][],
  options: { prior?: string; columns?: string[]; cell?: Record<string, string> } = {},
): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const columns = options.columns ?? COLUMNS;
  const d = columns.length;
  const marginals = new Float64Array(d * d);
  for (const s of samples) for (const [a, b] of s) marginals[columns.indexOf(a) * d + columns.indexOf(b)]! += 1 / samples.length;
  await writeFile(
    path.join(dir, 'samples.jsonl'),
    samples.map((edges, k) => JSON.stringify({ edges, logScore: -10 - k })).join('\n') + '\n',
  );
  await writeFile(path.join(dir, 'edge_marginals.csv'), formatEdgeMarginalsCsv(columns, marginals));
  const problem = { data: { data: '/data/x.csv', score: 'bge' }, knowledge: { prior: options.prior ?? 'uniform' } };
  await writeFile(
    path.join(dir, 'summary.json'),
    JSON.stringify({ columns, method: 'mc3', seed: 0, diagnostics: { keptSamplesPerChain: [samples.length] }, problem }),
  );
  if (options.cell)
    await writeTaskState(dir, {
      state: 'done',
      task: { index: 0, id: name, seed: 0, cell: options.cell, bootstrap: null },
      attempt: 1,
      startedAt: '2026-01-01T00:00:00Z',
      host: 'h',
      pid: 1,
      problem: { method: 'mc3', data: '/data/x.csv', score: 'bge' },
    });
  return dir;
}

const AB: Edge = ['A', 'B'];
const BC: Edge = ['B', 'C'];

async function threeRuns(): Promise<{ root: string; dirs: string[] }> {
  const root = await mkdtemp(path.join(tmpdir(), 'dagflow-combine-'));
  // P(A→B) = 0.75, 1, 0.5; P(B→C) = 0.25, 0.5, 0.25; P(A⇝C) = 0.25, 0.5, 0.
  const dirs = [
    await runFolder(root, 'r1', [[AB], [AB], [AB, BC], []]),
    await runFolder(root, 'r2', [[AB], [AB, BC], [AB, BC], [AB]]),
    await runFolder(root, 'r3', [[AB], [], [BC], [AB]]),
  ];
  return { root, dirs };
}

const at = (from: number, to: number): number => from * 3 + to;

describe('combine', () => {
  it('averages the runs with the between-run standard error, as computed by hand', async () => {
    const { dirs } = await threeRuns();
    const c = await combineRunFolders({ runs: dirs });
    expect(c.runs).toBe(3);
    expect(c.cells).toHaveLength(1);
    const cell = c.cells[0]!;
    // A→B: mean 0.75; deviations 0, 0.25, −0.25 → sd 0.25, SE 0.25/√3.
    expect(cell.edge.mean[at(0, 1)]).toBeCloseTo(0.75, 12);
    expect(cell.edge.standardError![at(0, 1)]).toBeCloseTo(0.25 / Math.sqrt(3), 12);
    // B→C: mean 1/3; sum of squares 1/24 → variance 1/48 → SE √(1/144) = 1/12.
    expect(cell.edge.mean[at(1, 2)]).toBeCloseTo(1 / 3, 12);
    expect(cell.edge.standardError![at(1, 2)]).toBeCloseTo(1 / 12, 12);
    expect(cell.edge.mean[at(0, 2)]).toBe(0);
    // Directed path A ⇝ C from each run's samples: 0.25, 0.5, 0 → mean 0.25, SE 0.25/√3.
    expect(cell.path!.mean[at(0, 2)]).toBeCloseTo(0.25, 12);
    expect(cell.path!.standardError![at(0, 2)]).toBeCloseTo(0.25 / Math.sqrt(3), 12);
    // Adjacency A–B, both directions: 0.75 as for the edge.
    expect(cell.adjacent!.mean[at(1, 0)]).toBeCloseTo(0.75, 12);
    // Spread over the runs: 1 − 0.5 and 0.5 − 0.25.
    expect(cell.groups[0]!.spread[at(0, 1)]).toBeCloseTo(0.5, 12);
    expect(cell.groups[0]!.spread[at(1, 2)]).toBeCloseTo(0.25, 12);
    expect(cell.samples).toBe(12);
  });

  it('computes R-hat across runs and names the runs that disagree', async () => {
    const { dirs } = await threeRuns();
    const cell = (await combineRunFolders({ runs: dirs })).cells[0]!;
    // Edge A→B, each run a chain of n = 4 indicators: W = mean of p(1 − p)·4/3 = (0.25 + 0 + 1/3)/3,
    // B = 4/2 · Σ(p − 0.75)² = 0.25, R̂ = √(((3/4)W + B/4)/W) = √(0.2083333/0.1944444) = 1.0350983.
    // (B→C gives 0.908, below it.)
    expect(cell.groups[0]!.rhatEdgeMax).toBeCloseTo(Math.sqrt(((0.75 * (0.25 + 1 / 3)) / 3 + 0.25 / 4) / ((0.25 + 1 / 3) / 3)), 12);
    expect(cell.groups[0]!.rhatWorstEdge).toEqual({ from: 0, to: 1 });
    // r2 (1.0 against 0.625) and r3 (0.5 against 0.875) on A→B; r1 on B→C (0.25 against 0.375).
    const named = cell.groups[0]!.disagreements.map((x) => [x.run.split('/').pop(), x.from, x.to]);
    expect(named).toEqual([
      ['r1', 1, 2],
      ['r2', 0, 1],
      ['r3', 0, 1],
    ]);
    expect(cell.warning).toMatch(/runs disagree with the rest: .*r2 \(A → B: 1\.00 against 0\.63 in the others\)/);
  });

  it('writes the pooled samples and the combined marginals as a run folder', async () => {
    const { root, dirs } = await threeRuns();
    const out = path.join(root, 'combined');
    const c = await combineRunFolders({ runs: dirs });
    await writeCombination(out, c);
    const pooled = (await readFile(path.join(out, 'samples.jsonl'), 'utf8')).trim().split('\n');
    expect(pooled).toHaveLength(12);
    expect(JSON.parse(pooled[5]!)).toEqual({ edges: [AB, BC], logScore: -11 });
    const csv = await readFile(path.join(out, 'edge_marginals.csv'), 'utf8');
    const table = parseEdgeMarginalsCsv(csv, 'combined');
    expect(table.columns).toEqual(COLUMNS);
    expect(table.marginals[at(0, 1)]).toBeCloseTo(0.75, 12);
    expect(table.marginals[at(1, 2)]).toBeCloseTo(1 / 3, 12);
    const json = JSON.parse(await readFile(path.join(out, 'combined.json'), 'utf8'));
    expect(json.cells[0].edges.find((e: { from: string; to: string }) => e.from === 'B' && e.to === 'C').standardError).toBeCloseTo(
      1 / 12,
      12,
    );
  });

  it('refuses runs of different problems, naming the runs and the setting', async () => {
    const { root, dirs } = await threeRuns();
    const fair = await runFolder(root, 'fair', [[AB]], { prior: 'fair' });
    await expect(combineRunFolders({ runs: [...dirs, fair] })).rejects.toMatchObject({
      message: expect.stringMatching(/^this run is not of the same problem as .*r1: its "prior" is "fair", there "uniform"$/),
      location: { file: fair },
    });
    const other = await runFolder(root, 'xyz', [[['X', 'Y']]], { columns: ['X', 'Y', 'Z'] });
    await expect(combineRunFolders({ runs: [dirs[0]!, other] })).rejects.toMatchObject({
      message: expect.stringMatching(/over the variables X, Y, Z, the first run over A, B, C: they are of different problems/),
      location: { file: other },
    });
  });

  it('tabulates the edges that change with a grid setting', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'dagflow-grid-'));
    const runs = [
      // prior=uniform: A→B 0.75 and 1 (mean 0.875); B→C 0.25 twice.
      await runFolder(root, 'u1', [[AB, BC], [AB], [AB], []], { cell: { prior: 'uniform' } }),
      await runFolder(root, 'u2', [[AB], [AB], [AB, BC], [AB]], { cell: { prior: 'uniform' } }),
      // prior=fair: A→B 0.25 and 0.5 (mean 0.375); B→C 0.25 and 0.25.
      await runFolder(root, 'f1', [[AB, BC], [], [], []], { cell: { prior: 'fair' } }),
      await runFolder(root, 'f2', [[AB], [AB], [BC], []], { cell: { prior: 'fair' } }),
    ];
    const c = await combineRunFolders({ runs });
    expect(c.cells.map((x) => x.label)).toEqual(['prior=uniform', 'prior=fair']);
    expect(c.sensitivity).toHaveLength(1);
    const row = c.sensitivity[0]!;
    expect([row.from, row.to, row.setting]).toEqual([0, 1, 'prior']);
    expect(row.change).toBeCloseTo(0.5, 12);
    expect(row.values.map((v) => [v.value, v.probability])).toEqual([
      ['uniform', 0.875],
      ['fair', 0.375],
    ]);
  });
});
