/**
 * The `mcmc` job kind: ONE chain of structure, order or partition MCMC for a problem. A run of
 * C chains is C jobs, so the job host runs them in parallel threads; their results are
 * combined on the caller's side (`combineMcmcJobs` here for the window's run store,
 * gflownet/mcmc/combine.ts for `dagflow mcmc`). Progress about every 0.5 s (iteration, log
 * score, acceptance, iterations per second, current edge-marginal estimate); cancel stops the
 * chain within a second.
 */
import { quietJobContext, type JobContext } from '../../gflownet/core/job.ts';
import { buildConstraints } from '../../gflownet/env/constraints.ts';
import { runChain, type ChainOptions, type ChainProgress, type ChainResult } from '../../gflownet/mcmc/chains.ts';
import { describeChainSpace, summarizeChainSpace } from '../../gflownet/mcmc/candidateParents.ts';
import { combineChains } from '../../gflownet/mcmc/combine.ts';
import { loadSamplerProblem } from '../../gflownet/problem/load.ts';
import type { ProblemSpec } from '../../gflownet/problem/spec.ts';
import type { McmcProgress } from '../../shared/progress.ts';
import type { PosteriorRunResult } from './posteriorResult.ts';

export interface McmcJobParams {
  problem: ProblemSpec;
  chain: ChainOptions;
}

export type McmcJobProgress = McmcProgress;

/** The chain's report as the window receives it (edge matrix as a plain array). */
function progressView(p: ChainProgress, timeLimitSeconds: number | undefined): McmcProgress {
  const { edgeMarginals, ...rest } = p;
  return {
    ...rest,
    phase: 'sampling',
    ...(timeLimitSeconds !== undefined ? { timeLimitSeconds } : {}),
    ...(edgeMarginals ? { edgeMarginals: Array.from(edgeMarginals) } : {}),
  };
}

export interface McmcJobResult extends ChainResult {
  variables: string[];
}

export async function run(params: McmcJobParams, ctx: JobContext<McmcJobProgress> = quietJobContext()): Promise<McmcJobResult> {
  ctx.progress({ chain: params.chain.chain ?? 0, phase: 'reading the data' });
  const problem = await loadSamplerProblem(params.problem, { signal: ctx.signal });
  const variables = [...problem.dataset.columns];
  const rules = buildConstraints(variables.length, problem.knowledge);
  const result = runChain(problem.reward, rules, params.chain, {
    signal: ctx.signal,
    log: ctx.log,
    progress: (p) => ctx.progress(progressView(p, params.chain.timeLimitSeconds)),
  });
  return { ...result, variables };
}

/** The chains of one run as the posterior the window shows. */
export function combineMcmcJobs(results: readonly McmcJobResult[]): PosteriorRunResult {
  const variables = results[0]!.variables;
  const d = variables.length;
  const combined = combineChains(results, variables);
  const count = combined.sampleCount;
  const adjacency = new Uint8Array(count * d * d);
  const logScores = new Float64Array(count);
  let k = 0;
  for (const s of combined.samples()) {
    for (const [i, j] of s.edges) adjacency[k * d * d + i * d + j] = 1;
    logScores[k++] = s.logScore;
  }
  const diag = combined.diagnostics;
  const iterations = results.reduce((s, r) => s + r.iterationsRun, 0);
  const facts: PosteriorRunResult['facts'] = [
    { label: 'chains', value: String(results.length) },
    { label: 'iterations per chain', value: results.map((r) => r.iterationsRun.toLocaleString('en')).join(', ') },
    { label: 'burn-in / thinning', value: `${results[0]!.burnInIterations.toLocaleString('en')} iterations / every ${results[0]!.thin}` },
    { label: 'iterations per second (all chains)', value: (iterations / Math.max(1e-9, combined.seconds)).toFixed(0) },
    { label: 'acceptance rate', value: diag.acceptanceRate.toFixed(3) },
    ...Object.entries(diag.acceptanceByMove).map(([move, a]) => ({ label: `acceptance: ${move}`, value: a.rate.toFixed(3) })),
    { label: 'R-hat (max)', value: diag.rhatMax === null ? '–' : diag.rhatMax.toFixed(3) },
    { label: 'largest edge difference between chains', value: diag.chainEdgeMarginalMaxDiff.toFixed(3) },
  ];
  if (results[0]!.tableMaxParents !== undefined)
    facts.push({
      label: 'parent sets scored (max parents)',
      value: `${results[0]!.tableEntries?.toLocaleString('en')} (${results[0]!.tableMaxParents})`,
    });
  const space = results[0]!.candidateSpace;
  if (space) facts.push({ label: 'search space', value: describeChainSpace(summarizeChainSpace(space, variables)) });
  return {
    variables,
    edgeMarginals: combined.edgeMarginals,
    samples: { adjacency, logScores, count },
    diagnostics: {
      chainEdgeMarginalMaxDiff: diag.chainEdgeMarginalMaxDiff,
      ...(diag.chainEdgeMarginalWorst
        ? {
            chainWorstEdge: {
              from: diag.chainEdgeMarginalWorst.from,
              to: diag.chainEdgeMarginalWorst.to,
              a: diag.chainEdgeMarginalWorst.a,
              b: diag.chainEdgeMarginalWorst.b,
            },
          }
        : {}),
      rhatMax: diag.rhatMax ?? undefined,
      acceptanceRate: diag.acceptanceRate,
      warning: diag.warning ?? undefined,
      note: 'R-hat (split, on the log score and every edge indicator) near 1 and small differences between chains mean the chains agree; see docs/mcmc.md.',
    },
    traces: results.map((r) => ({ name: `chain ${r.chain + 1}: log score`, values: Array.from(r.trace.logScore) })),
    facts,
  };
}
