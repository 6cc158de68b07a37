/**
 * What the Model screen asks before a run: the GFlowNet's training defaults for the data's
 * size (the numbers the engine will use, from gflownet/train/config.ts, so the window never
 * keeps its own copy), and the layered GFlowNet's candidate-parent space (a `candidates` job in
 * a worker). Spaces are cached by data, options, model and K; a request for another space
 * cancels the one still computing (the window only shows the newest), and none may run longer
 * than SPACE_TIME_LIMIT_MS.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { SUPERSET_MAX_D } from '../gflownet/policy/shaping.ts';
import { defaultSamplerFor, defaultTrainConfig, LAYERED_FROM, type SamplerSpace } from '../gflownet/train/config.ts';
import { errorOfJob } from '../jobs/failure.ts';
import type { JobHost } from '../jobs/host.ts';
import type { JobErrorInfo } from '../jobs/protocol.ts';
import type { CandidateSpaceRequest, CandidateSpaceView } from '../shared/candidateSpace.ts';
import type { TrainingDefaultsView, TrainingDefaultValues } from '../shared/trainingOptions.ts';
import type { DataStore } from './dataStore.ts';
import { dataSpecFor, problemSpecFor } from './problemSpec.ts';

export interface ModelDeps {
  host: JobHost;
  data: DataStore;
  samplesDir: string;
}

/** A space that takes longer than this is cancelled (60 variables take about a second). */
export const SPACE_TIME_LIMIT_MS = 60_000;
const CACHE_SIZE = 32;

function defaultValues(d: number, sampler: SamplerSpace): TrainingDefaultValues {
  const c = defaultTrainConfig(d, sampler);
  return {
    iterations: c.iterations,
    teacherSteps: c.teacherSteps,
    candidateParents: c.candidateParents,
    objective: c.objective,
    intrinsic: c.intrinsic,
    intrinsicWeight: c.intrinsicWeight,
    intrinsicDecay: c.intrinsicDecay,
    subTbLambda: c.subTbLambda,
    shaping: c.rewardShaping ? (d > SUPERSET_MAX_D ? 'delta' : c.shapingBaseline) : 'none',
    batchSize: c.batchSize,
    learningRate: c.learningRate,
    learningRateEnd: c.learningRateEnd,
    environments: c.environments,
    hidden: c.hidden,
    targetUpdateEvery: c.targetUpdateEvery,
    epsilonEnd: c.epsilonEnd,
    prefillIterations: c.prefillIterations,
    replayCapacity: c.replayCapacity,
  };
}

export function trainingDefaults(d: number): TrainingDefaultsView {
  return {
    variables: d,
    automatic: defaultSamplerFor(d),
    layeredFrom: LAYERED_FROM,
    supersetMaxVariables: SUPERSET_MAX_D,
    edges: defaultValues(d, 'edges'),
    layers: defaultValues(d, 'layers'),
  };
}

export function createModelHandlers(deps: ModelDeps) {
  const cache = new Map<string, Promise<CandidateSpaceView>>();
  let computing: { key: string; jobId: string } | undefined;

  function compute(key: string, request: CandidateSpaceRequest): Promise<CandidateSpaceView> {
    const problem = problemSpecFor(dataSpecFor(deps.data, deps.samplesDir, request.datasetId, request.data), request.model);
    const jobId = deps.host.submit('candidates', { problem, candidateParents: request.candidateParents }, 'candidate-parent space');
    computing = { key, jobId };
    const deadline = setTimeout(() => deps.host.cancel(jobId), SPACE_TIME_LIMIT_MS);
    return deps.host
      .wait<'candidates'>(jobId)
      .catch((failure: { info?: JobErrorInfo; cancelled?: boolean }) => {
        // A failed or cancelled space must not stay cached: the next request computes it again.
        cache.delete(key);
        throw errorOfJob(failure.info, 'could not choose the candidate parents');
      })
      .finally(() => {
        clearTimeout(deadline);
        if (computing?.jobId === jobId) computing = undefined;
      });
  }

  return {
    async getCandidateSpace(request: CandidateSpaceRequest): Promise<CandidateSpaceView> {
      if (!deps.data.get(request.datasetId))
        throw new DagflowError('BAD_OPTION', 'that data set is no longer open', {}, 'open the file again on the Import screen');
      const key = JSON.stringify([request.datasetId, request.data, request.model, request.candidateParents]);
      const cached = cache.get(key);
      if (cached) {
        // Most recently used last, so the oldest goes first when the cache is full.
        cache.delete(key);
        cache.set(key, cached);
        return cached;
      }
      if (computing && computing.key !== key) deps.host.cancel(computing.jobId);
      const pending = compute(key, request);
      cache.set(key, pending);
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return pending;
    },

    async getTrainingDefaults(request: { variables: number }): Promise<TrainingDefaultsView> {
      return trainingDefaults(request.variables);
    },
  };
}
