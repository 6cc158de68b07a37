import { describe, expect, it } from 'vitest';
import { auroc, averagePrecision, edgeAuroc, edgeAveragePrecision } from '../../../src/gflownet/metrics/roc.ts';
import { expectedShd, shd } from '../../../src/gflownet/metrics/shd.ts';
import { jensenShannon } from '../../../src/gflownet/metrics/jsd.ts';
import {
  edgeFrequencies,
  expectedEdgesFromMarginals,
  maxAbsDifference,
  meanEdgeCount,
  rmse,
} from '../../../src/gflownet/metrics/marginals.ts';
import { compareGraphs, consensusGraph } from '../../../src/gflownet/metrics/consensus.ts';
import { compareDistributions, empiricalDistribution } from '../../../src/gflownet/exact/distribution.ts';

// 3 nodes; truth 0 → 1 → 2.
const truth = Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0]);

describe('structural Hamming distance', () => {
  it('counts a missing, an extra and a reversed edge once each', () => {
    expect(shd(truth, truth, 3)).toBe(0);
    expect(shd(Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0]), truth, 3)).toBe(1); // missing 1→2
    expect(shd(Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0]), truth, 3)).toBe(1); // extra 0→2
    expect(shd(Uint8Array.from([0, 0, 0, 1, 0, 1, 0, 0, 0]), truth, 3)).toBe(1); // reversed 0→1
    expect(shd(Uint8Array.from([0, 0, 1, 1, 0, 0, 0, 1, 0]), truth, 3)).toBe(3); // 1→0, 2→1, 0→2
  });

  it('E-SHD is the (weighted) mean over samples', () => {
    const empty = new Uint8Array(9);
    expect(expectedShd([truth, empty, empty], truth, 3)).toBeCloseTo(4 / 3, 15);
    expect(expectedShd([truth, empty], truth, 3, [0.75, 0.25])).toBeCloseTo(0.5, 15);
  });
});

