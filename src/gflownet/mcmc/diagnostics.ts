/**
 * Convergence diagnostics an analyst can read: acceptance rate per move kind, split-R̂
 * (Gelman et al., BDA3 §11.4) on the log score and on every edge indicator, the largest
 * difference of an edge marginal between two chains, and a plain-language warning when the
 * chains disagree. See docs/mcmc.md for how to read them.
 */
import type { ChainResult } from './chains.ts';

/** R̂ above this means the chains have not mixed (the usual rule of thumb is 1.1; 1.01 is strict). */
export const RHAT_WARNING = 1.1;
/** An edge whose probability differs by more than this between two chains is flagged. */
export const MARGINAL_DIFF_WARNING = 0.1;
/** R̂ is reported at most this large: chains that never move while disagreeing give R̂ = ∞. */
export const RHAT_CAP = 1e6;
/** Edge R̂ is computed only for edges whose pooled frequency lies in [ε, 1 − ε]: rarer ones are resolved. */
const RARE_EDGE = 0.01;

export interface SeriesMoments {
  n: number;
  mean: number;
  /** Sample variance (divisor n − 1). */
  variance: number;
}

export function momentsOf(values: ArrayLike<number>, from = 0, to = values.length): SeriesMoments {
  const n = to - from;
  let mean = 0;
  for (let k = from; k < to; k++) mean += values[k]!;
  mean /= Math.max(1, n);
  let ss = 0;
  for (let k = from; k < to; k++) ss += (values[k]! - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : 0 };
}

/** R̂ from the moments of (split) chains; null when there is too little to say anything. */
export function rhatFromMoments(parts: readonly SeriesMoments[]): number | null {
  const usable = parts.filter((p) => p.n >= 2);
  if (usable.length < 2) return null;
  const m = usable.length;
  const n = usable.reduce((s, p) => s + p.n, 0) / m;
  const W = usable.reduce((s, p) => s + p.variance, 0) / m;
  const grand = usable.reduce((s, p) => s + p.mean, 0) / m;
  const B = (n / (m - 1)) * usable.reduce((s, p) => s + (p.mean - grand) ** 2, 0);
  if (W <= 0) return B <= 0 ? 1 : RHAT_CAP;
  const varPlus = ((n - 1) / n) * W + B / n;
  return Math.min(RHAT_CAP, Math.sqrt(varPlus / W));
}

/** Split-R̂ of several series (each chain cut into two halves). */
export function splitRhat(series: readonly ArrayLike<number>[]): number | null {
  const parts: SeriesMoments[] = [];
  for (const s of series) {
    const half = Math.floor(s.length / 2);
    parts.push(momentsOf(s, 0, half), momentsOf(s, s.length - half, s.length));
  }
  return rhatFromMoments(parts);
}

function binaryMoments(count: number, n: number): SeriesMoments {
  const mean = n > 0 ? count / n : 0;
  return { n, mean, variance: n > 1 ? (n / (n - 1)) * mean * (1 - mean) : 0 };
}

export interface MoveAcceptance {
  proposed: number;
  accepted: number;
  rate: number;
}

export interface EdgeRef {
  from: number;
  to: number;
}

export interface McmcDiagnostics {
  chains: number;
  /** Accepted / proposed over all moves and chains. */
  acceptanceRate: number;
  acceptanceByMove: Record<string, MoveAcceptance>;
  /** The largest of the R̂ below (null with fewer than 4 kept DAGs per chain). */
  rhatMax: number | null;
  rhatLogScore: number | null;
  rhatEdgeMax: number | null;
  rhatWorstEdge: EdgeRef | null;
  /** Largest |P_a(i → j) − P_b(i → j)| over edges and pairs of chains (0 with one chain). */
  chainEdgeMarginalMaxDiff: number;
  chainEdgeMarginalWorst: { from: number; to: number; chainA: number; chainB: number; a: number; b: number } | null;
  keptSamplesPerChain: number[];
  iterationsPerChain: number[];
  converged: boolean;
  /** Plain-language warning when the chains disagree or cannot be checked; null when all is well. */
  warning: string | null;
}

