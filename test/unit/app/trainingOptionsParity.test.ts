/**
 * Issue 15, item 8: the window offers every `dagflow train` option. Each of the command's own
 * flags maps to a field of the window's run request, which the request validation accepts and
 * the train job turns into the same config as the flag; a flag added to the command line
 * without a window field fails here.
 */
import { describe, expect, it } from 'vitest';
import { trainFlags } from '../../../src/cli/commands/train.ts';
import { dataFlags } from '../../../src/cli/dataFlags.ts';
import { knowledgeFlags } from '../../../src/cli/knowledgeFlags.ts';
import { resolveTrainConfig } from '../../../src/gflownet/train/config.ts';
import { trainOverrides } from '../../../src/jobs/kinds/trainOptions.ts';
import { validateRequest } from '../../../src/shared/apiValidation.ts';
import type { SamplerSpec } from '../../../src/shared/workflow.ts';

/** Flag → the window's sampler field set to a non-default value. */
const WINDOW: Record<string, Partial<SamplerSpec>> = {
  sampler: { training: { sampler: 'edges' } },
  'teacher-steps': { training: { teacherSteps: 77 } },
  'candidate-parents': { candidateParents: 7 },
  objective: { objective: 'tb' },
  intrinsic: { intrinsic: 'rnd' },
  'intrinsic-weight': { training: { intrinsicWeight: 0.25 } },
  'intrinsic-decay': { training: { intrinsicDecay: 0.75 } },
  'subtb-lambda': { training: { subTbLambda: 0.5 } },
  shaping: { training: { shaping: 'none' } },
  iterations: { iterations: 123 },
  'time-limit': { timeLimitSeconds: 9 },
  'batch-size': { training: { batchSize: 5 } },
  lr: { training: { learningRate: 0.02 } },
  'lr-end': { training: { learningRateEnd: 0.0002 } },
  environments: { training: { environments: 6 } },
  hidden: { training: { hidden: 40 } },
  'target-every': { training: { targetUpdateEvery: 33 } },
  'epsilon-end': { training: { epsilonEnd: 0.2 } },
  prefill: { training: { prefillIterations: 3 } },
  'replay-capacity': { training: { replayCapacity: 999 } },
  seed: { seed: 4 },
  samples: { samples: 10 },
  backend: { training: { backend: 'cpu' } },
};
/** Command-line matters: the output folder, a checkpoint folder to resume from, JSON on stdout. */
const COMMAND_LINE_ONLY = new Set(['out', 'resume', 'json']);

describe('the window offers every dagflow train option', () => {
  const own = Object.keys(trainFlags).filter((f) => !(f in dataFlags) && !(f in knowledgeFlags));

  it('maps each of the command’s own flags to a window field', () => {
    for (const flag of own) expect(WINDOW[flag] !== undefined || COMMAND_LINE_ONLY.has(flag), `--${flag}`).toBe(true);
  });

  it('accepts each window field in a run request, unchanged', () => {
    for (const [flag, fields] of Object.entries(WINDOW)) {
      const request = {
        datasetId: 'data-0123456789ab',
        model: { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } },
        sampler: { method: 'gflownet', ...fields },
      };
      expect(validateRequest('startRun', request).sampler, `--${flag}`).toMatchObject(fields);
    }
  });

  it('turns the training fields into the config the flags give', () => {
    const config = resolveTrainConfig(
      trainOverrides({ sampler: 'edges', batchSize: 5, learningRate: 0.02, shaping: 'none', replayCapacity: 999, hidden: 40 }, 8),
      8,
    );
    expect(config).toMatchObject({
      sampler: 'edges',
      batchSize: 5,
      learningRate: 0.02,
      rewardShaping: false,
      replayCapacity: 999,
      hidden: 40,
    });
    // --lr-end defaults to the sampler's final rate, never above the initial one.
    expect(resolveTrainConfig(trainOverrides({ learningRate: 1e-4 }, 8), 8)).toMatchObject({ sampler: 'layers', learningRateEnd: 1e-4 });
  });
});
