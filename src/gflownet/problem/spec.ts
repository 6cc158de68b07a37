/**
 * The problem every posterior is computed for, as plain data: which file to read and how
 * (data), the local score and its hyper-parameters (score), the structure prior (prior) and what
 * the user knows about the graph (knowledge). The window, the command line and the browser-mode
 * server each build one from their own input; load.ts turns it into a data set, a score model,
 * the prior table and checked prior knowledge, the same way for all of them. Structured-clone
 * and JSON safe, so it crosses into a worker thread and into a checkpoint as it is.
 */
import type { StructurePriorOptions, VariableKind } from '../core/types.ts';
import type { MissingPolicy } from '../data/missing.ts';
import type { MixedPolicy } from '../data/plan.ts';

/** A file as it is read (an upload lives under a temporary path) and the name the user knows it by. */
export interface UserFile {
  path: string;
  /** Messages name the file by this (default: the path). */
  name?: string;
}

/** How to read a data file into a data set (the engine's LoadOptions, as plain data). */
export interface ReadOptions {
  /** Per-column kind overrides, by column name. */
  columnTypes?: Record<string, VariableKind>;
  /** Columns to leave out. */
  exclude?: string[];
  /** Incomplete rows: refuse the file (default) or drop them. */
  missing?: MissingPolicy;
  /** Cells that mean "missing" (default: empty, NA, NaN, ?). */
  missingTokens?: string[];
  /** Z-score continuous columns (default true). */
  standardize?: boolean;
  /** Data with continuous and discrete columns (default refuse). */
  mixed?: MixedPolicy;
  /** Quantile bins when discretizing mixed data (default 3). */
  bins?: number;
  /** Whole-number columns with at most this many values are discrete (default 10). */
  maxDiscreteLevels?: number;
  /** A data column holding the intervention targets. */
  interventionColumn?: string;
}

/** The data file, how to read it, and the sidecar file with intervention targets if any. */
export interface DataSpec extends UserFile {
  options: ReadOptions;
  /** A sidecar CSV with a column INT. */
  interventionFile?: UserFile;
}

export interface ScoreSpec {
  /** auto: BGe for continuous data, BDeu for discrete. */
  score: 'auto' | 'bge' | 'bdeu';
  /** BGe α_μ (default 1). */
  alphaMu?: number;
  /** BGe α_w (default d + 2). */
  alphaW?: number;
  /** BGe prior mean ν (default zero). */
  mean?: 'zero' | 'sample';
  /** BDeu equivalent sample size (default 1). */
  ess?: number;
}

/** Edges as [from, to] variable indices, or a from,to CSV naming the columns. */
export type EdgesSpec = { edges: Array<[number, number]> } | { file: string };

/** A tier per variable, or a node,tier CSV naming the columns. */
export type TiersSpec = { tiers: number[] } | { file: string };

/** Soft beliefs P(from → to) = probability, by variable index, or a from,to,probability CSV naming the columns. */
export type EdgeBeliefsSpec = { beliefs: Array<{ from: number; to: number; probability: number }> } | { file: string };

export interface KnowledgeSpec {
  forbidden?: EdgesSpec;
  required?: EdgesSpec;
  tiers?: TiersSpec;
  /** At most this many parents per node (default d − 1). */
  maxParents?: number;
  /** Soft per-edge prior beliefs; they multiply the structure prior (causal/edgeBeliefs.ts). */
  edgeBeliefs?: EdgeBeliefsSpec;
}

export interface ProblemSpec {
  data: DataSpec;
  score: ScoreSpec;
  prior: StructurePriorOptions;
  knowledge: KnowledgeSpec;
}
