/**
 * The `train` job kind: a DAG-GFlowNet trained and sampled in a worker thread for a data set
 * opened in the window. Progress (iteration, loss, steps/s, ETA, ε, replay fill and the edge
 * marginals of recent trajectories) about every 0.5 s; cancel stops it within a second.
 */
import type { ObjectiveName } from '../../gflownet/train/objectives.ts';
import { selectBackend, type BackendRequest } from '../../gflownet/backend/select.ts';
import type { JobContext } from '../../gflownet/core/job.ts';
import { resolveTrainConfig, type TrainConfig } from '../../gflownet/train/config.ts';
import { runGflownet, type PipelineProgress } from '../../gflownet/train/pipeline.ts';
import type { SamplerSpec } from '../../shared/workflow.ts';
import type { PosteriorRunResult } from './posteriorResult.ts';
import { buildProblem, type ProblemParams } from './problem.ts';

const OBJECTIVE_NAMES: Record<ObjectiveName, string> = { mdb: 'modified detailed balance', tb: 'trajectory balance', subtb: 'sub-trajectory balance' };

export interface TrainJobParams extends ProblemParams {
  sampler: SamplerSpec;
  backend?: BackendRequest;
  /** Any other hyper-parameter (defaults in gflownet/train/config.ts). */
  train?: Partial<TrainConfig>;
  /** Where to keep the checkpoint (weights, optimiser, replay, RNG, config). */
  checkpointDir?: string;
}

export type TrainJobProgress = PipelineProgress | { phase: 'reading the data' };

export async function run(params: TrainJobParams, ctx: JobContext<TrainJobProgress>): Promise<PosteriorRunResult> {
  ctx.progress({ phase: 'reading the data' });
  const problem = await buildProblem(params, ctx.signal);
  const backend = await selectBackend(params.backend ?? 'auto');
  const s = params.sampler;
  const config = resolveTrainConfig({
    ...params.train,
    ...(s.iterations !== undefined ? { iterations: s.iterations } : {}),
    ...(s.timeLimitSeconds !== undefined ? { timeLimitSeconds: s.timeLimitSeconds } : {}),
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
  }, problem.reward.d);
  const result = await runGflownet(
    { reward: problem.reward, knowledge: problem.knowledge, config, samples: s.samples ?? 1000, backend, checkpointDir: params.checkpointDir, meta: { kind: 'job', problem: { data: params.data, model: params.model } } },
    ctx,
  );
  const facts: PosteriorRunResult['facts'] = [
    { label: 'backend', value: backend.reason },
    { label: 'objective', value: OBJECTIVE_NAMES[config.objective] },
    { label: 'iterations', value: result.iterations.toLocaleString('en') },
    { label: 'seconds', value: result.seconds.toFixed(1) },
    { label: 'iterations per second', value: result.stepsPerSecond.toFixed(1) },
    { label: 'final loss', value: result.finalLoss.toPrecision(4) },
    { label: 'seed', value: String(config.seed) },
  ];
  if (result.exact) {
    facts.push({ label: 'JSD to the exact posterior', value: result.exact.jsd.toExponential(2) });
    facts.push({ label: 'edge-marginal RMSE vs exact', value: result.exact.edgeMarginalRmse.toExponential(2) });
  }
  return {
    variables: [...problem.dataset.columns],
    edgeMarginals: result.sampleMarginals,
    samples: { adjacency: result.samples.adjacency, logScores: result.samples.logReward, count: result.samples.count },
    traces: [{ name: 'loss (moving average)', values: result.lossTrace }],
    facts,
  };
}
