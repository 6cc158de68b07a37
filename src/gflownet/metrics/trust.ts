/**
 * How far to trust a posterior, in numbers and in words: the verdict every run screen and export
 * shows. The evidence is whatever exists for the run — its distance to the exact posterior
 * (the best), the agreement of its MCMC chains (R̂, between-chain spread), the effective sample
 * size of importance-weighted draws, its agreement with another sampler's short check — and
 * each piece gives a level; the run gets the worst of them. Thresholds and wording live here
 * and only here, so the window, the report and the tests say the same thing.
 *
 * Agreement between chains or samplers is necessary, not sufficient: chains that agree may all
 * miss the same mode. Only the distance to the exact posterior can say "reliable" outright; the
 * other evidence says at best "no sign of trouble".
 */

export type TrustLevel = 'exact' | 'reliable' | 'no-warning' | 'caution' | 'unreliable' | 'unknown' | 'pending';

/** An edge and the two probabilities that disagree about it. */
export interface EdgeGap {
  from: number;
  to: number;
  /** The run's estimate. */
  run: number;
  /** The reference's value (exact posterior, another chain, the check run). */
  other: number;
}

export interface TrustEvidence {
  method: 'exact' | 'gflownet' | 'mc3' | 'order' | 'partition';
  variables: readonly string[];
  /** Samples the marginals come from (effective size for weighted draws); sets the Monte Carlo noise. */
  effectiveSamples?: number;
  /** Distance to the exact posterior of the same problem. */
  vsExact?: { rmse: number; worst: EdgeGap; jsd?: number | null };
  /** MCMC chains of this run. */
  chains?: { count: number; rhatMax: number | null; maxDiff: number; worst?: EdgeGap };
  /** Importance-weighted draws (the layered GFlowNet): Kish's effective sample size of n draws. */
  importance?: { ess: number; draws: number };
  /** Another sampler's short run on the same problem. */
  check?: { label: string; rmse: number; worst: EdgeGap };
  /** The exact answer or a check is being computed: the verdict will be revised. */
  pending?: string;
  /** Why no exact reference is computed (too many variables, too costly). */
  noExactReason?: string;
}

export interface TrustFigure {
  label: string;
  value: string;
}

export interface TrustVerdict {
  level: TrustLevel;
  /** One line: the level in words and the single most important number. */
  headline: string;
  /** What the evidence is, one sentence each. */
  details: string[];
  /** What to do, when something should be done. */
  advice?: string;
  figures: TrustFigure[];
}

/** Distance to the exact posterior: below both, the run is reliable. */
export const EXACT_RMSE_OK = 0.02;
export const EXACT_WORST_OK = 0.05;
/** A worst edge off by more than this is not usable. */
export const EXACT_WORST_BAD = 0.15;
/** Chains: the usual R̂ rule and the between-chain spread the MCMC diagnostics flag (mcmc/diagnostics.ts). */
export const RHAT_OK = 1.1;
export const CHAIN_DIFF_OK = 0.1;
export const CHAIN_DIFF_BAD = 0.25;
/** Importance sampling: fewer effective draws than this share (or count) of the draws is a warning … */
export const ESS_SHARE_CAUTION = 0.1;
export const ESS_MIN_CAUTION = 100;
/** … and fewer than this is not reliable: a handful of draws carry all the weight. */
export const ESS_SHARE_BAD = 0.01;
export const ESS_MIN_BAD = 30;
/** A short check run agreeing within this on every edge is no sign of trouble. */
export const CHECK_DIFF_OK = 0.15;
export const CHECK_DIFF_BAD = 0.3;

const ORDER: TrustLevel[] = ['exact', 'reliable', 'no-warning', 'pending', 'unknown', 'caution', 'unreliable'];

const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);

/**
 * The Monte Carlo standard error of an edge probability p estimated from n independent draws.
 * A sampler that is exactly right still differs from the exact answer by about this much.
 */
export function samplingError(p: number, n: number): number {
  return n > 0 ? Math.sqrt(Math.max(p * (1 - p), 0) / n) : Infinity;
}

function edgeName(e: EdgeGap, names: readonly string[]): string {
  return `${names[e.from] ?? `X${e.from + 1}`}→${names[e.to] ?? `X${e.to + 1}`}`;
}

/** What to do about an untrustworthy run of this method. */
export function adviceFor(method: TrustEvidence['method']): string {
  switch (method) {
    case 'gflownet':
      return 'train longer or use partition MCMC';
    case 'mc3':
      return 'run longer, with more chains, or use partition MCMC';
    case 'order':
    case 'partition':
      return 'run longer or with more chains';
    case 'exact':
      return '';
  }
}

