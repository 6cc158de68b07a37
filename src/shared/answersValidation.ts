/**
 * The Answers request (shared/answers.ts) as a valibot schema: a run id, optional cause and
 * effect, what-if edges and a hypothesis as [from, to] pairs of variable indices, soft edge
 * beliefs (probabilities strictly between 0 and 1), a seed.
 */
import * as v from 'valibot';
import type { AnswersRequest } from './answers.ts';
import { num, parseRequest, runId, strictObject } from './validators.ts';
import { MAX_WORKFLOW_VARIABLES } from './workflowValidation.ts';

const MAX_EDGES = MAX_WORKFLOW_VARIABLES * (MAX_WORKFLOW_VARIABLES - 1);
const variable = num(0, MAX_WORKFLOW_VARIABLES - 1, true);
const edges = v.pipe(
  v.array(
    v.pipe(
      v.strictTuple([variable, variable], 'must be a pair [from, to]'),
      v.check(([from, to]) => from !== to, 'is a self-loop'),
    ),
    `must be a list of at most ${MAX_EDGES} edges`,
  ),
  v.maxLength(MAX_EDGES, `must be a list of at most ${MAX_EDGES} edges`),
);

const AnswersRequestSchema = v.pipe(
  strictObject({
    runId,
    cause: v.optional(variable),
    effect: v.optional(variable),
    forbidden: v.optional(edges),
    required: v.optional(edges),
    hypothesis: v.optional(edges),
    tiers: v.optional(
      v.pipe(
        v.array(num(0, MAX_WORKFLOW_VARIABLES, true), `must be a list of at most ${MAX_WORKFLOW_VARIABLES} tier numbers`),
        v.maxLength(MAX_WORKFLOW_VARIABLES, `must be a list of at most ${MAX_WORKFLOW_VARIABLES} tier numbers`),
      ),
    ),
    beliefs: v.optional(
      v.pipe(
        v.array(
          v.pipe(
            strictObject({ from: variable, to: variable, probability: num(1e-6, 1 - 1e-6) }),
            v.check((b) => b.from !== b.to, 'is a self-loop'),
          ),
          `must be a list of at most ${MAX_EDGES} edge beliefs`,
        ),
        v.maxLength(MAX_EDGES, `must be a list of at most ${MAX_EDGES} edge beliefs`),
      ),
    ),
    seed: v.optional(num(0, 2 ** 32 - 1, true)),
  }),
  v.check((r) => (r.cause === undefined) === (r.effect === undefined), 'needs both a cause and an effect, or neither'),
  v.check((r) => r.cause === undefined || r.cause !== r.effect, 'has the same variable as cause and effect'),
);

export const answersValidators = {
  getAnswers: (value: unknown): AnswersRequest => parseRequest('getAnswers', AnswersRequestSchema, value),
};
