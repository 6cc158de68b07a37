/**
 * The workflow requests (inspect, runs, posterior, compare) as valibot schemas: every field's
 * type, range and size, checked before a handler runs, anything unexpected refused. The
 * request types of shared/workflow.ts are these schemas' outputs.
 */
import * as v from 'valibot';
import { bool, datasetId, fileName, name, num, oneOf, parseRequest, plainObject, runId, strictObject, variantCase } from './validators.ts';
import { TrainingOptionsSchema } from './trainingOptions.ts';

/** Matches src/gflownet/core/limits.ts (the shared folder may not import the engine). */
export const MAX_WORKFLOW_VARIABLES = 128;
export const MAX_TRUTH_TEXT = 512 * 1024;
export const MAX_TOP_DAGS = 200;
const MAX_EDGES = MAX_WORKFLOW_VARIABLES * (MAX_WORKFLOW_VARIABLES - 1);

export const SAMPLER_METHODS = ['exact', 'gflownet', 'mc3', 'order', 'partition'] as const;
/** The edge GFlowNet's training objectives and intrinsic rewards (gflownet/train/config.ts checks the same lists). */
export const GFLOWNET_OBJECTIVES = ['mdb', 'tb', 'subtb', 'fm'] as const;
export const GFLOWNET_INTRINSIC_REWARDS = ['none', 'rnd'] as const;

const nameList = v.pipe(
  v.array(name, `must be a list of at most ${4 * MAX_WORKFLOW_VARIABLES} column names`),
  v.maxLength(4 * MAX_WORKFLOW_VARIABLES, `must be a list of at most ${4 * MAX_WORKFLOW_VARIABLES} column names`),
);

const variableIndex = num(0, MAX_WORKFLOW_VARIABLES - 1, true);
/** [from, to] variable indices, never a self-loop. */
const edgePair = v.pipe(
  v.strictTuple([variableIndex, variableIndex], 'must be a pair [from, to]'),
  v.check(([from, to]) => from !== to, 'is a self-loop'),
);
const edgeList = v.pipe(
  v.array(edgePair, `must be a list of at most ${MAX_EDGES} edges`),
  v.maxLength(MAX_EDGES, `must be a list of at most ${MAX_EDGES} edges`),
);

export const DataOptionsSchema = v.pipe(
  strictObject({
    /** Per-column kind overrides, by column name. */
    columnTypes: v.optional(
      v.pipe(
        plainObject,
        v.record(name, oneOf(['continuous', 'discrete'] as const), 'must be an object'),
        v.check((types) => Object.keys(types).length <= 4 * MAX_WORKFLOW_VARIABLES, 'has too many entries'),
      ),
    ),
    /** Columns to leave out. */
    exclude: v.optional(nameList),
    /** Incomplete rows: refuse the file (default) or drop the rows. */
    missing: v.optional(oneOf(['refuse', 'drop'] as const)),
    /** Cells that mean "missing" (default: empty, NA, NaN, ?); the window adds a stray text cell's value when asked to. */
    missingTokens: v.optional(
      v.pipe(
        v.array(v.pipe(v.string('must be text'), v.maxLength(64, 'is too long')), 'must be a list'),
        v.maxLength(64, 'has too many entries'),
      ),
    ),
    /** Z-score continuous columns (default true). */
    standardize: v.optional(bool),
    /** A data column that holds intervention targets (0 = observational, k = column k set). */
    interventionColumn: v.optional(name),
    /** A sidecar file with a column INT, opened like any data file (its datasetId). */
    interventionFile: v.optional(datasetId),
    /** The intervention sidecar shipped beside a sample data set (a file name from Capabilities.sidecarSamples). */
    interventionSample: v.optional(fileName),
    /** Data with continuous and discrete columns: refuse (default), discretize the continuous ones, or leave one kind out. */
    mixed: v.optional(oneOf(['refuse', 'discretize', 'exclude-continuous', 'exclude-discrete'] as const)),
    /** Quantile bins when discretizing mixed data (default 3). */
    bins: v.optional(num(2, 50, true)),
  }),
  v.check(
    (o) => [o.interventionColumn, o.interventionFile, o.interventionSample].filter((x) => x !== undefined).length <= 1,
    'must give an intervention column or a sidecar file, not both',
  ),
);
export type DataOptions = v.InferOutput<typeof DataOptionsSchema>;

const optionalNumber = (min: number, max: number, integer = false) => v.optional(num(min, max, integer));

