import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { structuralFeatures } from '../../../src/gflownet/causal/features.ts';
import { conditionOnKnowledge, fromDistribution, fromSamples } from '../../../src/gflownet/causal/weightedDags.ts';
import { adjacencyFromCode } from '../../../src/gflownet/graph/dagCode.ts';
import { lingaussDataset } from '../exact/fixtures.ts';
import { randomDiscrete } from '../scores/randomProblems.ts';
import { allDags, closure, exactPosteriorOf, markovBlanket } from './bruteForce.ts';

describe('structural features of an exact posterior', () => {
  it('equal the weighted sums over all DAGs to 1e-9 (BGe, d = 5, and BDeu, d = 4)', async () => {
    for (const dataset of [lingaussDataset(true), randomDiscrete(new Rng(3), 4, 300, false)]) {
      const exact = await exactPosteriorOf(dataset);
      const d = exact.d;
      const f = structuralFeatures(fromDistribution(exact.distribution));
      const edge = new Float64Array(d * d);
      const path = new Float64Array(d * d);
      const mb = new Float64Array(d * d);
      const adj = new Float64Array(d * d);
      const v = new Map<string, number>();
      for (const { a, w } of allDags(exact)) {
        const reach = closure(a, d);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++) {
            edge[i * d + j]! += w * a[i * d + j]!;
            path[i * d + j]! += w * reach[i * d + j]!;
            if (markovBlanket(a, d, i, j)) mb[i * d + j]! += w;
            if (a[i * d + j] || a[j * d + i]) adj[i * d + j]! += w;
            for (let c = 0; c < d; c++) {
              if (i < j && a[i * d + c] && a[j * d + c] && !a[i * d + j] && !a[j * d + i])
                v.set(`${i},${j},${c}`, (v.get(`${i},${j},${c}`) ?? 0) + w);
            }
          }
        }
      }
      const close = (x: Float64Array, y: Float64Array): void => x.forEach((value, k) => expect(Math.abs(value - y[k]!)).toBeLessThan(1e-9));
      close(f.edge, edge);
      close(f.edge, exact.edgeMarginals);
      close(f.path, path);
      close(f.markovBlanket, mb);
      close(f.adjacent, adj);
      expect(f.standardErrors).toBeNull();
      expect(f.vStructures.length).toBe(v.size);
      for (const s of f.vStructures)
        expect(Math.abs(s.probability - v.get(`${s.parents[0]},${s.parents[1]},${s.collider}`)!)).toBeLessThan(1e-9);
    }
  });

  it('what-if: conditioning the exact posterior on knowledge equals the exact posterior computed under it', async () => {
    const dataset = lingaussDataset(true);
    const knowledge = {
      forbidden: [[0, 1]] as Array<[number, number]>,
      required: [[2, 3]] as Array<[number, number]>,
      tiers: [0, 0, 0, 1, 1],
      maxParents: 3,
    };
    const full = await exactPosteriorOf(dataset);
    const constrained = await exactPosteriorOf(dataset, knowledge);
    const cond = conditionOnKnowledge(fromDistribution(full.distribution), knowledge);
    expect(cond.keptDags).toBe(constrained.numDags);
    const a = structuralFeatures(cond.posterior);
    const b = structuralFeatures(fromDistribution(constrained.distribution));
    for (const key of ['edge', 'path', 'markovBlanket', 'adjacent'] as const)
      a[key].forEach((x, k) => expect(Math.abs(x - b[key][k]!)).toBeLessThan(1e-9));
    expect(cond.keptMass).toBeGreaterThan(0);
    expect(cond.keptMass).toBeLessThan(1);
  });
});

/** n independent draws from an exact posterior (inverse CDF), as adjacencies. */
function drawExact(codes: Int32Array, probs: Float64Array, d: number, n: number, rng: Rng): Uint8Array[] {
  const cdf = new Float64Array(probs.length);
  let s = 0;
  probs.forEach((p, k) => (cdf[k] = s += p));
  return Array.from({ length: n }, () => {
    const u = rng.next() * s;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return adjacencyFromCode(codes[lo]!, d);
  });
}