interface Part {
  level: TrustLevel;
  /** The headline this part would give, when it is the worst. */
  headline: string;
  detail: string;
}

function fromExact(e: TrustEvidence, vs: NonNullable<TrustEvidence['vsExact']>): Part {
  const name = edgeName(vs.worst, e.variables);
  const gap = Math.abs(vs.worst.run - vs.worst.other);
  // A sampler that is exactly right still misses by its Monte Carlo noise; a miss within it says
  // "draw more", not "the sampler is wrong" — but too few effective draws are never "reliable".
  const noise = e.effectiveSamples !== undefined ? 3 * samplingError(vs.worst.other, e.effectiveSamples) : 0;
  const jsd = vs.jsd !== undefined && vs.jsd !== null ? `, Jensen–Shannon divergence ${vs.jsd.toExponential(1)}` : '';
  const detail = `Against the exact posterior: edge-marginal RMSE ${f3(vs.rmse)}, worst edge ${name} ${f2(vs.worst.run)} (exact ${f2(vs.worst.other)})${jsd}.`;
  if (gap > EXACT_WORST_BAD) return { level: 'unreliable', headline: `not reliable: the worst edge ${name} is off by ${f2(gap)}`, detail };
  if (gap <= EXACT_WORST_OK && vs.rmse <= EXACT_RMSE_OK)
    return { level: 'reliable', headline: `reliable: within ${f2(Math.max(gap, 0.005))} of the exact posterior on every edge`, detail };
  const withinNoise = gap <= noise ? `, within the sampling noise of ${Math.round(e.effectiveSamples!)} effective draws` : '';
  return { level: 'caution', headline: `use with care: the worst edge ${name} is off by ${f2(gap)}${withinNoise}`, detail };
}

function fromChains(e: TrustEvidence, c: NonNullable<TrustEvidence['chains']>): Part {
  if (c.count < 2 || c.rhatMax === null) {
    return {
      level: 'unknown',
      headline: 'unchecked: one chain cannot be checked against another',
      detail:
        c.count < 2 ? 'Only one chain ran, so no between-chain check was possible.' : 'Too few DAGs were kept per chain to compute R̂.',
    };
  }
  const rhat = c.rhatMax >= 1e6 ? '∞' : c.rhatMax >= 100 ? c.rhatMax.toFixed(0) : f2(c.rhatMax);
  const where = c.worst ? ` (largest on ${edgeName(c.worst, e.variables)}: ${f2(c.worst.run)} vs ${f2(c.worst.other)})` : '';
  const detail = `${c.count} chains: R̂ ${rhat}, largest between-chain difference of an edge probability ${f2(c.maxDiff)}${where}.`;
  if (c.rhatMax > RHAT_OK || c.maxDiff > CHAIN_DIFF_BAD) {
    const what =
      c.worst && c.maxDiff > CHAIN_DIFF_OK
        ? `the chains disagree on ${edgeName(c.worst, e.variables)} by ${f2(c.maxDiff)}`
        : `R̂ is ${rhat}`;
    return { level: 'unreliable', headline: `not reliable: ${what}`, detail };
  }
  if (c.maxDiff > CHAIN_DIFF_OK)
    return { level: 'caution', headline: `use with care: the chains differ by ${f2(c.maxDiff)} on one edge`, detail };
  return { level: 'no-warning', headline: 'no sign of trouble: the chains agree', detail };
}

function fromImportance(imp: NonNullable<TrustEvidence['importance']>): Part {
  const share = imp.draws > 0 ? imp.ess / imp.draws : 0;
  const detail = `Importance weights: effective sample size ${imp.ess.toFixed(0)} of ${imp.draws} draws (${(100 * share).toFixed(1)} %).`;
  if (share < ESS_SHARE_BAD || imp.ess < ESS_MIN_BAD)
    return { level: 'unreliable', headline: `not reliable: only ${imp.ess.toFixed(0)} effective draws of ${imp.draws}`, detail };
  if (share < ESS_SHARE_CAUTION || imp.ess < ESS_MIN_CAUTION)
    return { level: 'caution', headline: `use with care: ${imp.ess.toFixed(0)} effective draws of ${imp.draws}`, detail };
  return { level: 'no-warning', headline: `no sign of trouble: ${imp.ess.toFixed(0)} effective draws of ${imp.draws}`, detail };
}

