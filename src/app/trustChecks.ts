/**
 * The evidence behind every run's trust badge, gathered on the Node side: the exact posterior of
 * the same problem (a finished exact run of the session, or one started here on its own when its
 * estimated cost is small — never blocking anything: it is a job like any other), the run's own
 * chain diagnostics and importance weights, and for a GFlowNet run that has no exact reference,
 * a short partition-MCMC check. The verdict itself (levels, thresholds, words) is the engine's
 * (gflownet/metrics/trust.ts).
 */
import { exactMetrics, type ComparableRun } from '../gflownet/compare/compareRuns.ts';
import { exactCost } from '../gflownet/exact/cost.ts';
import { kishEffectiveSampleSize, trustVerdict, type EdgeGap, type TrustEvidence } from '../gflownet/metrics/trust.ts';
import { rmse } from '../gflownet/metrics/marginals.ts';
import type { ProblemSpec } from '../gflownet/problem/spec.ts';
import type { JobHost } from '../jobs/host.ts';
import type { ExactJobResult } from '../jobs/kinds/exact.ts';
import { combineMcmcJobs, type McmcJobResult } from '../jobs/kinds/mcmc.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { TrustRequest, TrustView } from '../shared/trust.ts';
import type { RunSummaryView } from '../shared/workflow.ts';
import type { RunStore } from './runStore.ts';

/** The exact posterior is started on its own when it is estimated to take at most this many CPU seconds. */
export const AUTO_EXACT_SECONDS = 8;
/** The GFlowNet's second opinion: two partition-MCMC chains for this long. */
export const CHECK_SECONDS = 20;
const CHECK_CHAINS = 2;

interface Pending {
  jobIds: string[];
  result?: PosteriorRunResult;
  error?: string;
}

export interface TrustDeps {
  host: JobHost;
  runs: RunStore;
}

function comparable(label: string, r: PosteriorRunResult): ComparableRun {
  const dd = r.variables.length ** 2;
  const samples = r.samples
    ? Array.from({ length: r.samples.count }, (_, s) => r.samples!.adjacency.subarray(s * dd, (s + 1) * dd))
    : undefined;
  return { label, variables: r.variables, edgeMarginals: r.edgeMarginals, samples };
}

/** The edge where two marginal matrices over the same variables differ most. */
export function worstEdge(run: ArrayLike<number>, other: ArrayLike<number>, d: number): EdgeGap {
  let best: EdgeGap = { from: 0, to: Math.min(1, d - 1), run: run[Math.min(1, d - 1)] ?? 0, other: other[Math.min(1, d - 1)] ?? 0 };
  let gap = -1;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const g = Math.abs(run[i * d + j]! - other[i * d + j]!);
      if (g > gap) {
        gap = g;
        best = { from: i, to: j, run: run[i * d + j]!, other: other[i * d + j]! };
      }
    }
  return best;
}

const sameVariables = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

export class TrustChecks {
  /** The problem each run of this session was started with, as a key (same key, same posterior). */
  private readonly problems = new Map<string, { key: string; problem: ProblemSpec }>();
  private readonly exactByKey = new Map<string, Pending>();
  private readonly checkByRun = new Map<string, Pending>();

  constructor(private readonly deps: TrustDeps) {}

  recordRun(runId: string, problem: ProblemSpec): void {
    this.problems.set(runId, { key: JSON.stringify(problem), problem });
  }

