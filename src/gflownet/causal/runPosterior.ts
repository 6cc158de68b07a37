/**
 * A run folder's samples (export/runDirectory.ts) as the weighted posterior the causal answers
 * read: MCMC chains told apart by summary.json's diagnostics (kept DAGs per chain), importance
 * weights taken from the sample lines when the sampler wrote them, and the warnings the answers
 * inherit (chains that have not converged, a weighting sampler whose weights were not written).
 */
import { DagflowError } from '../core/errors.ts';
import { requireSamples, RUN_FILES, type RunResults } from '../export/runDirectory.ts';
import { samplesToAdjacencies } from '../samples/format.ts';
import { fromSamples, type WeightedDags } from './weightedDags.ts';

export interface RunPosterior {
  posterior: WeightedDags;
  /** 'mcmc' when the folder records chains, 'gflownet' (independent draws) otherwise. */
  sampler: 'mcmc' | 'gflownet';
  chains: number;
  importanceWeighted: boolean;
  /** log R(G) of each sample, as the sampler wrote it. */
  logRewards: Float64Array;
  /** What the answers inherit from the run; absent when nothing is wrong. */
  warning?: string;
}

export function runPosterior(run: RunResults, what = 'this answer'): RunPosterior {
  const records = requireSamples(run, what);
  const file = `${run.source}/${RUN_FILES.samples}`;
  const adjacencies = samplesToAdjacencies(records, run.columns, file);
  const chainLengths = keptPerChain(run.summary, records.length);
  const weighted = records.filter((r) => r.logWeight !== undefined).length;
  if (weighted > 0 && weighted < records.length) {
    throw new DagflowError(
      'BAD_GRAPH',
      `${weighted} of the ${records.length} samples carry a "logWeight" and the others do not`,
      { file, flag: '--run' },
      'every sample of a weighted run needs its weight; rerun the sampler',
    );
  }
  const logWeights = weighted > 0 ? records.map((r) => r.logWeight!) : undefined;
  const posterior = fromSamples(adjacencies, run.columns.length, chainLengths ?? undefined, logWeights);
  const warnings: string[] = [];
  const diagnostics = run.summary.diagnostics as { warning?: unknown } | undefined;
  if (typeof diagnostics?.warning === 'string' && diagnostics.warning !== '') warnings.push(diagnostics.warning);
  // A sampler that weights its draws but whose folder lost the weights: the answers describe the sampler.
  if (!logWeights && typeof run.summary.importance === 'object' && run.summary.importance !== null) {
    warnings.push(
      `this run's sampler weights its draws (importance weights), but ${RUN_FILES.samples} does not record the weights: these answers describe the sampler's own distribution, not the importance-corrected posterior (${RUN_FILES.marginals} holds the corrected edge probabilities)`,
    );
  }
  return {
    posterior,
    sampler: chainLengths ? 'mcmc' : 'gflownet',
    chains: chainLengths?.length ?? 0,
    importanceWeighted: logWeights !== undefined,
    logRewards: Float64Array.from(records, (r) => r.logScore),
    ...(warnings.length > 0 ? { warning: warnings.join(' ') } : {}),
  };
}

const MCMC_METHODS = ['mc3', 'order', 'partition'];

/**
 * Kept DAGs per chain from an MCMC summary.json, or null for a sampler of independent draws. A
 * window run exported without its chain lengths (summary "method" only) counts as one chain: its
 * samples are still correlated, and batch means over the whole sequence account for that.
 */
function keptPerChain(summary: Record<string, unknown>, count: number): number[] | null {
  const diagnostics = summary.diagnostics as { keptSamplesPerChain?: unknown } | undefined;
  const kept = diagnostics?.keptSamplesPerChain;
  if (Array.isArray(kept) && kept.every((n) => Number.isInteger(n) && n >= 0)) return kept as number[];
  return typeof summary.method === 'string' && MCMC_METHODS.includes(summary.method) ? [count] : null;
}