export function computeDiagnostics(results: readonly ChainResult[], columns?: readonly string[]): McmcDiagnostics {
  const d = results[0]?.d ?? 0;
  const name = (i: number): string => columns?.[i] ?? `X${i}`;
  const acceptanceByMove: Record<string, MoveAcceptance> = {};
  let proposed = 0;
  let accepted = 0;
  for (const r of results) {
    r.moveKinds.forEach((kind, k) => {
      const a = (acceptanceByMove[kind] ??= { proposed: 0, accepted: 0, rate: 0 });
      a.proposed += r.proposed[k]!;
      a.accepted += r.accepted[k]!;
      proposed += r.proposed[k]!;
      accepted += r.accepted[k]!;
    });
  }
  for (const a of Object.values(acceptanceByMove)) a.rate = a.proposed > 0 ? a.accepted / a.proposed : 0;

  const rhatLogScore = splitRhat(results.map((r) => r.samples.logScore));

  // Edge indicators: per half-chain counts are all a binary series' moments need.
  let rhatEdgeMax: number | null = null;
  let rhatWorstEdge: EdgeRef | null = null;
  const halves = results.flatMap((r) => {
    const n = r.samples.logScore.length;
    const half = Math.floor(n / 2);
    const ranges: Array<[number, number]> = [
      [0, half],
      [n - half, n],
    ];
    return ranges.map(([from, to]) => {
      const counts = new Float64Array(d * d);
      for (let s = from; s < to; s++)
        for (let k = r.samples.edgeOffsets[s]!; k < r.samples.edgeOffsets[s + 1]!; k++) counts[r.samples.edges[k]!]!++;
      return { counts, n: to - from };
    });
  });
  const totalN = halves.reduce((s, h) => s + h.n, 0);
  if (halves.filter((h) => h.n >= 2).length >= 2) {
    for (let e = 0; e < d * d; e++) {
      const pooled = halves.reduce((s, h) => s + h.counts[e]!, 0) / totalN;
      if (pooled < RARE_EDGE || pooled > 1 - RARE_EDGE) continue;
      const rhat = rhatFromMoments(halves.map((h) => binaryMoments(h.counts[e]!, h.n)));
      if (rhat !== null && (rhatEdgeMax === null || rhat > rhatEdgeMax)) {
        rhatEdgeMax = rhat;
        rhatWorstEdge = { from: Math.floor(e / d), to: e % d };
      }
    }
    rhatEdgeMax ??= 1;
  }
  const rhats = [rhatLogScore, rhatEdgeMax].filter((x): x is number => x !== null);
  const rhatMax = rhats.length > 0 ? Math.max(...rhats) : null;

  let chainEdgeMarginalMaxDiff = 0;
  let chainEdgeMarginalWorst: McmcDiagnostics['chainEdgeMarginalWorst'] = null;
  for (let a = 0; a < results.length; a++) {
    for (let b = a + 1; b < results.length; b++) {
      const ma = results[a]!.edgeMarginals;
      const mb = results[b]!.edgeMarginals;
      for (let e = 0; e < d * d; e++) {
        const diff = Math.abs(ma[e]! - mb[e]!);
        if (diff > chainEdgeMarginalMaxDiff) {
          chainEdgeMarginalMaxDiff = diff;
          chainEdgeMarginalWorst = {
            from: Math.floor(e / d),
            to: e % d,
            chainA: results[a]!.chain,
            chainB: results[b]!.chain,
            a: ma[e]!,
            b: mb[e]!,
          };
        }
      }
    }
  }

  const diagnostics: McmcDiagnostics = {
    chains: results.length,
    acceptanceRate: proposed > 0 ? accepted / proposed : 0,
    acceptanceByMove,
    rhatMax,
    rhatLogScore,
    rhatEdgeMax,
    rhatWorstEdge,
    chainEdgeMarginalMaxDiff,
    chainEdgeMarginalWorst,
    keptSamplesPerChain: results.map((r) => r.samples.logScore.length),
    iterationsPerChain: results.map((r) => r.iterationsRun),
    converged: false,
    warning: null,
  };
  diagnostics.warning = convergenceWarning(diagnostics, name, results[0]?.method);
  diagnostics.converged = diagnostics.warning === null;
  return diagnostics;
}

const fmt = (x: number): string => (x >= RHAT_CAP ? 'effectively infinite' : x >= 100 ? x.toFixed(0) : x.toFixed(2));

/** The warning text, or null when the chains agree and the checks could be made. */
export function convergenceWarning(diag: McmcDiagnostics, name: (i: number) => string, method?: string): string | null {
  const problems: string[] = [];
  const w = diag.chainEdgeMarginalWorst;
  if (w && diag.chainEdgeMarginalMaxDiff > MARGINAL_DIFF_WARNING) {
    problems.push(
      `the chains disagree about the edge ${name(w.from)} → ${name(w.to)}: its probability is ${w.a.toFixed(2)} in chain ${w.chainA + 1} but ${w.b.toFixed(2)} in chain ${w.chainB + 1}`,
    );
  }
  if (diag.rhatMax !== null && diag.rhatMax > RHAT_WARNING) {
    const where =
      diag.rhatEdgeMax !== null && diag.rhatWorstEdge && diag.rhatEdgeMax >= (diag.rhatLogScore ?? 0)
        ? `for the edge ${name(diag.rhatWorstEdge.from)} → ${name(diag.rhatWorstEdge.to)}`
        : 'for the log score';
    problems.push(`R-hat is ${fmt(diag.rhatMax)} ${where} (values above ${RHAT_WARNING} mean the chains have not mixed)`);
  }
  if (problems.length > 0) {
    const alternative =
      method === 'partition'
        ? 'or try --method mc3 with --new-edge-reversal'
        : method === 'mc3'
          ? 'or try --method partition, which moves between orders of the nodes'
          : 'or try --method partition';
    return `Not converged: ${problems.join('; ')}. The chains are exploring different graphs, so the edge probabilities are not reliable yet. Run more iterations (or a longer --time-limit), use more chains, ${alternative}.`;
  }
  if (diag.rhatMax === null) {
    return 'Convergence could not be checked: too few DAGs were kept per chain (at least 4 are needed). Run more iterations or lower --thin.';
  }
  if (diag.chains < 2) {
    return 'Only one chain was run, so chains could not be compared (R-hat used the two halves of the chain). Run at least 2 chains (the default is 4) to check convergence.';
  }
  return null;
}
