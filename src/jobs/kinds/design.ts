/**
 * The `design` job kind: expected information gain per candidate target for a query
 * (gflownet/design/gain.ts), in a worker thread because it takes seconds (many simulated
 * experiments, each scoring the posterior's families on pooled data). It reports no progress
 * events: the window waits on the result, and the job list has no progress shape for it.
 */
import type { JobContext } from '../../gflownet/core/job.ts';
import type { Dataset } from '../../gflownet/core/types.ts';
import type { WeightedDags } from '../../gflownet/causal/weightedDags.ts';
import { expectedInformationGain, type DesignOptions, type DesignResult } from '../../gflownet/design/gain.ts';
import type { ScoreOptions } from '../../gflownet/scores/scoreModel.ts';

export interface DesignJobParams {
  posterior: WeightedDags;
  dataset: Dataset;
  scoreOptions: ScoreOptions;
  options: DesignOptions;
}

export async function run(params: DesignJobParams, ctx: JobContext<never>): Promise<DesignResult> {
  return expectedInformationGain(params.posterior, params.dataset, params.scoreOptions, params.options, {
    signal: ctx.signal,
    log: (m) => ctx.log(m),
    progress: () => {},
  });
}
