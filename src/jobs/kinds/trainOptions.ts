/**
 * The window's training options (shared/trainingOptions.ts, one per `dagflow train` flag) as
 * overrides of the engine's TrainConfig, the same way cli/commands/train.ts turns the flags
 * into one: `auto` leaves the sampler to the data's size, the shaping choice sets two fields,
 * and the final learning rate never exceeds the initial one. Also the run fact that states the
 * options a run trained with, so a changed value is visible in the run's summary.
 */
import { defaultSamplerFor, defaultTrainConfig, type TrainConfig } from '../../gflownet/train/config.ts';
import type { TrainingOptions } from '../../shared/trainingOptions.ts';

export function trainOverrides(options: TrainingOptions | undefined, d: number): Partial<TrainConfig> {
  if (!options) return {};
  const sampler = options.sampler === undefined || options.sampler === 'auto' ? defaultSamplerFor(d) : options.sampler;
  const sized = defaultTrainConfig(d, sampler);
  const learningRate = options.learningRate ?? sized.learningRate;
  const out: Partial<TrainConfig> = {
    sampler,
    teacherSteps: options.teacherSteps,
    subTbLambda: options.subTbLambda,
    batchSize: options.batchSize,
    environments: options.environments,
    hidden: options.hidden,
    targetUpdateEvery: options.targetUpdateEvery,
    epsilonEnd: options.epsilonEnd,
    prefillIterations: options.prefillIterations,
    replayCapacity: options.replayCapacity,
    intrinsicWeight: options.intrinsicWeight,
    intrinsicDecay: options.intrinsicDecay,
  };
  if (options.learningRate !== undefined || options.learningRateEnd !== undefined) {
    out.learningRate = learningRate;
    out.learningRateEnd = Math.min(options.learningRateEnd ?? sized.learningRateEnd, learningRate);
  }
  if (options.shaping !== undefined) {
    out.rewardShaping = options.shaping !== 'none';
    out.shapingBaseline = options.shaping === 'delta' ? 'delta' : 'superset';
  }
  // Absent options keep the defaults (resolveTrainConfig skips undefined values).
  return out;
}

/** The training options a run used, in one line (layered and edge samplers have different knobs). */
export function trainingFact(config: TrainConfig): { label: string; value: string } {
  // Only the knobs the sampler reads: the layered sampler has no environments, ε, prefill or target network.
  const common = [
    `batch ${config.batchSize}`,
    `learning rate ${config.learningRate} → ${config.learningRateEnd}`,
    `hidden width ${config.hidden}`,
    `replay ${config.replayCapacity}`,
  ];
  const own =
    config.sampler === 'layers'
      ? [`${config.teacherSteps} teacher steps per iteration`]
      : [
          `${config.environments} environments`,
          `shaping ${config.rewardShaping ? config.shapingBaseline : 'none'}`,
          `target network every ${config.targetUpdateEvery}`,
          `ε to ${config.epsilonEnd}`,
          `prefill ${config.prefillIterations}`,
          ...(config.objective === 'subtb' ? [`λ ${config.subTbLambda}`] : []),
        ];
  return { label: 'training options', value: [...common, ...own].join(', ') };
}
