import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { bdeuInterventionalEffect, interventionalTable, MeanTables } from '../../../src/gflownet/causal/bdeuEffects.ts';
import { bgeFamily } from '../../../src/gflownet/causal/bgeFamily.ts';
import { BgeFamilies, bgeTotalEffect, dagEffect, drawDagEffect } from '../../../src/gflownet/causal/bgeEffects.ts';
import { conditionOnKnowledge, fromDistribution, type WeightedDags } from '../../../src/gflownet/causal/weightedDags.ts';
import { bgePosterior } from '../../../src/gflownet/scores/bge.ts';
import { lingaussDataset } from '../exact/fixtures.ts';
import { randomContinuous, randomDiscrete } from '../scores/randomProblems.ts';
import { allDags, closure, exactPosteriorOf, meanCoefficients, totalEffectClosedForm } from './bruteForce.ts';

function singleDag(a: Uint8Array, d: number): WeightedDags {
  const parents = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (a[i * d + j]) parents[j]! |= 1 << i;
  return { d, kind: 'exact', count: 1, parents, weights: Float64Array.of(1) };
}

describe('BGe causal effects', () => {
  const dataset = lingaussDataset(true);
  const bge = bgePosterior(dataset);
  const r = bge.perNode[0]!.r;
  const d = 5;

  it('of a single DAG equal the closed form ((I − B)⁻¹)[X, Y] with B = R[P,P]⁻¹ R[P,j]', () => {
    const a = new Uint8Array(d * d);
    for (const [i, j] of [
      [0, 1],
      [1, 2],
      [0, 2],
      [2, 4],
      [3, 4],
      [1, 3],
    ])
      a[i! * d + j!] = 1;
    const b = meanCoefficients(a, d, r);
    const reach = closure(a, d);
    for (let x = 0; x < d; x++) {
      for (let y = 0; y < d; y++) {
        if (x === y) continue;
        const e = bgeTotalEffect(singleDag(a, d), bge, x, y, { draws: 200 });
        expect(Math.abs(e.mean - totalEffectClosedForm(b, d, x, y))).toBeLessThan(1e-9);
        expect(e.probabilityNoPath).toBe(reach[x * d + y] ? 0 : 1);
        expect(e.structuralSd).toBeLessThan(1e-9);
      }
    }
  });

  it('parameter variance of one edge X → Y is the Normal-InvGamma closed form, and draws agree with it', () => {
    const a = new Uint8Array(d * d);
    a[0 * d + 1] = 1;
    const n = dataset.rows;
    const shape = (n + bge.alphaW - d + 1 + 1) / 2;
    const residual = r[1 * d + 1]! - (r[0 * d + 1]! * r[0 * d + 1]!) / r[0]!;
    const variance = residual / 2 / (shape - 1) / r[0]!;
    const e = dagEffect(singleDag(a, d).parents, d, 0, 1, new BgeFamilies(bge));
    expect(Math.abs(e.variance - variance) / variance).toBeLessThan(1e-9);
    expect(Math.abs(e.mean - r[1]! / r[0]!)).toBeLessThan(1e-12);
  });

  it('parameter variance of a DAG with several paths matches seeded draws of the coefficients', () => {
    const a = new Uint8Array(d * d);
    for (const [i, j] of [
      [0, 1],
      [1, 2],
      [0, 2],
      [2, 4],
      [1, 4],
    ])
      a[i! * d + j!] = 1;
    const pa = singleDag(a, d).parents;
    const families = new BgeFamilies(bge);
    const closed = dagEffect(pa, d, 0, 4, families);
    const rng = new Rng(9);
    const n = 40000;
    let s = 0;
    let s2 = 0;
    for (let k = 0; k < n; k++) {
      const v = drawDagEffect(pa, d, 0, 4, families, rng);
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // Monte Carlo: the mean within 4 standard errors, the variance within 5 %.
    expect(Math.abs(mean - closed.mean)).toBeLessThan(4 * Math.sqrt(closed.variance / n));
    expect(Math.abs(variance - closed.variance) / closed.variance).toBeLessThan(0.05);
    expect(bgeFamily(bge, 2, [0, 1]).shape).toBe((dataset.rows + bge.alphaW - d + 3) / 2);
  });

  it('averaged over the exact posterior equal the weighted sums over all DAGs to 1e-9', async () => {
    const exact = await exactPosteriorOf(dataset);
    const post = fromDistribution(exact.distribution);
    for (const [x, y] of [
      [0, 4],
      [4, 0],
      [1, 3],
      [2, 0],
    ] as const) {
      const e = bgeTotalEffect(post, bge, x, y, { draws: 4000, seed: 3 });
      let mean = 0;
      let second = 0;
      let noPath = 0;
      for (const { a, w } of allDags(exact)) {
        const t = totalEffectClosedForm(meanCoefficients(a, d, r), d, x, y);
        mean += w * t;
        second += w * t * t;
        if (!closure(a, d)[x * d + y]) noPath += w;
      }
      expect(Math.abs(e.mean - mean)).toBeLessThan(1e-9);
      expect(Math.abs(e.structuralSd - Math.sqrt(Math.max(0, second - mean * mean)))).toBeLessThan(1e-9);
      expect(Math.abs(e.probabilityNoPath - noPath)).toBeLessThan(1e-9);
      expect(e.standardErrors).toBeNull();
      expect(e.interval[0]).toBeLessThanOrEqual(e.interval[1]);
      // The histogram holds the draws with a path: their share estimates 1 − P(no path).
      expect(Math.abs(e.histogram.probability.reduce((s, p) => s + p, 0) - (1 - e.probabilityNoPath))).toBeLessThan(0.01);
      // Same seed, same answer.
      expect(bgeTotalEffect(post, bge, x, y, { draws: 4000, seed: 3 }).interval).toEqual(e.interval);
    }
  });

  it('what-if: effects from the conditioned exact posterior equal those of the posterior under the constraint', async () => {
    const knowledge = { forbidden: [[4, 0]] as Array<[number, number]>, required: [[0, 1]] as Array<[number, number]>, maxParents: 4 };
    const full = fromDistribution((await exactPosteriorOf(dataset)).distribution);
    const constrained = fromDistribution((await exactPosteriorOf(dataset, knowledge)).distribution);
    const a = bgeTotalEffect(conditionOnKnowledge(full, knowledge).posterior, bge, 0, 4, { draws: 100 });
    const b = bgeTotalEffect(constrained, bge, 0, 4, { draws: 100 });
    expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-9);
    expect(Math.abs(a.parameterSd - b.parameterSd)).toBeLessThan(1e-9);
    expect(Math.abs(a.probabilityNoPath - b.probabilityNoPath)).toBeLessThan(1e-9);
  });
});