describe('AUROC and average precision', () => {
  it('match hand-worked values with and without ties', () => {
    // Scores 0.9(+) 0.8(−) 0.7(+) 0.1(−): pairs (+,−) ordered correctly: 0.9>0.8, 0.9>0.1, 0.7>0.1; wrong: 0.7<0.8 → 3/4.
    expect(auroc([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.75, 15);
    // AP: ranks 1 (+, P=1), 3 (+, P=2/3) → (1 + 2/3)/2.
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 15);
    // A tie between a positive and a negative counts ½ in AUROC; AP takes the tied group at once.
    expect(auroc([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.75, 15);
    expect(averagePrecision([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.5, 15);
    expect(auroc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('on edge marginals, with the diagonal left out by default or included', () => {
    const m = Float64Array.from([0, 0.9, 0.3, 0.2, 0, 0.6, 0.1, 0.4, 0]);
    // Off-diagonal: positives 0.9, 0.6; negatives 0.3, 0.2, 0.1, 0.4 — perfect ranking.
    expect(edgeAuroc(m, truth, 3)).toBe(1);
    expect(edgeAveragePrecision(m, truth, 3)).toBe(1);
    // The diagonal adds three negatives at 0, still below every positive.
    expect(edgeAuroc(m, truth, 3, { includeDiagonal: true })).toBe(1);
    const swapped = Float64Array.from([0, 0.3, 0.9, 0.2, 0, 0.6, 0.1, 0.4, 0]);
    // Positives 0.3, 0.6 vs negatives 0.9, 0.2, 0.1, 0.4: 0.3 beats 2, 0.6 beats 3 → 5/8.
    expect(edgeAuroc(swapped, truth, 3)).toBeCloseTo(5 / 8, 15);
    // Ranking 0.9(−) 0.6(+) 0.4(−) 0.3(+): AP = (1/2 + 2/4)/2.
    expect(edgeAveragePrecision(swapped, truth, 3)).toBeCloseTo(0.5, 15);
  });
});

describe('Jensen–Shannon divergence between distributions over DAGs', () => {
  it('is 0 for a distribution with itself and log 2 for disjoint ones', () => {
    const p = { codes: [1, 2, 3], logProb: [Math.log(0.5), Math.log(0.25), Math.log(0.25)] };
    expect(jensenShannon(p, p)).toBe(0);
    expect(jensenShannon(p, { codes: [4, 5], logProb: [Math.log(0.5), Math.log(0.5)] })).toBeCloseTo(Math.log(2), 15);
  });

  it('matches a hand computation and renormalises its inputs', () => {
    // p = (1, 0), q = (½, ½): m = (¾, ¼); JSD = ½·log(4/3) + ½·(½ log(2/3) + ½ log 2).
    const expected = 0.5 * Math.log(4 / 3) + 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25));
    expect(jensenShannon({ codes: [7], logProb: [0] }, { codes: [7, 9], logProb: [Math.log(0.5), Math.log(0.5)] })).toBeCloseTo(
      expected,
      15,
    );
    expect(jensenShannon({ codes: [7], logProb: [Math.log(3)] }, { codes: [7, 9], logProb: [0, 0] })).toBeCloseTo(expected, 15);
  });

  it('compares an empirical distribution with the exact one (JSD and marginals)', () => {
    // d = 2: code 0 = empty, 2 = 0→1, 4 = 1→0.
    const emp = empiricalDistribution(2, [0, 0, 0, 2]);
    const exact = { d: 2, codes: Int32Array.from([0, 2, 4]), logProb: Float64Array.from([Math.log(0.5), Math.log(0.25), Math.log(0.25)]) };
    const c = compareDistributions(emp, exact);
    const kl = (p: number[], m: number[]): number => p.reduce((s, v, k) => (v > 0 ? s + v * Math.log(v / m[k]!) : s), 0);
    const m = [0.625, 0.25, 0.125];
    expect(c.jsd).toBeCloseTo(0.5 * kl([0.75, 0.25, 0], m) + 0.5 * kl([0.5, 0.25, 0.25], m), 14);
    expect(c.edgeMarginalRmse).toBeCloseTo(Math.sqrt(0.0625 / 2), 15);
    expect(c.edgeMarginalMaxError).toBeCloseTo(0.25, 15);
  });
});

describe('edge-marginal comparisons and consensus graphs', () => {
  it('RMSE and max error over the off-diagonal entries', () => {
    const a = Float64Array.from([0, 0.5, 0.5, 0]);
    const b = Float64Array.from([0, 0.2, 0.9, 0]);
    expect(rmse(a, b, 2)).toBeCloseTo(Math.sqrt((0.09 + 0.16) / 2), 15);
    expect(maxAbsDifference(a, b, 2)).toBeCloseTo(0.4, 15);
    expect(rmse(a, b, 2, { includeDiagonal: true })).toBeCloseTo(Math.sqrt((0.09 + 0.16) / 4), 15);
  });

  it('edge frequencies and expected edges over samples', () => {
    const g1 = Uint8Array.from([0, 1, 0, 0]);
    const g2 = Uint8Array.from([0, 0, 1, 0]);
    const freq = edgeFrequencies([g1, g1, g2, new Uint8Array(4)], 2);
    expect(Array.from(freq)).toEqual([0, 0.5, 0.25, 0]);
    expect(meanEdgeCount([g1, g1, g2, new Uint8Array(4)])).toBe(0.75);
    expect(expectedEdgesFromMarginals(freq)).toBe(0.75);
  });

  it('SHD, precision, recall and F1 of a thresholded consensus graph', () => {
    const m = Float64Array.from([0, 0.9, 0.7, 0.2, 0, 0.4, 0, 0.1, 0]);
    const g = consensusGraph(m, 3);
    expect(Array.from(g)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0]);
    const c = compareGraphs(g, truth, 3);
    expect(c).toEqual({ shd: 2, truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(compareGraphs(new Uint8Array(9), truth, 3).precision).toBe(0);
  });
});
