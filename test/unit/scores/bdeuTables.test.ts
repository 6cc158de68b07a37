/**
 * BDeu counts with a dense array for small tables and with hash maps for large ones (q·r over
 * 2^20, and over 2^53 where numeric keys would collide). Every path must agree with a plain
 * implementation of the formula.
 */
import { describe, expect, it } from 'vitest';
import { logGamma } from '../../../src/gflownet/core/logmath.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import type { Dataset } from '../../../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';
import { createBdeuScore } from '../../../src/gflownet/scores/bdeu.ts';

/** The formula as written in docs/architecture.md §2, over the observed configurations (unobserved ones add 0). */
function naiveBdeu(ds: Dataset, node: number, parents: number[], ess: number): number {
  const { codes, levels } = ds.discrete!;
  const r = levels[node]!.length;
  const q = parents.reduce((acc, p) => acc * levels[p]!.length, 1);
  const nc = new Map<string, number>();
  const nck = new Map<string, number>();
  for (let row = 0; row < ds.rows; row++) {
    if (ds.interventions && ds.interventions[row] === node + 1) continue;
    const c = parents.map((p) => codes[p]![row]).join(' ');
    nc.set(c, (nc.get(c) ?? 0) + 1);
    const ck = `${c}|${codes[node]![row]}`;
    nck.set(ck, (nck.get(ck) ?? 0) + 1);
  }
  let s = 0;
  for (const n of nc.values()) s += logGamma(ess / q) - logGamma(ess / q + n);
  for (const n of nck.values()) s += logGamma(ess / (q * r) + n) - logGamma(ess / (q * r));
  return s;
}

function manyLevels(seed: number, d: number, levelsPerColumn: number, rows: number): Dataset {
  const rng = new Rng(seed);
  const cols = Array.from({ length: d }, () => Array.from({ length: rows }, () => `v${rng.int(levelsPerColumn)}`));
  const targets = Array.from({ length: rows }, () => (rng.next() < 0.3 ? 1 + rng.int(d) : 0));
  return datasetFromColumns({
    names: cols.map((_, j) => `c${j}`),
    discrete: cols,
    levels: cols.map(() => Array.from({ length: levelsPerColumn }, (_, k) => `v${k}`)),
    interventions: targets,
  });
}

describe('BDeu table sizes', () => {
  it('dense tables (q·r ≤ 2^20)', () => {
    const ds = manyLevels(1, 5, 3, 400);
    const model = createBdeuScore(ds, { ess: 2 });
    for (const [node, parents] of [
      [0, []],
      [1, [0]],
      [4, [0, 1, 2, 3]],
    ] as Array<[number, number[]]>) {
      expect(model.localScore(node, parents)).toBeCloseTo(naiveBdeu(ds, node, parents, 2), 9);
    }
  });

  it('hash-map tables with numeric keys (2^20 < q·r ≤ 2^53)', () => {
    const ds = manyLevels(2, 6, 20, 500); // 20^5 · 20 = 6.4e7 cells
    const model = createBdeuScore(ds, { ess: 1 });
    const parents = [0, 1, 2, 3, 4];
    expect(20 ** 6).toBeGreaterThan(2 ** 20);
    expect(model.localScore(5, parents)).toBeCloseTo(naiveBdeu(ds, 5, parents, 1), 9);
  });

  it('hash-map tables with string keys (q·r > 2^53)', () => {
    const ds = manyLevels(3, 14, 20, 300); // 20^14 ≈ 1.6e18 cells
    const model = createBdeuScore(ds, { ess: 1 });
    const parents = Array.from({ length: 13 }, (_, i) => i);
    expect(20 ** 14).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(model.localScore(13, parents)).toBeCloseTo(naiveBdeu(ds, 13, parents, 1), 9);
  });
});