export const ModelSpecSchema = strictObject({
  score: oneOf(['bge', 'bdeu'] as const),
  /** BGe α_μ (default 1). */
  alphaMu: optionalNumber(1e-6, 1e6),
  /** BGe α_w (default d + 2; must exceed d − 1). */
  alphaW: optionalNumber(1e-6, 1e6),
  /** BGe prior mean ν. */
  mean: v.optional(oneOf(['zero', 'sample'] as const)),
  /** BDeu equivalent sample size (default 1). */
  ess: optionalNumber(1e-6, 1e6),
  prior: strictObject({
    kind: oneOf(['uniform', 'erdos-renyi', 'edge', 'fair'] as const),
    edgesPerNode: optionalNumber(1e-6, MAX_WORKFLOW_VARIABLES),
    beta: optionalNumber(1e-9, 1e9),
  }),
  knowledge: strictObject({
    /** [from, to] variable indices. */
    forbidden: v.optional(edgeList, () => []),
    required: v.optional(edgeList, () => []),
    /** Maximum parents per node; absent = d − 1. */
    maxParents: optionalNumber(0, MAX_WORKFLOW_VARIABLES - 1, true),
    /** Tier per variable (no edge from a later tier to an earlier one); absent = no tiers. */
    tiers: v.optional(
      v.pipe(
        v.array(num(0, MAX_WORKFLOW_VARIABLES, true), `must be a list of at most ${MAX_WORKFLOW_VARIABLES} tier numbers`),
        v.maxLength(MAX_WORKFLOW_VARIABLES, `must be a list of at most ${MAX_WORKFLOW_VARIABLES} tier numbers`),
      ),
    ),
    /** Soft prior beliefs P(from → to) = probability, strictly between 0 and 1 (docs/answers.md §5). */
    edgeBeliefs: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            strictObject({ from: variableIndex, to: variableIndex, probability: num(1e-9, 1 - 1e-9) }),
            v.check((b) => b.from !== b.to, 'is a self-loop'),
          ),
          `must be a list of at most ${MAX_EDGES} edge beliefs`,
        ),
        v.maxLength(MAX_EDGES, `must be a list of at most ${MAX_EDGES} edge beliefs`),
      ),
    ),
  }),
});
export type ModelSpec = v.InferOutput<typeof ModelSpecSchema>;

export const SamplerSpecSchema = strictObject({
  method: oneOf(SAMPLER_METHODS),
  /** Iteration budget (training steps or MCMC iterations per chain). */
  iterations: optionalNumber(1, 1e9, true),
  /** Wall-clock budget in seconds; training/sampling stops at whichever comes first. */
  timeLimitSeconds: optionalNumber(0.1, 7 * 24 * 3600),
  seed: optionalNumber(0, 2 ** 32 - 1, true),
  /** DAGs to draw from a trained GFlowNet. */
  samples: optionalNumber(1, 1_000_000, true),
  /** MCMC chains, run in parallel worker threads. */
  chains: optionalNumber(1, 16, true),
  /** MCMC burn-in fraction. */
  burnIn: optionalNumber(0, 0.95),
  /** MCMC thinning. */
  thin: optionalNumber(1, 1e6, true),
  /** GFlowNet, edge sampler (up to 5 variables): the training objective (default mdb). */
  objective: v.optional(oneOf(GFLOWNET_OBJECTIVES)),
  /** GFlowNet, edge sampler: augmented flows with novelty rewards from random network distillation (default none). */
  intrinsic: v.optional(oneOf(GFLOWNET_INTRINSIC_REWARDS)),
  /** GFlowNet, layered sampler (6 variables on): candidate parents per variable; 0 = automatic. */
  candidateParents: optionalNumber(0, 10_000, true),
  /** GFlowNet: every other training option of `dagflow train` (shared/trainingOptions.ts); absent fields take the engine's defaults. */
  training: v.optional(TrainingOptionsSchema),
});
export type SamplerSpec = v.InferOutput<typeof SamplerSpecSchema>;

export const StartRunRequestSchema = strictObject({
  datasetId,
  data: v.optional(DataOptionsSchema, () => ({})),
  model: ModelSpecSchema,
  sampler: SamplerSpecSchema,
});
export type StartRunRequest = v.InferOutput<typeof StartRunRequestSchema>;

const truthText = v.pipe(
  v.string(`must be the file's text, at most ${MAX_TRUTH_TEXT / 1024} KB`),
  v.maxLength(MAX_TRUTH_TEXT, `must be the file's text, at most ${MAX_TRUTH_TEXT / 1024} KB`),
);
export const TruthRequestSchema = v.variant(
  'source',
  [
    /** A sample file name (e.g. sachs_truth.csv); text is only for uploads. */
    variantCase({ source: v.literal('sample'), name: fileName }),
    /** The uploaded file's name and text (edge list CSV with columns from,to). */
    variantCase({ source: v.literal('upload'), name: fileName, text: truthText }),
  ],
  'must be one of "sample", "upload"',
);
export type TruthRequestView = v.InferOutput<typeof TruthRequestSchema>;

export const CompareRequestSchema = strictObject({ a: runId, b: runId, truth: v.optional(TruthRequestSchema) });
export type CompareRequestView = v.InferOutput<typeof CompareRequestSchema>;

const InspectDataSchema = strictObject({ datasetId, options: v.optional(DataOptionsSchema, () => ({})) });
const RunIdSchema = strictObject({ runId });
const PosteriorRequestSchema = strictObject({ runId, topDags: v.optional(num(0, MAX_TOP_DAGS, true), 20) });
const CpdagRequestSchema = strictObject({ runId, edges: edgeList });

export const workflowValidators = {
  inspectData: (value: unknown): v.InferOutput<typeof InspectDataSchema> => parseRequest('inspectData', InspectDataSchema, value),
  startRun: (value: unknown): StartRunRequest => parseRequest('startRun', StartRunRequestSchema, value),
  cancelRun: (value: unknown): v.InferOutput<typeof RunIdSchema> => parseRequest('cancelRun', RunIdSchema, value),
  getPosterior: (value: unknown): v.InferOutput<typeof PosteriorRequestSchema> =>
    parseRequest('getPosterior', PosteriorRequestSchema, value),
  getCpdag: (value: unknown): v.InferOutput<typeof CpdagRequestSchema> => parseRequest('getCpdag', CpdagRequestSchema, value),
  compareRuns: (value: unknown): CompareRequestView => parseRequest('compareRuns', CompareRequestSchema, value),
};
