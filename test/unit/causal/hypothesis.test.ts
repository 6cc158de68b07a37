import { describe, expect, it } from 'vitest';
import { estimateLogZFromSamples, locateHypothesis } from '../../../src/gflownet/causal/hypothesis.ts';
import { fromDistribution, fromSamples } from '../../../src/gflownet/causal/weightedDags.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { adjacencyFromCode, parentMasksFromCode } from '../../../src/gflownet/graph/dagCode.ts';
import { lingaussDataset } from '../exact/fixtures.ts';
import { allDags, exactPosteriorOf } from './bruteForce.ts';

/** Verma & Pearl: Markov equivalent ⇔ same skeleton and same v-structures. */
function equivalenceKey(a: Uint8Array, d: number): string {
  const skeleton: string[] = [];
  const v: string[] = [];
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) if (a[i * d + j] || a[j * d + i]) skeleton.push(`${i}-${j}`);
  for (let c = 0; c < d; c++)
    for (let i = 0; i < d; i++)
      for (let j = i + 1; j < d; j++) if (a[i * d + c] && a[j * d + c] && !a[i * d + j] && !a[j * d + i]) v.push(`${i}>${c}<${j}`);
  return `${skeleton.join(',')}|${v.join(',')}`;
}

describe('locating a hypothesis in an exact posterior', () => {
  it('gives its exact log posterior, its rank among all DAGs, percentile and equivalence-class probability', async () => {
    const exact = await exactPosteriorOf(lingaussDataset(true));
    const post = fromDistribution(exact.distribution);
    const d = 5;
    const ranking = exact.top(exact.numDags);
    for (const position of [0, 3, 50, 2000]) {
      const target = ranking[position]!;
      const report = locateHypothesis(post, exact.logJoint, exact.edgeMarginals, parentMasksFromCode(target.code, d), target.logJoint, {
        value: exact.logZ,
        method: 'enumeration',
      });
      expect(Math.abs(report.logPosterior - target.logPosterior)).toBeLessThan(1e-9);
      // Rank: 1 + distinct DAGs scoring strictly higher (ties within 1e-9 share a rank).
      const higher = ranking.filter((g) => g.logJoint > target.logJoint + 1e-9 * Math.abs(target.logJoint)).length;
      expect(report.rank).toBe(higher + 1);
      expect(report.rank).toBeLessThanOrEqual(position + 1);
      let noBetter = 0;
      let mec = 0;
      const key = equivalenceKey(adjacencyFromCode(target.code, d), d);
      for (const { a, w, code } of allDags(exact)) {
        const lj = exact.logJoint[exact.distribution.codes.indexOf(code)]!;
        if (lj <= target.logJoint + 1e-9 * Math.abs(target.logJoint)) noBetter += w;
        if (equivalenceKey(a, d) === key) mec += w;
      }
      expect(Math.abs(report.percentile - 100 * noBetter)).toBeLessThan(1e-7);
      expect(Math.abs(report.equivalenceClassProbability - mec)).toBeLessThan(1e-9);
      expect(report.inPosterior).toBe(true);
      expect(Math.abs(report.posteriorWeight - Math.exp(target.logPosterior))).toBeLessThan(1e-12);
    }
  });

  it('estimates log Z from exact samples within a few percent of Z', async () => {
    const exact = await exactPosteriorOf(lingaussDataset(true));
    const probs = exact.distribution.logProb.map(Math.exp);
    const rng = new Rng(2);
    const cdf: number[] = [];
    probs.reduce((s, p) => (cdf.push(s + p), s + p), 0);
    const picks = Array.from({ length: 20000 }, () => {
      const u = rng.next();
      const k = Math.min(
        cdf.findIndex((c) => c >= u),
        cdf.length - 1,
      );
      return k < 0 ? cdf.length - 1 : k;
    });
    const post = fromSamples(
      picks.map((k) => adjacencyFromCode(exact.distribution.codes[k]!, 5)),
      5,
    );
    const logRewards = Float64Array.from(picks, (k) => exact.logJoint[k]!);
    expect(Math.abs(estimateLogZFromSamples(post, logRewards) - exact.logZ)).toBeLessThan(0.05);
  });
});
