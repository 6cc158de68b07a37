/**
 * What a posterior job started from the window hands back to the Node-side run store: plain
 * data and typed arrays only (structured clone), whatever the method.
 */
import type { RunDiagnosticsView } from '../../shared/workflow.ts';

export interface SampledDagsResult {
  /** n row-major d·d adjacency matrices, concatenated. */
  adjacency: Uint8Array;
  /** log R(G) of each sample (score + structure prior). */
  logScores: Float64Array;
  count: number;
  /** Unnormalised log importance weights, when the sampler's draws are weighted (layered GFlowNet). */
  logWeights?: Float64Array;
}

export interface RankedDagResult {
  edges: Array<[number, number]>;
  probability: number;
  logScore: number;
}

export interface PosteriorRunResult {
  variables: string[];
  /** P(i → j), row-major d·d. */
  edgeMarginals: Float64Array;
  samples?: SampledDagsResult;
  /** Exact runs on few variables: the most probable DAGs. */
  ranked?: RankedDagResult[];
  logZ?: number;
  /** Exact runs on few variables: the whole posterior (DAG codes of graph/dagCode.ts and log P). */
  distribution?: { codes: Int32Array; logProb: Float64Array };
  /** Convergence diagnostics in numbers and words (MCMC). */
  diagnostics?: RunDiagnosticsView;
  /** Log-score trace per chain, or the loss trace of training, for the Run screen. */
  traces?: Array<{ name: string; values: number[] }>;
  /** Figures worth showing (backend, seconds, loss …). */
  facts: Array<{ label: string; value: string }>;
}
