/**
 * The Next-experiment panel as it crosses to the window (docs/design.md): which intervention
 * would teach most about a query, ranked, with Monte Carlo errors and one sentence per target.
 * Variables are indices into `variables`.
 */
import * as v from 'valibot';
import { datasetId, name, num, parseRequest, runId, strictObject, variantCase } from './validators.ts';
import { MAX_WORKFLOW_VARIABLES, type StartRunRequest } from './workflowValidation.ts';

const variable = num(0, MAX_WORKFLOW_VARIABLES - 1, true);

const QuerySchema = v.variant(
  'kind',
  [
    variantCase({ kind: v.literal('edges') }),
    variantCase({ kind: v.literal('edge'), from: variable, to: variable }),
    variantCase({ kind: v.literal('effect'), cause: variable, effect: variable }),
  ],
  'must be {kind: "edges"}, {kind: "edge", from, to} or {kind: "effect", cause, effect}',
);

export const DesignRequestSchema = v.pipe(
  strictObject({
    runId,
    query: QuerySchema,
    /** Rows per experiment: the cost every candidate shares. */
    rows: num(1, 1_000_000, true),
    /** Candidate targets (default every variable). */
    targets: v.optional(
      v.pipe(
        v.array(variable, 'must be a list of variable indices'),
        v.minLength(1, 'must name at least one target'),
        v.maxLength(MAX_WORKFLOW_VARIABLES),
      ),
    ),
    /** Simulated experiments per target (default 64). */
    outerSamples: v.optional(num(2, 10_000, true)),
    seed: v.optional(num(0, 2 ** 32 - 1, true)),
  }),
  v.check(
    (r) => r.query.kind === 'edges' || (r.query.kind === 'edge' ? r.query.from !== r.query.to : r.query.cause !== r.query.effect),
    'names the same variable twice in the query',
  ),
  v.check((r) => !r.targets || new Set(r.targets).size === r.targets.length, 'lists a target twice'),
);
export type DesignRequest = v.InferOutput<typeof DesignRequestSchema>;

export const validateDesignRequest = (value: unknown): DesignRequest => parseRequest('getDesign', DesignRequestSchema, value);

export interface DesignTargetView {
  target: number;
  /** Expected reduction of the query's uncertainty, nats. */
  expectedGain: number;
  standardError: number;
  expectedUncertaintyAfter: number;
  /** "What we would learn", one sentence. */
  sentence: string;
  /** Sampled runs: effective samples left after re-weighting, on average. */
  meanEffectiveSamples?: number;
}

export interface DesignView {
  runId: string;
  variables: string[];
  /** The query in words. */
  queryText: string;
  rows: number;
  outerSamples: number;
  seed: number;
  /** How the posterior was obtained: exact re-weighting, or importance re-weighting of samples. */
  posterior: 'exact' | 'independent' | 'chains';
  /** The query's uncertainty now, nats. */
  uncertaintyBefore: number;
  /** Highest expected gain first. */
  ranking: DesignTargetView[];
  /** The run's own warning, inherited (a sampler that has not converged …). */
  warning?: string;
}

/**
 * Close the loop: the rows of a new experiment (opened like any data file: its datasetId), pooled
 * with the data of a run into a new data set with an INT column; the window then starts a run on
 * it with `startRun` as returned (the same model and sampler) and shows before and after.
 */
export const PoolExperimentRequestSchema = strictObject({
  runId,
  datasetId,
  /** Column of the new file holding the intervention targets (0 = observational, k = the k-th data column). */
  interventionColumn: v.optional(name),
});
export type PoolExperimentRequest = v.InferOutput<typeof PoolExperimentRequestSchema>;

export const validatePoolExperimentRequest = (value: unknown): PoolExperimentRequest =>
  parseRequest('poolExperiment', PoolExperimentRequestSchema, value);

export interface PoolExperimentView {
  /** The pooled data set, opened. */
  datasetId: string;
  name: string;
  oldRows: number;
  newRows: number;
  /** "50 new rows (50 rows under do(Raf)) pooled with the 853 rows of the data". */
  newRowsText: string;
  /** The run's own request on the pooled data: start it as it is. */
  startRun: StartRunRequest;
}
