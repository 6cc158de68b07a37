/**
 * The Answers view as the contract carries it: structural features with error bars, a causal
 * effect, a hypothesis's place, all from one finished run's posterior, optionally under a
 * what-if. Variables are indices into `variables`; matrices are flat d·d, row = from.
 * docs/answers.md explains every number.
 */

export interface AnswersRequest {
  runId: string;
  /** Cause and effect (variable indices); the effect is computed when both are given. */
  cause?: number;
  effect?: number;
  /** What-if: edges to rule out or to require, re-estimated from the existing posterior. */
  forbidden?: Array<[number, number]>;
  required?: Array<[number, number]>;
  /** What-if: a tier per variable (no edge from a later tier to an earlier one). */
  tiers?: number[];
  /** A hypothesised DAG to place in the posterior. */
  hypothesis?: Array<[number, number]>;
  /**
   * What-if on the prior: soft beliefs P(from → to) = probability; the posterior is re-weighted
   * exactly by the prior ratio (docs/answers.md §5), as if they had been part of the prior.
   */
  beliefs?: Array<{ from: number; to: number; probability: number }>;
  /** Seed of the effect draws (default 1). */
  seed?: number;
}

export interface HistogramView {
  binEdges: number[];
  probability: number[];
}

export interface ContinuousEffectView {
  kind: 'continuous';
  units: string;
  mean: number;
  interval: [number, number];
  structuralInterval: [number, number];
  probabilityNoPath: number;
  sd: number;
  structuralSd: number;
  parameterSd: number;
  /** Draws with a directed path; shares of all draws. */
  histogram: HistogramView;
  standardErrors?: { mean: number; probabilityNoPath: number };
}

export interface DiscreteEffectView {
  kind: 'discrete';
  units: string;
  causeLevels: string[];
  effectLevels: string[];
  probabilityNoPath: number;
  /** Cause-major: cells[x·r_Y + y] = P(Y = y | do(X = x)). */
  cells: Array<{ mean: number; interval: [number, number]; structuralSd: number; parameterSd: number; standardError?: number }>;
}

export interface HypothesisView {
  logPosterior: number | null;
  logZMethod: 'enumeration' | 'dp' | 'sample-estimate';
  rank: number;
  distinctDags: number;
  percentile: number;
  equivalenceClassProbability: number;
  edges: Array<{ from: number; to: number; probability: number }>;
  /** Most disagreeing pairs first. */
  disagreements: Array<{ from: number; to: number; hypothesis: 'edge' | 'no-edge'; probability: number }>;
}

export interface AnswersView {
  runId: string;
  variables: string[];
  /** How the posterior was obtained, which decides the error bars. */
  posterior: 'exact' | 'independent' | 'chains';
  dags: number;
  whatIf?: { keptMass: number; keptDags: number; effectiveSampleSize: number };
  /**
   * With beliefs: how much they weigh. `evidenceRatio` = Z'/Z (> 1: the data favour the beliefs
   * over neutral ones); `effectiveSampleSize` of the re-weighted posterior; and the answers
   * without the beliefs (same what-if), so the window can show which answers depend on them.
   */
  beliefs?: {
    evidenceRatio: number;
    effectiveSampleSize: number;
    without: { edge: number[]; path: number[]; effectMean?: number; probabilityNoPath?: number };
  };
  /** What the answers inherit from the run (a sampler whose importance weights are not available). */
  warning?: string;
  features: {
    edge: number[];
    path: number[];
    markovBlanket: number[];
    adjacent: number[];
    standardErrors?: { edge: number[]; path: number[]; markovBlanket: number[]; adjacent: number[] };
    vStructures: Array<{ parents: [number, number]; collider: number; probability: number; standardError?: number }>;
  };
  /** Present when a cause and an effect were asked for; `unavailable` says why there is none. */
  effect?: ContinuousEffectView | DiscreteEffectView | { kind: 'unavailable'; reason: string };
  hypothesis?: HypothesisView;
  /** Why a requested hypothesis was not placed (its log posterior is under the run's prior, not a belief what-if). */
  hypothesisUnavailable?: string;
}
