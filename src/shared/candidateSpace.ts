/**
 * The layered GFlowNet's candidate-parent space as the Model screen shows it before a run
 * (issue 14, "In the window"): how it is chosen, its size, the parent-set tables it makes,
 * the edges it leaves out, and per variable its candidates. The request carries what a run
 * would: the data set and options, the model, and the candidate parents asked for (0 =
 * automatic).
 */
import * as v from 'valibot';
import { datasetId, num, parseRequest, strictObject } from './validators.ts';
import { DataOptionsSchema, MAX_WORKFLOW_VARIABLES, ModelSpecSchema } from './workflowValidation.ts';

export const CandidateSpaceRequestSchema = strictObject({
  datasetId,
  data: v.optional(DataOptionsSchema, () => ({})),
  model: ModelSpecSchema,
  /** Candidates screened per variable; 0 = automatic (the space a run gets when the user does not choose). */
  candidateParents: num(0, MAX_WORKFLOW_VARIABLES - 1, true),
});
export type CandidateSpaceRequest = v.InferOutput<typeof CandidateSpaceRequestSchema>;

export const validateCandidateSpaceRequest = (value: unknown): CandidateSpaceRequest =>
  parseRequest('getCandidateSpace', CandidateSpaceRequestSchema, value);

export interface CandidateNodeView {
  name: string;
  /** Chosen by forward selection on the node's family score, best first. */
  screened: string[];
  /** In the space because the node is a candidate of theirs (the space is symmetric) or the edge is required. */
  added: string[];
}

export interface CandidateSpaceView {
  variables: string[];
  /**
   * full: every parent the knowledge allows (the tables fit, or the data is too small for the
   * layered sampler); automatic: the widest screened space whose tables fit the budget;
   * chosen: the user's number of candidates.
   */
  kind: 'full' | 'automatic' | 'chosen';
  /** Why the full space is used, in words (kind full). */
  reason?: string;
  /** Candidates screened per variable (automatic and chosen). */
  size?: number;
  /** Per variable, in column order (automatic and chosen). */
  nodes: CandidateNodeView[];
  /** Parent sets in the tables a run builds, and in those of the full space. */
  tableEntries: number;
  fullTableEntries: number;
  /** The automatic space's budget of parent sets. */
  tableBudget: number;
  /** The parent bound of the tables (below the knowledge's bound when the tables had to be cut). */
  tableMaxParents: number;
  knowledgeMaxParents: number;
  /** Edges the knowledge allows, and those of them outside the space (probability 0 in the run). */
  allowedEdges: number;
  outsideEdges: number;
  /** The largest meaningful number of candidates (every allowed parent). */
  maxSize: number;
  /** From this many variables on the layered sampler (and so a space) is used. */
  layeredFrom: number;
  /** Time to compute the space on the Node side. */
  seconds: number;
}
