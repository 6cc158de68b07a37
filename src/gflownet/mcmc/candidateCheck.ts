/**
 * Checking a candidate-parent space (candidateParents.ts) against the data: structure MCMC
 * (MC3) on the whole space the knowledge allows, started from a good DAG inside the candidate
 * space, is free to add any edge. If the posterior has mass outside the space, the chain finds
 * it there; the share of its visits with an edge outside, and the most visited such edge, say
 * whether the space cut something that matters ("widen it") or not.
 *
 * It is a check, not a proof: a short chain can miss a distant mode outside the space just as
 * it can miss one inside. It costs a small share of a run's time.
 */
import { Rng } from '../core/rng.ts';
import { summarizeChainSpace, type CandidateSpace, type ChainSpaceSummary } from './candidateParents.ts';
import { StructureMcmc } from './mc3.ts';
import { parentMasks, type EdgeRules } from './rules.ts';
import type { FamilyScorer } from './types.ts';

export interface CandidateCheck {
  /** Wall time of the check. */
  readonly seconds: number;
  /** DAGs the chain visited (one per d moves, after the first tenth). */
  readonly visits: number;
  /** Share of the visited DAGs with at least one edge outside the space. */
  readonly massOutside: number;
  /** Edges outside the space per visited DAG, on average (the expected number under the chain). */
  readonly meanEdgesOutside: number;
  /** The edge outside the space the chain visited most, and in what share of its visits. */
  readonly worstOutside: { readonly from: number; readonly to: number; readonly share: number } | null;
}

export interface CandidateCheckOptions {
  seconds: number;
  seed: number;
  /** A DAG inside the space to start from (the best the sampler drew). */
  start: Uint8Array;
}

export function checkCandidateSpace(
  scorer: FamilyScorer,
  rules: EdgeRules,
  space: CandidateSpace,
  options: CandidateCheckOptions,
): CandidateCheck {
  const { d } = rules;
  const started = performance.now();
  const chain = new StructureMcmc(scorer, parentMasks(rules), { start: options.start });
  const rng = new Rng(options.seed);
  const outsideVisits = new Float64Array(d * d);
  let visits = 0;
  let withOutside = 0;
  const end = started + options.seconds * 1000;
  // The first tenth of the time leaves the start; then one DAG per d moves.
  const burnInEnd = started + 0.1 * options.seconds * 1000;
  while (performance.now() < end || visits === 0) {
    for (let s = 0; s < d; s++) chain.step(rng);
    const now = performance.now();
    if (now < burnInEnd && now < end) continue;
    const A = chain.state.adjacency;
    visits++;
    let outside = false;
    for (let a = 0; a < d * d; a++)
      if (A[a] && !space.rules.allowed[a]) {
        outsideVisits[a]!++;
        outside = true;
      }
    if (outside) withOutside++;
  }
  let worst = -1;
  let edgesOutside = 0;
  for (let a = 0; a < d * d; a++) {
    edgesOutside += outsideVisits[a]!;
    if (outsideVisits[a]! > 0 && (worst < 0 || outsideVisits[a]! > outsideVisits[worst]!)) worst = a;
  }
  return {
    seconds: (performance.now() - started) / 1000,
    visits,
    massOutside: withOutside / visits,
    meanEdgesOutside: edgesOutside / visits,
    worstOutside: worst < 0 ? null : { from: Math.floor(worst / d), to: worst % d, share: outsideVisits[worst]! / visits },
  };
}

/** A run's candidate-parent space as reported with its results: how it was chosen, its size, and the check. */
export interface CandidateSpaceReport extends Pick<CandidateSpace, 'size' | 'parents' | 'outsideCount'> {
  readonly check: CandidateCheck;
}

/** Share of a run's time limit the check may take, and its bounds in seconds. */
export const CHECK_SHARE = 0.05;
export const CHECK_MIN_SECONDS = 1;
export const CHECK_MAX_SECONDS = 30;

/** The check's time for a run with this time limit (0: no limit). */
export function checkSecondsFor(timeLimitSeconds: number): number {
  if (timeLimitSeconds <= 0) return 5;
  return Math.min(CHECK_MAX_SECONDS, Math.max(CHECK_MIN_SECONDS, CHECK_SHARE * timeLimitSeconds));
}

/** The report as run summaries store it: column names instead of node numbers. */
export interface CandidateSpaceSummary extends ChainSpaceSummary {
  readonly check: {
    readonly seconds: number;
    readonly visits: number;
    readonly massOutside: number;
    readonly meanEdgesOutside: number;
    readonly worstOutside: { readonly from: string; readonly to: string; readonly share: number } | null;
  };
}

export function summarizeCandidateSpace(report: CandidateSpaceReport, columns: readonly string[]): CandidateSpaceSummary {
  const { check } = report;
  return {
    ...summarizeChainSpace(report, columns),
    check: {
      seconds: check.seconds,
      visits: check.visits,
      massOutside: check.massOutside,
      meanEdgesOutside: check.meanEdgesOutside,
      worstOutside: check.worstOutside
        ? { from: columns[check.worstOutside.from]!, to: columns[check.worstOutside.to]!, share: check.worstOutside.share }
        : null,
    },
  };
}

/** One sentence on the space and its check, for run facts and command-line output. */
export function describeCandidateSpace(s: CandidateSpaceSummary): string {
  const pct = (x: number): string => `${(100 * x).toFixed(x < 0.01 ? 1 : 0)} %`;
  const space = `${s.size} candidate parents per variable (forward selection on the score, made symmetric); ${s.outsideEdges} edges lie outside`;
  const check =
    s.check.massOutside === 0
      ? `a ${s.check.seconds.toFixed(0)} s structure-MCMC check free to leave the space never did in ${s.check.visits} visits`
      : `a ${s.check.seconds.toFixed(0)} s structure-MCMC check free to leave the space had an edge outside it in ${pct(s.check.massOutside)} of ${s.check.visits} visits, ${s.check.meanEdgesOutside.toFixed(2)} on average` +
        (s.check.worstOutside
          ? ` (most often ${s.check.worstOutside.from} → ${s.check.worstOutside.to}, ${pct(s.check.worstOutside.share)})`
          : '');
  return `${space}; ${check}`;
}
