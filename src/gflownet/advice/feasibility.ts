/**
 * What is possible on a data set of d variables, decided from the engine's own limits before
 * anything runs — so that a 100-variable file gets an answer (which samplers, with which
 * parent bound) instead of a run that never ends. Every figure comes from a constant or a
 * count the samplers themselves use: the enumeration and DP limits, the parent-set table
 * budget of order/partition MCMC, the GFlowNet's action count and replay-buffer size.
 */
import { MAX_VARIABLES } from '../core/limits.ts';
import { MAX_DP_NODES } from '../exact/dp.ts';
import { MAX_ENUMERATION_NODES } from '../exact/enumerate.ts';
import { DEFAULT_MAX_TABLE_ENTRIES } from '../mcmc/parentTables.ts';
import { DEFAULT_TRAIN_CONFIG } from '../train/config.ts';

export type AdvisedSampler = 'exact-enumeration' | 'exact-dp' | 'order' | 'partition' | 'mc3' | 'gflownet';

export interface SamplerAdvice {
  sampler: AdvisedSampler;
  possible: boolean;
  /** The parent bound this sampler can use here (undefined: no bound needed). */
  maxParents?: number;
  /** One sentence: why, and the flag to use. */
  reason: string;
}

export interface Feasibility {
  variables: number;
  /** The user's --max-parents, when given. */
  requestedMaxParents?: number;
  samplers: SamplerAdvice[];
  /** The one-line answer. */
  summary: string;
}

export interface FeasibilityOptions {
  maxParents?: number;
  /** Parent sets order/partition MCMC may tabulate (default DEFAULT_MAX_TABLE_ENTRIES). */
  tableBudget?: number;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Parent sets of size ≤ K over all d nodes, with no prior knowledge (what parentTables.ts would build). */
export function parentSetCount(d: number, K: number): number {
  let perNode = 0;
  for (let s = 0; s <= Math.min(K, d - 1); s++) perNode += binomial(d - 1, s);
  return d * perNode;
}

/** The largest parent bound ≤ `limit` whose tables fit the budget. */
export function tableParentBound(d: number, limit: number, budget = DEFAULT_MAX_TABLE_ENTRIES): number {
  let K = 0;
  while (K < limit && parentSetCount(d, K + 1) <= budget) K++;
  return K;
}

const fmt = (n: number): string => (n >= 1e10 ? n.toExponential(1) : n.toLocaleString('en-US'));

export function adviseFeasibility(d: number, options: FeasibilityOptions = {}): Feasibility {
  const budget = options.tableBudget ?? DEFAULT_MAX_TABLE_ENTRIES;
  const limit = Math.min(options.maxParents ?? d - 1, d - 1);
  const samplers: SamplerAdvice[] = [];
  if (d > MAX_VARIABLES) {
    return {
      variables: d,
      requestedMaxParents: options.maxParents,
      samplers: [],
      summary: `${d} variables: the engine supports at most ${MAX_VARIABLES}; exclude columns first`,
    };
  }
  samplers.push(
    d <= MAX_ENUMERATION_NODES
      ? { sampler: 'exact-enumeration', possible: true, reason: `every DAG on ${d} variables can be listed` }
      : { sampler: 'exact-enumeration', possible: false, reason: `listing every DAG stops at ${MAX_ENUMERATION_NODES} variables` },
  );
  samplers.push(
    d <= MAX_DP_NODES
      ? {
          sampler: 'exact-dp',
          possible: true,
          reason: `exact edge marginals by the subset DP (2^${d} subsets; ×3 time per extra variable)`,
        }
      : {
          sampler: 'exact-dp',
          possible: false,
          reason: `the subset DP over 2^d node sets stops at ${MAX_DP_NODES} variables (2^${d} = ${(2 ** d).toExponential(1)} here)`,
        },
  );
  const K = tableParentBound(d, limit, budget);
  for (const sampler of ['order', 'partition'] as const) {
    samplers.push(
      K >= 1
        ? {
            sampler,
            possible: true,
            maxParents: K,
            reason:
              K < limit
                ? `every parent set up to ${limit} parents would need ${fmt(parentSetCount(d, limit))} table entries (budget ${fmt(budget)}): by default the run keeps that bound in a candidate-parent space chosen from the data and reports the edges outside it; --table-max-parents ${K} scores every set up to ${K} parents instead (${fmt(parentSetCount(d, K))} sets)`
                : `every parent set up to ${K} parent${K === 1 ? '' : 's'} fits the table budget (${fmt(parentSetCount(d, K))} of ${fmt(budget)} sets)`,
          }
        : {
            sampler,
            possible: false,
            maxParents: 0,
            reason: `even single parents need ${fmt(parentSetCount(d, 1))} table entries, over the budget of ${fmt(budget)}`,
          },
    );
  }
  // MC3 scores parent sets as it meets them; a bound keeps each family small and the score cache finite.
  const mc3Bound = Math.min(limit, 4);
  samplers.push({
    sampler: 'mc3',
    possible: true,
    maxParents: mc3Bound,
    reason: `${fmt(d * (d - 1))} possible edges; no table needed${mc3Bound < d - 1 ? `, but keep families small: --max-parents ${mc3Bound}` : ''}; run several chains and check the diagnostics`,
  });
  const replayBytes = DEFAULT_TRAIN_CONFIG.replayCapacity * 2 * Math.ceil((d * d) / 32) * 4;
  samplers.push({
    sampler: 'gflownet',
    possible: true,
    maxParents: options.maxParents,
    reason: `${fmt(d * d + 1)} actions per state and a replay buffer of about ${Math.round(replayBytes / 1024 / 1024)} MB at the default capacity; training time grows with d², so start with a time limit (--time-limit)${d > 30 ? ' and a parent bound (--max-parents)' : ''}`,
  });
  const exact = samplers.find((s) => s.possible && s.sampler.startsWith('exact'));
  const summary = exact
    ? `${d} variables: the exact posterior is computable (${exact.sampler === 'exact-enumeration' ? 'enumeration' : 'subset DP'}); samplers are optional and can be checked against it`
    : `${d} variables: no exact answer (limit ${MAX_DP_NODES}); use ${K >= 1 ? (K < limit ? 'order or partition MCMC (in a candidate-parent space), ' : `order or partition MCMC with parent sets up to ${K}, `) : ''}MC3 with --max-parents ${mc3Bound}, or the GFlowNet with a time limit`;
  return { variables: d, requestedMaxParents: options.maxParents, samplers, summary };
}
