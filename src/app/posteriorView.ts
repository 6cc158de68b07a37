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
  // The key is the sample's edge codes as one short string (two bytes an edge), and the edge list
  // is built once per distinct DAG: at d = 60 with 60,000 samples, an edge list per sample joined
  // into a key took seconds, and keying by the 3,600 adjacency bytes held 100 MB of keys.
  const codes = new Uint32Array(dd);
  // one UTF-16 unit per edge up to 256 variables (d² codes fit in 16 bits); beyond, a joined list
  const short = dd <= 65536;
  const adjacency = samples.adjacency;
  for (let s = 0; s < samples.count; s++) {
    let n = 0;
    for (let k = s * dd, end = k + dd; k < end; k++) if (adjacency[k]) codes[n++] = k - s * dd;
    let key = '';
    if (short) for (let p = 0; p < n; p += 4096) key += String.fromCharCode(...codes.subarray(p, Math.min(n, p + 4096)));
    else key = codes.subarray(0, n).join(',');
    const group = groups.get(key);
    if (group) group.count++;
    else {
      const edges = Array.from(codes.subarray(0, n), (k): [number, number] => [Math.floor(k / d), k % d]);
      groups.set(key, { edges, count: 1, logScore: samples.logScores[s]! });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.logScore - a.logScore);
}

/** How many samples hold each edge, counted over the distinct DAGs (each with its count). */
export function edgeCounts(samples: SampledDagsResult, d: number): number[] {
  const counts = new Array<number>(d * d).fill(0);
  for (const g of distinctDags(samples, d)) for (const [i, j] of g.edges) counts[i * d + j]! += g.count;
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