describe('importance-weighted samples', () => {
  it('uniform draws weighted by R(G) estimate the exact posterior within their error bars', async () => {
    const exact = await exactPosteriorOf(lingaussDataset(true));
    const truth = structuralFeatures(fromDistribution(exact.distribution));
    const rng = new Rng(17);
    const n = 20000;
    const picks = Array.from({ length: n }, () => rng.int(exact.numDags));
    const dags = picks.map((k) => adjacencyFromCode(exact.distribution.codes[k]!, 5));
    // q uniform, so the log weight is log R(G) (up to a constant the normalisation removes).
    const post = fromSamples(
      dags,
      5,
      undefined,
      picks.map((k) => exact.logJoint[k]!),
    );
    const f = structuralFeatures(post);
    let within = 0;
    let total = 0;
    f.edge.forEach((p, k) => {
      if (Math.floor(k / 5) === k % 5) return;
      total++;
      if (Math.abs(p - truth.edge[k]!) <= 3 * f.standardErrors!.edge[k]!) within++;
    });
    expect(within / total).toBeGreaterThanOrEqual(0.9);
    // Unweighted, the same draws describe the uniform distribution instead.
    const plain = structuralFeatures(fromSamples(dags, 5));
    const far = Array.from(plain.edge).filter((p, k) => Math.abs(p - truth.edge[k]!) > 5 * plain.standardErrors!.edge[k]!).length;
    expect(far).toBeGreaterThan(5);
  });
});

describe('standard errors of sampled features', () => {
  it('MCMC chains stuck in different graphs get the between-chain error, not the tiny within-chain one', () => {
    const d = 2;
    const withEdge = Uint8Array.of(0, 1, 0, 0);
    const empty = new Uint8Array(4);
    // Four chains of 400: three always with the edge, one never.
    const dags = [...Array(1200).fill(withEdge), ...Array(400).fill(empty)];
    const f = structuralFeatures(fromSamples(dags, d, [400, 400, 400, 400]));
    expect(f.edge[1]).toBeCloseTo(0.75, 12);
    // Chains as batches: √(4/3 · Σ_c (1/4)²(x_c − 0.75)²) = √(0.75·0.25/3) = 0.25.
    expect(f.standardErrors!.edge[1]).toBeCloseTo(0.25, 12);
  });

  it('independent samples: binomial SE, and p̂ ± 1.96 SE covers the exact path probability about 95 % of the time', async () => {
    const exact = await exactPosteriorOf(lingaussDataset(true));
    const truth = structuralFeatures(fromDistribution(exact.distribution)).path;
    const probs = exact.distribution.logProb.map(Math.exp);
    const rng = new Rng(11);
    let covered = 0;
    let total = 0;
    for (let run = 0; run < 40; run++) {
      const post = fromSamples(drawExact(exact.distribution.codes, probs, 5, 400, rng), 5);
      const f = structuralFeatures(post);
      const se = f.standardErrors!.path;
      f.path.forEach((p, k) => {
        // Binomial; at exactly 0 or 1, the error of half a sample (q = 1/800).
        if (Math.floor(k / 5) === k % 5) return expect(se[k]).toBe(0);
        expect(se[k]).toBeCloseTo(
          p > 1e-9 && p < 1 - 1e-9 ? Math.sqrt((p * (1 - p)) / 400) : Math.sqrt(((1 / 800) * (1 - 1 / 800)) / 400),
          12,
        );
        if (truth[k]! < 0.05 || truth[k]! > 0.95) return;
        total++;
        if (Math.abs(p - truth[k]!) <= 1.96 * se[k]!) covered++;
      });
    }
    expect(total).toBeGreaterThan(100);
    expect(covered / total).toBeGreaterThan(0.91);
    expect(covered / total).toBeLessThan(0.985);
  });

  it('MCMC chains: batch means keep the coverage near 95 % where a binomial SE would not', async () => {
    const exact = await exactPosteriorOf(lingaussDataset(true));
    const truth = structuralFeatures(fromDistribution(exact.distribution)).path;
    const probs = exact.distribution.logProb.map(Math.exp);
    const rng = new Rng(5);
    let coveredBatch = 0;
    let coveredNaive = 0;
    let total = 0;
    for (let run = 0; run < 25; run++) {
      // A "sticky" Markov chain with the exact posterior as stationary law: stay with probability 0.95.
      const chains = 4;
      const length = 2500;
      const fresh = drawExact(exact.distribution.codes, probs, 5, chains * length, rng);
      const dags: Uint8Array[] = [];
      for (let c = 0; c < chains; c++) {
        let current = fresh[c * length]!;
        for (let s = 0; s < length; s++) {
          if (rng.next() >= 0.95) current = fresh[c * length + s]!;
          dags.push(current);
        }
      }
      const f = structuralFeatures(fromSamples(dags, 5, new Array(chains).fill(length)));
      f.path.forEach((p, k) => {
        if (truth[k]! < 0.05 || truth[k]! > 0.95) return;
        total++;
        if (Math.abs(p - truth[k]!) <= 1.96 * f.standardErrors!.path[k]!) coveredBatch++;
        if (Math.abs(p - truth[k]!) <= 1.96 * Math.sqrt((p * (1 - p)) / dags.length)) coveredNaive++;
      });
    }
    expect(coveredBatch / total).toBeGreaterThan(0.88);
    expect(coveredNaive / total).toBeLessThan(0.6);
  });
});
