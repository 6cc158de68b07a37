/**
 * The shapes that cross module boundaries inside the engine. Conventions (docs/architecture.md §2):
 * d variables indexed 0..d-1 in column order; adjacency[i*d + j] = 1 means edge i → j
 * (row = parent); natural logarithms; float64 for every score and probability.
 */

export type VariableKind = 'continuous' | 'discrete';

/** A data set ready for scoring: every column already typed, cleaned and complete. */
export interface Dataset {
  /** Where it came from, for messages ("sachs.csv"). */
  readonly source: string;
  readonly columns: readonly string[];
  readonly rows: number;
  readonly kind: VariableKind;
  /** kind = continuous: one Float64Array of length `rows` per column (after any standardization). */
  readonly continuous?: readonly Float64Array[];
  /** kind = discrete: per column, level codes 0..levels.length-1 and the level labels as seen. */
  readonly discrete?: { readonly codes: readonly Int32Array[]; readonly levels: readonly (readonly string[])[] };
  /** Per row: 0 = observational, k = column k (1-based) was set by a perfect intervention. */
  readonly interventions?: Int32Array;
  /** Whether continuous columns were z-scored (ddof = 1). */
  readonly standardized: boolean;
}

/**
 * Anything that can give the log marginal likelihood factor of one node given its parents.
 * `parents` are ascending column indices. Implementations cache; the value for a given
 * (node, parents) never changes.
 */
export interface LocalScoreModel {
  readonly d: number;
  readonly name: 'bge' | 'bdeu' | string;
  localScore(node: number, parents: readonly number[]): number;
}

/** Structure prior: modular, f(k) for a node with k parents; table index k = 0..d-1. */
export type StructurePriorKind = 'uniform' | 'erdos-renyi' | 'edge' | 'fair';

export interface StructurePriorOptions {
  kind: StructurePriorKind;
  /** Erdős–Rényi: expected edges per node (default 1). */
  edgesPerNode?: number;
  /** Edge penalty: log prior adds k·log β (0 < β). */
  beta?: number;
}

/** Prior knowledge the user states about the graph. Edges are [from, to] column indices. */
export interface PriorKnowledge {
  forbidden: Array<[number, number]>;
  required: Array<[number, number]>;
  /** Maximum parents per node (d - 1 when unbounded). */
  maxParents: number;
  /** Optional tier per node (no edge from a later tier to an earlier one); undefined = no tiers. */
  tiers?: number[];
}

/** One line of a posterior sample file (JSON Lines). logScore = log R(G), prior included. */
export interface PosteriorSampleRecord {
  edges: Array<[string, string]>;
  logScore: number;
  /**
   * Unnormalised log importance weight, when the sampler's draws are weighted (the layered
   * GFlowNet: log S(Λ) − log q(Λ)); estimates then weight sample k by exp(logWeight_k).
   */
  logWeight?: number;
}
