/**
 * The exact posterior of a data set opened in the window: edge marginals and log Z by the
 * subset dynamic programme (up to MAX_DP_NODES variables) and, on at most five variables, the
 * full enumeration so the most probable DAGs can be listed too.
 */
import { DagflowError } from '../../gflownet/core/errors.ts';
import type { JobContext } from '../../gflownet/core/job.ts';
import { dpPosterior, MAX_DP_NODES } from '../../gflownet/exact/dp.ts';
import { enumeratePosterior } from '../../gflownet/exact/posterior.ts';
import { edgesFromCode } from '../../gflownet/graph/dagCode.ts';
import { MAX_ENUMERATION_NODES } from '../../gflownet/exact/enumerate.ts';
import type { PosteriorRunResult } from './posteriorResult.ts';
import { buildProblem, type ProblemParams } from './problem.ts';

export interface ExactProgress {
  phase: string;
  done: number;
  total: number;
}

const TOP_DAGS = 200;

export async function run(params: ProblemParams, ctx: JobContext<ExactProgress>): Promise<PosteriorRunResult> {
  const started = performance.now();
  ctx.progress({ phase: 'reading the data', done: 0, total: 1 });
  const problem = await buildProblem(params, ctx.signal);
  const d = problem.dataset.columns.length;
  if (d > MAX_DP_NODES) {
    throw new DagflowError('TOO_LARGE', `the exact posterior is limited to ${MAX_DP_NODES} variables; this data set has ${d}`, {}, 'exclude columns on the Import screen, or run the GFlowNet or MCMC instead');
  }
  const facts: PosteriorRunResult['facts'] = [];
  if (d <= MAX_ENUMERATION_NODES) {
    const posterior = await enumeratePosterior(problem.reward, problem.knowledge, {
      signal: ctx.signal,
      log: ctx.log,
      progress: (p) => ctx.progress({ phase: 'scoring parent sets', done: p.done, total: p.total }),
    });
    facts.push({ label: 'DAGs enumerated', value: posterior.numDags.toLocaleString('en') });
    facts.push({ label: 'seconds', value: ((performance.now() - started) / 1000).toFixed(2) });
    return {
      variables: [...problem.dataset.columns],
      edgeMarginals: posterior.edgeMarginals,
      logZ: posterior.logZ,
      distribution: { codes: posterior.distribution.codes, logProb: posterior.distribution.logProb },
      ranked: posterior.top(TOP_DAGS).map((s) => ({ edges: edgesFromCode(s.code, d), probability: Math.exp(s.logPosterior), logScore: s.logJoint })),
      facts,
    };
  }
  const posterior = await dpPosterior(problem.reward, problem.knowledge, {
    signal: ctx.signal,
    log: ctx.log,
    progress: (p) => ctx.progress({ phase: p.phase, done: p.done, total: p.total }),
  });
  facts.push({ label: 'method', value: 'dynamic programme over node subsets' });
  facts.push({ label: 'numerical check', value: posterior.numericalCheck.toExponential(1) });
  facts.push({ label: 'seconds', value: ((performance.now() - started) / 1000).toFixed(2) });
  return { variables: [...problem.dataset.columns], edgeMarginals: posterior.edgeMarginals, logZ: posterior.logZ, facts };
}
