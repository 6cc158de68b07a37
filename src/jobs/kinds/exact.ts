/**
 * The `exact` job kind: the exact posterior of a problem — by enumeration up to
 * MAX_ENUMERATION_NODES variables (log Z, edge marginals, the tied MAP set, the most probable
 * DAGs and the whole distribution), by the subset dynamic programme up to MAX_DP_NODES (log Z,
 * edge marginals). The window shows `posterior`; `dagflow exact` prints `exact`.
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { JobContext } from '../../gflownet/core/job.ts';
import { dpPosterior, MAX_DP_NODES } from '../../gflownet/exact/dp.ts';
import { MAX_ENUMERATION_NODES } from '../../gflownet/exact/enumerate.ts';
import { enumeratePosterior } from '../../gflownet/exact/posterior.ts';
import { edgesFromCode } from '../../gflownet/graph/dagCode.ts';
import { loadKnowledge, loadScoring } from '../../gflownet/problem/load.ts';
import type { ProblemSpec } from '../../gflownet/problem/spec.ts';
import { createRewardModel } from '../../gflownet/scores/reward.ts';
import type { ExactProgress } from '../../shared/progress.ts';
import type { PosteriorRunResult } from './posteriorResult.ts';

export interface ExactJobParams {
  problem: ProblemSpec;
  /** auto (default): enumeration up to MAX_ENUMERATION_NODES variables, the subset DP beyond. */
  method?: 'auto' | 'enumeration' | 'dp';
  /** Enumeration: also list this many most probable DAGs in `exact.top` (default none). */
  top?: number;
}

export type { ExactProgress };

/** A DAG of the enumeration: its edges as [from, to] indices and log P(G | D). */
export interface ScoredDagEdges {
  edges: Array<[number, number]>;
  logPosterior: number;
}

/** What the command line reports beyond the window's posterior. */
export interface ExactFigures {
  method: 'enumeration' | 'dp';
  /** The score as resolved for the data. */
  score: 'bge' | 'bdeu';
  prior: { kind: string; edgesPerNode?: number; beta?: number };
  maxParents: number;
  expectedEdges: number;
  /** Enumeration: every DAG tied for the highest log R. */
  map?: ScoredDagEdges[];
  /** Enumeration: the `top` most probable DAGs. */
  top?: ScoredDagEdges[];
  numDags?: number;
  entropy?: number;
  /** DP: |Σ node weights − 1|, a measured bound on rounding error. */
  numericalCheck?: number;
  /** Data-reading warnings. */
  warnings: string[];
  seconds: number;
}

export interface ExactJobResult {
  posterior: PosteriorRunResult;
  exact: ExactFigures;
}

/** The most probable DAGs listed for the window. */
const TOP_DAGS = 200;

export async function run(params: ExactJobParams, ctx: JobContext<ExactProgress>): Promise<ExactJobResult> {
  const started = performance.now();
  ctx.progress({ phase: 'reading the data', done: 0, total: 1 });
  const { dataset, model, scoreOptions } = await loadScoring(params.problem.data, params.problem.score, { signal: ctx.signal });
  const columns = [...dataset.columns];
  const d = columns.length;
  const asked = params.method ?? 'auto';
  const method = asked === 'auto' ? (d <= MAX_ENUMERATION_NODES ? 'enumeration' : 'dp') : asked;
  if (method === 'enumeration' && d > MAX_ENUMERATION_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `enumeration is limited to ${MAX_ENUMERATION_NODES} variables; the data has ${d}`,
      { field: 'sampler.method' },
      'use {{sampler.method=dp}} (or auto)',
    );
  }
  if (d > MAX_DP_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `the exact posterior is limited to ${MAX_DP_NODES} variables (dynamic programme over node subsets); the data has ${d}`,
      { file: params.problem.data.name ?? params.problem.data.path },
      'leave columns out, or sample the posterior with the GFlowNet or MCMC',
    );
  }
  const { prior, priorTable, knowledge, edgeLogPrior } = await loadKnowledge(params.problem.prior, params.problem.knowledge, columns);
  const reward = createRewardModel(model, priorTable, edgeLogPrior);
  const base = {
    score: scoreOptions.score,
    prior: definedOnly(prior),
    maxParents: knowledge.maxParents,
    warnings: [...dataset.report.warnings],
  };
  const seconds = (): number => (performance.now() - started) / 1000;

  if (method === 'enumeration') {
    const p = await enumeratePosterior(reward, knowledge, {
      signal: ctx.signal,
      log: ctx.log,
      progress: (q) => ctx.progress({ phase: 'scoring parent sets', done: q.done, total: q.total }),
    });
    const scored = (s: { code: number; logPosterior: number }): ScoredDagEdges => ({
      edges: edgesFromCode(s.code, d),
      logPosterior: s.logPosterior,
    });
    const elapsed = seconds();
    return {
      posterior: {
        variables: columns,
        edgeMarginals: p.edgeMarginals,
        logZ: p.logZ,
        distribution: { codes: p.distribution.codes, logProb: p.distribution.logProb },
        ranked: p
          .top(TOP_DAGS)
          .map((s) => ({ edges: edgesFromCode(s.code, d), probability: Math.exp(s.logPosterior), logScore: s.logJoint })),
        facts: [
          { label: 'DAGs enumerated', value: p.numDags.toLocaleString('en') },
          { label: 'seconds', value: elapsed.toFixed(2) },
        ],
      },
      exact: {
        ...base,
        method,
        expectedEdges: p.expectedEdges,
        map: p.map.map(scored),
        ...((params.top ?? 0) > 0 ? { top: p.top(params.top!).map(scored) } : {}),
        numDags: p.numDags,
        entropy: p.entropy,
        seconds: elapsed,
      },
    };
  }
  const p = await dpPosterior(reward, knowledge, {
    signal: ctx.signal,
    log: ctx.log,
    progress: (q) => ctx.progress({ phase: q.phase, done: q.done, total: q.total }),
  });
  const elapsed = seconds();
  return {
    posterior: {
      variables: columns,
      edgeMarginals: p.edgeMarginals,
      logZ: p.logZ,
      facts: [
        { label: 'method', value: 'dynamic programme over node subsets' },
        { label: 'numerical check', value: p.numericalCheck.toExponential(1) },
        { label: 'seconds', value: elapsed.toFixed(2) },
      ],
    },
    exact: { ...base, method, expectedEdges: p.expectedEdges, numericalCheck: p.numericalCheck, seconds: elapsed },
  };
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
