import { describe, expect, it } from 'vitest';
import { formatDataCsv, formatTruthCsv, formatWeightsCsv, generateSynthetic } from '../../../src/gflownet/synth/generate.ts';
import { hasCycle } from '../../../src/gflownet/exact/constraints.ts';

function parentMasks(truth: Uint8Array, d: number): Int32Array {
  const m = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (truth[i * d + j]) m[j]! |= 1 << i;
  return m;
}

describe('synthetic data', () => {
  it('gives the same bytes for the same seed and different data for another seed', () => {
    const a = generateSynthetic({ nodes: 6, edgesPerNode: 1, rows: 50, seed: 3 });
    const b = generateSynthetic({ nodes: 6, edgesPerNode: 1, rows: 50, seed: 3 });
    const c = generateSynthetic({ nodes: 6, edgesPerNode: 1, rows: 50, seed: 4 });
    expect(formatDataCsv(a)).toBe(formatDataCsv(b));
    expect(formatTruthCsv(a)).toBe(formatTruthCsv(b));
    expect(formatWeightsCsv(a)).toBe(formatWeightsCsv(b));
    expect(formatDataCsv(a)).not.toBe(formatDataCsv(c));
    const lines = formatDataCsv(a).trimEnd().split('\n');
    expect(lines[0]).toBe('X0,X1,X2,X3,X4,X5');
    expect(lines.length).toBe(51);
  });

  it('draws acyclic graphs with E·d edges on average', () => {
    const d = 10;
    const e = 1.5;
    const seeds = 200;
    let total = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const g = generateSynthetic({ nodes: d, edgesPerNode: e, rows: 1, seed });
      expect(hasCycle(parentMasks(g.truth, d))).toBe(false);
      for (const v of g.truth) total += v;
    }
    // Edges per graph ~ Binomial(45, 1/3): mean 15, sd √10; the mean of 200 has sd 0.224 → 5 sd = 1.12.
    expect(Math.abs(total / seeds - d * e)).toBeLessThan(1.12);
  });

  it('follows the linear-Gaussian model: noise sd of roots and regression weights of single-parent nodes', () => {
    const rows = 4000;
    const g = generateSynthetic({ nodes: 6, edgesPerNode: 1, rows, seed: 11, noiseStd: 0.5 });
    const d = 6;
    let checkedRoot = false;
    let checkedChild = false;
    for (let j = 0; j < d; j++) {
      const pa = [...Array(d).keys()].filter((i) => g.truth[i * d + j]);
      const y = g.values[j]! as Float64Array;
      if (pa.length === 0) {
        const sd = Math.sqrt(y.reduce((s, v) => s + v * v, 0) / rows);
        // sd of a sample sd ≈ σ/√(2n) = 0.0056; 5 sd.
        expect(Math.abs(sd - 0.5)).toBeLessThan(0.028);
        checkedRoot = true;
      } else if (pa.length === 1) {
        const x = g.values[pa[0]!]! as Float64Array;
        let sxy = 0;
        let sxx = 0;
        for (let r = 0; r < rows; r++) {
          sxy += x[r]! * y[r]!;
          sxx += x[r]! * x[r]!;
        }
        // OLS slope error sd = σ/√Σx²; 6 sd.
        expect(Math.abs(sxy / sxx - g.weights![pa[0]! * d + j]!)).toBeLessThan((6 * 0.5) / Math.sqrt(sxx));
        checkedChild = true;
      }
    }
    expect(checkedRoot && checkedChild).toBe(true);
  });

  it("writes level codes within each variable's level count for discrete data", () => {
    const g = generateSynthetic({ nodes: 5, edgesPerNode: 1, rows: 300, seed: 2, discrete: true, levels: [2, 4] });
    expect(g.kind).toBe('discrete');
    expect(g.weights).toBeUndefined();
    g.levels!.forEach((r, j) => {
      expect(r).toBeGreaterThanOrEqual(2);
      expect(r).toBeLessThanOrEqual(4);
      for (const v of g.values[j]!) expect(v >= 0 && v < r).toBe(true);
    });
    expect(() => formatWeightsCsv(g)).toThrow();
    expect(formatDataCsv(g)).toBe(
      formatDataCsv(generateSynthetic({ nodes: 5, edgesPerNode: 1, rows: 300, seed: 2, discrete: true, levels: [2, 4] })),
    );
  });

  it('refuses impossible options with the flag named', () => {
    expect(() => generateSynthetic({ nodes: 4, edgesPerNode: 2, rows: 10, seed: 1 })).toThrow(/not possible with 4 nodes/);
    expect(() => generateSynthetic({ nodes: 4, edgesPerNode: 1, rows: 10, seed: 1, noiseStd: 0 })).toThrow(/must be positive/);
    expect(() => generateSynthetic({ nodes: 4, edgesPerNode: 1, rows: 10, seed: 1, discrete: true, levels: [1, 3] })).toThrow(/levels/);
  });
});
