/**
 * The posterior of a finished run as the Posterior screen shows it: edge marginals with their
 * counts, and the distinct DAGs ranked by how often they were drawn (or by exact probability),
 * with the highest-scoring one marked. Plain arrays, ready for JSON.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { expectedEdgesFromMarginals } from '../gflownet/metrics/marginals.ts';
import type { PosteriorRunResult, SampledDagsResult } from '../jobs/kinds/posteriorResult.ts';
import type { PosteriorView, RankedDag } from '../shared/workflow.ts';

export interface DistinctDag {
  edges: Array<[number, number]>;
  count: number;
  logScore: number;
}

const grouped = new WeakMap<SampledDagsResult, DistinctDag[]>();

/** Group identical samples; most frequent first, ties by higher log score. Computed once per run. */
export function distinctDags(samples: SampledDagsResult, d: number): DistinctDag[] {
  let groups = grouped.get(samples);
  if (!groups) {
    groups = groupSamples(samples, d);
    grouped.set(samples, groups);
  }
  return groups;
}

function groupSamples(samples: SampledDagsResult, d: number): DistinctDag[] {
  const dd = d * d;
  const groups = new Map<string, DistinctDag>();
  for (let s = 0; s < samples.count; s++) {
    const adjacency = samples.adjacency.subarray(s * dd, (s + 1) * dd);
    const edges: Array<[number, number]> = [];
    for (let k = 0; k < dd; k++) if (adjacency[k]) edges.push([Math.floor(k / d), k % d]);
    const key = edges.map(([i, j]) => i * d + j).join(',');
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { edges, count: 1, logScore: samples.logScores[s]! });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.logScore - a.logScore);
}

export function edgeCounts(samples: SampledDagsResult, d: number): number[] {
  const dd = d * d;
  const counts = new Array<number>(dd).fill(0);
  for (let s = 0; s < samples.count; s++) for (let k = 0; k < dd; k++) if (samples.adjacency[s * dd + k]) counts[k]!++;
  return counts;
}

export function posteriorView(runId: string, result: PosteriorRunResult, topDags: number): PosteriorView {
  const d = result.variables.length;
  const base = {
    runId,
    variables: result.variables,
    marginals: Array.from(result.edgeMarginals),
    expectedEdges: expectedEdgesFromMarginals(result.edgeMarginals),
    logZ: result.logZ,
    traces: result.traces?.map((t) => ({ name: t.name, values: t.values.filter((v) => Number.isFinite(v)) })),
  };
  if (result.samples) {
    const groups = distinctDags(result.samples, d);
    const ranked: RankedDag[] = groups
      .slice(0, topDags)
      .map((g, k) => ({ rank: k + 1, edges: g.edges, count: g.count, probability: g.count / result.samples!.count, logScore: g.logScore }));
    // The MAP among the samples: it may rank low by frequency, so add it when it is not listed.
    let best = 0;
    for (let k = 1; k < groups.length; k++) if (groups[k]!.logScore > groups[best]!.logScore) best = k;
    let mapIndex: number | undefined;
    if (groups.length > 0) {
      if (best < ranked.length) mapIndex = best;
      else {
        const g = groups[best]!;
        ranked.push({ rank: best + 1, edges: g.edges, count: g.count, probability: g.count / result.samples.count, logScore: g.logScore });
        mapIndex = ranked.length - 1;
      }
    }
    return {
      ...base,
      counts: edgeCounts(result.samples, d),
      sampleCount: result.samples.count,
      topDags: ranked,
      distinctDags: groups.length,
      mapIndex,
    };
  }
  if (result.ranked) {
    const ranked = result.ranked
      .slice(0, topDags)
      .map((r, k) => ({ rank: k + 1, edges: r.edges, probability: r.probability, logScore: r.logScore }));
    return { ...base, topDags: ranked, mapIndex: ranked.length > 0 ? 0 : undefined };
  }
  return { ...base, topDags: [] };
}

export function requireResult(result: PosteriorRunResult | undefined, runId: string, status: string): PosteriorRunResult {
  if (!result) {
    const what =
      status === 'running' || status === 'queued' ? 'is still running' : status === 'cancelled' ? 'was cancelled' : 'did not finish';
    throw new DagflowError(
      'BAD_OPTION',
      `${runId} ${what}, so it has no posterior`,
      {},
      status === 'running' || status === 'queued' ? 'wait for it to finish on the Run screen' : 'start a new run on the Run screen',
    );
  }
  return result;
}
