/**
 * Several chains into one posterior estimate: edge marginals averaged over the chains (each
 * weighted by what its estimate rests on), the kept DAGs of all chains in chain order, and
 * the diagnostics.
 */
import type { ChainResult } from './chains.ts';
import { computeDiagnostics, type McmcDiagnostics } from './diagnostics.ts';
import type { McmcMethod } from './types.ts';

export interface CombinedSample {
  chain: number;
  iteration: number;
  logScore: number;
  /** Edges as [from, to] indices. */
  edges: Array<[number, number]>;
}

export interface CombinedRun {
  method: McmcMethod;
  d: number;
  edgeMarginals: Float64Array;
  diagnostics: McmcDiagnostics;
  sampleCount: number;
  seconds: number;
  /** The kept DAGs, chain by chain. */
  samples(): Generator<CombinedSample>;
}

export function combineChains(results: readonly ChainResult[], columns?: readonly string[]): CombinedRun {
  if (results.length === 0) throw new Error('combineChains: no chains');
  const { d, method } = results[0]!;
  const edgeMarginals = new Float64Array(d * d);
  let weight = 0;
  for (const r of results) {
    for (let e = 0; e < d * d; e++) edgeMarginals[e]! += r.edgeMarginals[e]! * r.marginalWeight;
    weight += r.marginalWeight;
  }
  if (weight > 0) for (let e = 0; e < d * d; e++) edgeMarginals[e] = Math.min(1, edgeMarginals[e]! / weight);
  const sampleCount = results.reduce((s, r) => s + r.samples.logScore.length, 0);
  return {
    method,
    d,
    edgeMarginals,
    diagnostics: computeDiagnostics(results, columns),
    sampleCount,
    seconds: Math.max(...results.map((r) => r.seconds)),
    *samples() {
      for (const r of results) {
        const s = r.samples;
        for (let k = 0; k < s.logScore.length; k++) {
          const edges: Array<[number, number]> = [];
          for (let m = s.edgeOffsets[k]!; m < s.edgeOffsets[k + 1]!; m++) edges.push([Math.floor(s.edges[m]! / d), s.edges[m]! % d]);
          yield { chain: r.chain, iteration: s.iteration[k]!, logScore: s.logScore[k]!, edges };
        }
      }
    },
  };
}