  trustOf(request: TrustRequest): TrustView {
    const record = this.deps.runs.get(request.runId);
    if (!record) throw new Error(`there is no run ${request.runId}`);
    const summary = record.summary;
    const result = record.result;
    const problem = this.problems.get(request.runId);
    const d = result?.variables.length ?? this.knownWidth(problem?.key) ?? request.variables;

    // The exact answer of the same problem: a finished exact run, or one computed here.
    const exact = problem && summary.method !== 'exact' ? this.exactFor(problem, d, request.computeExact === true) : undefined;
    const reference = this.referenceFor(request.runId, problem?.key, exact?.result);

    if (summary.status !== 'done' || !result) {
      const words =
        summary.status === 'running' || summary.status === 'queued'
          ? 'running: judged when it finishes'
          : `no verdict: the run ${summary.status === 'cancelled' ? 'was cancelled' : 'did not finish'}`;
      return {
        runId: request.runId,
        level: summary.status === 'running' || summary.status === 'queued' ? 'pending' : 'unknown',
        headline: words,
        details: exact?.pendingWords ? [exact.pendingWords] : [],
        figures: [],
        revising: summary.status === 'running' || summary.status === 'queued' || exact?.pendingWords !== undefined,
        ...(reference ? { reference } : {}),
      };
    }

    const evidence = this.evidence(summary, result, exact, problem);
    const verdict = trustVerdict(evidence);
    return {
      runId: request.runId,
      ...verdict,
      ...(evidence.pending ? { revising: true } : {}),
      ...(reference ? { reference } : {}),
      ...(exact?.offerSeconds !== undefined ? { exactOffer: { seconds: exact.offerSeconds } } : {}),
    };
  }

  private evidence(
    summary: RunSummaryView,
    result: PosteriorRunResult,
    exact: ReturnType<TrustChecks['exactFor']>,
    problem: { key: string; problem: ProblemSpec } | undefined,
  ): TrustEvidence {
    const d = result.variables.length;
    const e: TrustEvidence = { method: summary.method, variables: result.variables };
    const weights = result.samples?.logWeights;
    const ess = weights ? kishEffectiveSampleSize(weights) : undefined;
    if (result.samples) e.effectiveSamples = ess ?? result.samples.count;
    if (weights && ess !== undefined) e.importance = { ess, draws: weights.length };
    if (result.diagnostics && result.diagnostics.chainEdgeMarginalMaxDiff !== undefined) {
      const w = result.diagnostics.chainWorstEdge;
      e.chains = {
        count: summary.jobIds.length > 0 ? summary.jobIds.length : Number(summary.facts.find((f) => f.label === 'chains')?.value ?? 2),
        rhatMax: result.diagnostics.rhatMax ?? null,
        maxDiff: result.diagnostics.chainEdgeMarginalMaxDiff,
        ...(w ? { worst: { from: w.from, to: w.to, run: w.a, other: w.b } } : {}),
      };
    }
    if (exact?.result && sameVariables(exact.result.variables, result.variables)) {
      const m = exactMetrics(comparable(summary.label, result), {
        edgeMarginals: exact.result.edgeMarginals,
        ...(exact.result.distribution ? { posterior: exact.result.distribution } : {}),
      });
      e.vsExact = { rmse: m.edgeMarginalRmse, worst: worstEdge(result.edgeMarginals, exact.result.edgeMarginals, d), jsd: m.jsd };
    } else if (exact?.pendingWords) e.pending = exact.pendingWords;
    else if (exact?.reason) e.noExactReason = exact.reason;
    else if (!problem) e.noExactReason = 'This run was reopened from a session file: its exact comparison is not recomputed.';

    // A GFlowNet without an exact answer gets a second opinion from a short partition-MCMC run.
    if (summary.method === 'gflownet' && !e.vsExact && !exact?.pendingWords && problem) {
      const check = this.checkFor(summary.runId, problem.problem);
      if (check.result && sameVariables(check.result.variables, result.variables)) {
        e.check = {
          label: `a ${CHECK_SECONDS} s partition-MCMC check`,
          rmse: rmse(result.edgeMarginals, check.result.edgeMarginals, d),
          worst: worstEdge(result.edgeMarginals, check.result.edgeMarginals, d),
        };
      } else if (!check.error) e.pending = `A ${CHECK_SECONDS} s partition-MCMC check is running for a second opinion.`;
      else e.noExactReason = `${e.noExactReason ?? ''} The partition-MCMC check failed: ${check.error}`.trim();
    }
    return e;
  }

  /** The number of variables of a problem, from any finished run of it. */
  private knownWidth(key: string | undefined): number | undefined {
    if (!key) return undefined;
    for (const [runId, p] of this.problems) {
      if (p.key !== key) continue;
      const r = this.deps.runs.get(runId)?.result;
      if (r) return r.variables.length;
    }
    return undefined;
  }

