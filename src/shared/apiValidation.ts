/**
 * Validation of every request that reaches the Node side, whatever the transport: one valibot
 * schema per operation (types, sizes and allowed values; foundationValidation.ts,
 * workflowValidation.ts, exchangeValidation.ts). A request that fails is refused with a
 * message naming the field before any handler runs.
 */
import * as v from 'valibot';
import type { ApiOperation, ApiRequest } from './api.ts';
import { answersValidators } from './answersValidation.ts';
import { exchangeValidators } from './exchangeValidation.ts';
import { OpenDataRequestSchema, StartJobRequestSchema } from './foundationValidation.ts';
import { validateTrustRequest } from './trust.ts';
import { validateDesignRequest, validatePoolExperimentRequest } from './design.ts';
import { validateCandidateSpaceRequest } from './candidateSpace.ts';
import { validateTrainingDefaultsRequest } from './trainingOptions.ts';
import { jobId, parseRequest, strictObject } from './validators.ts';
import { workflowValidators } from './workflowValidation.ts';
import { sweepValidators } from './sweepValidation.ts';

export { MAX_UPLOAD_BYTES } from './foundationValidation.ts';
export { ApiValidationError, MAX_NAME_LENGTH } from './validators.ts';

const CancelJobSchema = strictObject({ jobId });
/** Operations without an argument accept nothing (null from some transports). */
const NoArgumentSchema = v.nullish(v.never('takes no argument'));

const noArgument =
  (op: ApiOperation) =>
  (value: unknown): undefined => {
    parseRequest(op, NoArgumentSchema, value);
    return undefined;
  };

const validators: { [Op in ApiOperation]: (value: unknown) => ApiRequest<Op> } = {
  getAppInfo: noArgument('getAppInfo'),
  listRuns: noArgument('listRuns'),
  getCapabilities: noArgument('getCapabilities'),
  listRecentFiles: noArgument('listRecentFiles'),
  listRecoverableSessions: noArgument('listRecoverableSessions'),
  listSamples: noArgument('listSamples'),
  listJobs: noArgument('listJobs'),
  recoverSession: exchangeValidators.recoverSession,
  discardRecoverableSession: exchangeValidators.discardRecoverableSession,
  inspectData: workflowValidators.inspectData,
  startRun: workflowValidators.startRun,
  cancelRun: workflowValidators.cancelRun,
  getPosterior: workflowValidators.getPosterior,
  getCpdag: workflowValidators.getCpdag,
  getAnswers: answersValidators.getAnswers,
  getTrust: validateTrustRequest,
  getDesign: validateDesignRequest,
  poolExperiment: validatePoolExperimentRequest,
  compareRuns: workflowValidators.compareRuns,
  getCandidateSpace: validateCandidateSpaceRequest,
  getTrainingDefaults: validateTrainingDefaultsRequest,
  exportRun: exchangeValidators.exportRun,
  saveExport: exchangeValidators.saveExport,
  importGraph: exchangeValidators.importGraph,
  updateSession: exchangeValidators.updateSession,
  getSessionState: noArgument('getSessionState'),
  saveSession: exchangeValidators.saveSession,
  openSession: exchangeValidators.openSession,
  locateSessionData: exchangeValidators.locateSessionData,
  openData: (value) => parseRequest('openData', OpenDataRequestSchema, value),
  startJob: (value) => parseRequest('startJob', StartJobRequestSchema, value),
  cancelJob: (value) => parseRequest('cancelJob', CancelJobSchema, value),
  openSweep: sweepValidators.openSweep,
  getSweep: sweepValidators.getSweep,
};

export function validateRequest<Op extends ApiOperation>(op: Op, value: unknown): ApiRequest<Op> {
  return validators[op](value) as ApiRequest<Op>;
}