function fromCheck(e: TrustEvidence, c: NonNullable<TrustEvidence['check']>): Part {
  const name = edgeName(c.worst, e.variables);
  const gap = Math.abs(c.worst.run - c.worst.other);
  const detail = `Against ${c.label}: edge-marginal RMSE ${f3(c.rmse)}, largest difference ${name} ${f2(c.worst.run)} vs ${f2(c.worst.other)}.`;
  if (gap > CHECK_DIFF_BAD) return { level: 'unreliable', headline: `not reliable: ${c.label} disagrees on ${name} by ${f2(gap)}`, detail };
  if (gap > CHECK_DIFF_OK) return { level: 'caution', headline: `use with care: ${c.label} differs on ${name} by ${f2(gap)}`, detail };
  return { level: 'no-warning', headline: `no sign of trouble: ${c.label} agrees within ${f2(gap)}`, detail };
}

/** The verdict for a run from its evidence. */
export function trustVerdict(e: TrustEvidence): TrustVerdict {
  if (e.method === 'exact') {
    return {
      level: 'exact',
      headline: 'exact: no sampling error',
      details: ['The exact posterior of the model and prior: nothing to converge, no Monte Carlo noise.'],
      figures: [],
    };
  }
  const parts: Part[] = [];
  const figures: TrustFigure[] = [];
  if (e.vsExact) {
    parts.push(fromExact(e, e.vsExact));
    figures.push({ label: 'RMSE vs exact', value: f3(e.vsExact.rmse) });
    figures.push({
      label: 'worst edge vs exact',
      value: `${edgeName(e.vsExact.worst, e.variables)} ${f2(e.vsExact.worst.run)} (exact ${f2(e.vsExact.worst.other)})`,
    });
    if (e.vsExact.jsd !== undefined && e.vsExact.jsd !== null)
      figures.push({ label: 'JSD vs exact', value: e.vsExact.jsd.toExponential(2) });
  }
  if (e.chains) {
    parts.push(fromChains(e, e.chains));
    if (e.chains.rhatMax !== null) figures.push({ label: 'R̂ (max)', value: e.chains.rhatMax >= 1e6 ? '∞' : f2(e.chains.rhatMax) });
    figures.push({ label: 'between-chain difference', value: f2(e.chains.maxDiff) });
  }
  // A check measures the marginals themselves: at equal levels it, not the weights, names the trouble.
  if (e.check) {
    parts.push(fromCheck(e, e.check));
    figures.push({ label: `RMSE vs ${e.check.label}`, value: f3(e.check.rmse) });
  }
  if (e.importance) {
    parts.push(fromImportance(e.importance));
    figures.push({ label: 'effective sample size', value: `${e.importance.ess.toFixed(0)} of ${e.importance.draws}` });
  }
  if (e.effectiveSamples !== undefined && e.effectiveSamples > 0)
    figures.push({ label: 'sampling error of a 0.5 edge', value: `± ${f3(samplingError(0.5, e.effectiveSamples))}` });

  const details = parts.map((p) => p.detail);
  if (e.noExactReason) details.push(e.noExactReason);
  if (e.pending) details.push(e.pending);

  // The exact comparison settles it: agreement of chains cannot overrule a measured error.
  const decisive = e.vsExact ? [parts[0]!] : parts;
  let worst: Part | undefined;
  for (const p of decisive) if (!worst || ORDER.indexOf(p.level) > ORDER.indexOf(worst.level)) worst = p;
  let level: TrustLevel = worst ? worst.level : e.pending ? 'pending' : 'unknown';
  // Agreement is not proof: while the exact answer is on its way, say so rather than "no warning".
  if (!e.vsExact && e.pending && level === 'no-warning') level = 'pending';

  let headline: string;
  if (worst) headline = worst.headline;
  else if (e.pending) headline = 'being checked: the exact posterior is being computed';
  else headline = 'unchecked: no exact answer and no second opinion for this run';
  if (level === 'pending' && worst) headline = `${worst.headline} (the exact check is still running)`;

  const needsAdvice = level === 'unreliable' || level === 'caution' || level === 'unknown';
  const advice = needsAdvice ? adviceFor(e.method) : undefined;
  if (advice && (level === 'unreliable' || level === 'caution')) headline = `${headline} — ${advice}`;
  return { level, headline, details, ...(advice ? { advice } : {}), figures };
}

/** Kish's effective sample size of importance weights given as logarithms: (Σw)² / Σw². */
export function kishEffectiveSampleSize(logWeights: ArrayLike<number>): number {
  let max = -Infinity;
  for (let k = 0; k < logWeights.length; k++) if (logWeights[k]! > max) max = logWeights[k]!;
  if (!Number.isFinite(max)) return 0;
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < logWeights.length; k++) {
    const w = Math.exp(logWeights[k]! - max);
    sum += w;
    squares += w * w;
  }
  return squares > 0 ? (sum * sum) / squares : 0;
}