  private exactFor(
    problem: { key: string; problem: ProblemSpec },
    d: number | undefined,
    force: boolean,
  ): { result?: PosteriorRunResult; pendingWords?: string; reason?: string; offerSeconds?: number } | undefined {
    for (const [runId, p] of this.problems) {
      if (p.key !== problem.key) continue;
      const run = this.deps.runs.get(runId);
      if (run?.summary.method === 'exact' && run.summary.status === 'done' && run.result) return { result: run.result };
    }
    const started = this.exactByKey.get(problem.key);
    if (started?.result) return { result: started.result };
    if (started && !started.error) return { pendingWords: 'The exact posterior is being computed to check this run.' };
    if (started?.error) return { reason: `The exact posterior could not be computed: ${started.error}` };
    if (d === undefined) return undefined;
    const cost = exactCost(d, { maxParents: problem.problem.knowledge.maxParents, score: scoreOf(problem.problem) });
    if (!cost.feasible) return { reason: `No exact check: the exact posterior is limited to 20 variables (this run has ${d}).` };
    if (cost.seconds > AUTO_EXACT_SECONDS && !force)
      return {
        reason: `The exact posterior would take about ${Math.ceil(cost.seconds)} s of CPU, so it was not started on its own.`,
        offerSeconds: cost.seconds,
      };
    const jobId = this.deps.host.submit('exact', { problem: problem.problem }, 'trust check: exact posterior');
    const pending: Pending = { jobIds: [jobId] };
    this.exactByKey.set(problem.key, pending);
    this.deps.host
      .wait<'exact'>(jobId)
      .then((r) => (pending.result = (r as ExactJobResult).posterior))
      .catch((failure: { info?: { message?: string } }) => (pending.error = failure.info?.message ?? 'the job failed'));
    return { pendingWords: 'The exact posterior is being computed to check this run.' };
  }

  private checkFor(runId: string, problem: ProblemSpec): Pending {
    let check = this.checkByRun.get(runId);
    if (check) return check;
    const jobIds = Array.from({ length: CHECK_CHAINS }, (_, c) =>
      this.deps.host.submit(
        'mcmc',
        {
          problem,
          chain: { method: 'partition', iterations: Number.MAX_SAFE_INTEGER, timeLimitSeconds: CHECK_SECONDS, seed: 1000 + c, chain: c },
        },
        `trust check: partition MCMC chain ${c + 1}`,
      ),
    );
    check = { jobIds };
    this.checkByRun.set(runId, check);
    const done = check;
    Promise.all(jobIds.map((id) => this.deps.host.wait<'mcmc'>(id)))
      .then((results) => (done.result = combineMcmcJobs(results as McmcJobResult[])))
      .catch((failure: { info?: { message?: string } }) => (done.error = failure.info?.message ?? 'the job failed'));
    return check;
  }

  /** What the live figure measures against: the exact posterior, else the newest other finished run of the same problem. */
  private referenceFor(runId: string, key: string | undefined, exact: PosteriorRunResult | undefined): TrustView['reference'] {
    if (!key) return undefined;
    let exactRun: { label: string; result: PosteriorRunResult } | undefined;
    let other: { label: string; result: PosteriorRunResult } | undefined;
    for (const [id, p] of this.problems) {
      if (id === runId || p.key !== key) continue;
      const run = this.deps.runs.get(id);
      if (run?.summary.status !== 'done' || !run.result) continue;
      if (run.summary.method === 'exact') exactRun = { label: run.summary.label, result: run.result };
      else other = { label: run.summary.label, result: run.result };
    }
    const chosen = exactRun
      ? { ...exactRun, kind: 'exact' as const }
      : exact
        ? { label: 'the exact posterior', result: exact, kind: 'exact' as const }
        : other
          ? { ...other, kind: 'run' as const }
          : undefined;
    if (!chosen) return undefined;
    return {
      label: chosen.label,
      kind: chosen.kind,
      variables: [...chosen.result.variables],
      marginals: Array.from(chosen.result.edgeMarginals),
    };
  }
}

function scoreOf(problem: ProblemSpec): 'bge' | 'bdeu' | undefined {
  return problem.score.score === 'auto' ? undefined : problem.score.score;
}