describe('with interventional data', () => {
  it('BGe: each node regresses on the rows where it was not intervened on (its own R)', () => {
    const dataset = randomContinuous(new Rng(8), 4, 400, true);
    const bge = bgePosterior(dataset);
    const d = 4;
    const a = new Uint8Array(d * d);
    for (const [i, j] of [
      [0, 1],
      [1, 2],
      [0, 3],
      [2, 3],
    ])
      a[i! * d + j!] = 1;
    // B column by column, each from its node's own posterior matrix.
    const b = new Float64Array(d * d);
    for (let j = 0; j < d; j++) {
      const bj = meanCoefficients(a, d, bge.perNode[j]!.r);
      for (let i = 0; i < d; i++) b[i * d + j] = bj[i * d + j]!;
    }
    expect(bge.perNode[0]!.r).not.toEqual(bge.perNode[3]!.r);
    for (const [x, y] of [
      [0, 3],
      [1, 3],
      [0, 2],
    ] as const) {
      const e = bgeTotalEffect(singleDag(a, d), bge, x, y, { draws: 100 });
      expect(Math.abs(e.mean - totalEffectClosedForm(b, d, x, y))).toBeLessThan(1e-9);
    }
  });

  it('BDeu: the tables are counted on the rows where the node was not intervened on', () => {
    const dataset = randomDiscrete(new Rng(9), 3, 500, true);
    const d = 3;
    const levels = dataset.discrete!.levels.map((l) => l.length);
    const codes = dataset.discrete!.codes;
    const targets = dataset.interventions!;
    const a = new Uint8Array(d * d);
    a[0 * d + 1] = 1;
    a[1 * d + 2] = 1;
    const t = interventionalTable(singleDag(a, d).parents, d, 0, 2, new MeanTables(dataset, 1)).table;
    const theta = (j: number, parent: number, pv: number, v: number): number => {
      let nc = 0;
      let nck = 0;
      for (let r = 0; r < dataset.rows; r++) {
        if (targets[r] === j + 1 || codes[parent]![r] !== pv) continue;
        nc++;
        if (codes[j]![r] === v) nck++;
      }
      return (nck + 1 / (levels[parent]! * levels[j]!)) / (nc + 1 / levels[parent]!);
    };
    for (let x = 0; x < levels[0]!; x++) {
      for (let y = 0; y < levels[2]!; y++) {
        let p = 0;
        for (let m = 0; m < levels[1]!; m++) p += theta(1, 0, x, m) * theta(2, 1, m, y);
        expect(Math.abs(t[x * levels[2]! + y]! - p)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('BDeu interventional distributions', () => {
  const dataset = randomDiscrete(new Rng(21), 4, 400, false);
  const d = 4;
  const ess = 1;
  const levels = dataset.discrete!.levels.map((l) => l.length);
  const codes = dataset.discrete!.codes;

  /** P(Y = y | do(X = x)) by summing the truncated factorisation over every joint configuration. */
  function bruteForce(a: Uint8Array, x: number, xv: number, y: number): Float64Array {
    const out = new Float64Array(levels[y]!);
    const theta = (j: number, values: number[]): number => {
      const pa: number[] = [];
      for (let i = 0; i < d; i++) if (a[i * d + j]) pa.push(i);
      let q = 1;
      for (const p of pa) q *= levels[p]!;
      let nc = 0;
      let nck = 0;
      for (let row = 0; row < dataset.rows; row++) {
        if (pa.every((p) => codes[p]![row] === values[p])) {
          nc++;
          if (codes[j]![row] === values[j]) nck++;
        }
      }
      return (nck + ess / (q * levels[j]!)) / (nc + ess / q);
    };
    const total = levels.reduce((s, l) => s * l, 1);
    for (let cfg = 0; cfg < total; cfg++) {
      const values: number[] = [];
      let rest = cfg;
      for (let j = 0; j < d; j++) {
        values.push(rest % levels[j]!);
        rest = Math.floor(rest / levels[j]!);
      }
      if (values[x] !== xv) continue;
      let p = 1;
      for (let j = 0; j < d; j++) if (j !== x) p *= theta(j, values);
      out[values[y]!]! += p;
    }
    return out;
  }

  it('per DAG equal the truncated factorisation summed over all configurations', async () => {
    const exact = await exactPosteriorOf(dataset, undefined, ess);
    const tables = new MeanTables(dataset, ess);
    let checked = 0;
    for (const { a, code } of allDags(exact)) {
      if (code % 7 !== 0) continue; // a spread-out subset keeps the brute force quick
      const pa = singleDag(a, d).parents;
      const t = interventionalTable(pa, d, 0, 3, tables).table;
      for (let xv = 0; xv < levels[0]!; xv++) {
        const b = bruteForce(a, 0, xv, 3);
        b.forEach((p, yv) => expect(Math.abs(t[xv * levels[3]! + yv]! - p)).toBeLessThan(1e-12));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('parameter sd of a single edge X → Y is the Beta marginal of the Dirichlet posterior', () => {
    const a = new Uint8Array(d * d);
    a[0 * d + 3] = 1;
    const post = singleDag(a, d);
    const e = bdeuInterventionalEffect(post, dataset, ess, 0, 3, { draws: 8000, seed: 4 });
    const rx = levels[0]!;
    const ry = levels[3]!;
    for (let xv = 0; xv < rx; xv++) {
      let nx = 0;
      for (let row = 0; row < dataset.rows; row++) if (codes[0]![row] === xv) nx++;
      const alpha0 = nx + ess / rx;
      for (let yv = 0; yv < ry; yv++) {
        const cell = e.cells[xv * ry + yv]!;
        const sd = Math.sqrt((cell.mean * (1 - cell.mean)) / (alpha0 + 1));
        expect(Math.abs(cell.parameterSd - sd) / sd).toBeLessThan(0.05);
        expect(cell.structuralSd).toBeLessThan(1e-12);
      }
    }
  });

  it('averaged over the exact posterior equal the weighted sums over all DAGs to 1e-9', async () => {
    const exact = await exactPosteriorOf(dataset, undefined, ess);
    const e = bdeuInterventionalEffect(fromDistribution(exact.distribution), dataset, ess, 1, 2);
    const ry = levels[2]!;
    const sums = new Float64Array(levels[1]! * ry);
    let noPath = 0;
    const tables = new MeanTables(dataset, ess);
    for (const { a, w } of allDags(exact)) {
      const t = interventionalTable(singleDag(a, d).parents, d, 1, 2, tables).table;
      t.forEach((p, c) => (sums[c]! += w * p));
      if (!closure(a, d)[1 * d + 2]) noPath += w;
    }
    e.cells.forEach((cell, c) => expect(Math.abs(cell.mean - sums[c]!)).toBeLessThan(1e-9));
    e.cells.forEach((cell) => expect(cell.interval[0]).toBeLessThanOrEqual(cell.interval[1]));
    expect(Math.abs(e.probabilityNoPath - noPath)).toBeLessThan(1e-9);
    // Each row of the table is a distribution over the effect's levels.
    for (let xv = 0; xv < levels[1]!; xv++)
      expect(e.cells.slice(xv * ry, (xv + 1) * ry).reduce((s, c) => s + c.mean, 0)).toBeCloseTo(1, 12);
  });
});
