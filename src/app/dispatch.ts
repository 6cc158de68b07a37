/** Validate → handle → envelope: the single path every request takes on both transports. */
import { isDagflowError } from '../gflownet/core/errors.ts';
import { SessionError } from '../gflownet/session/schema.ts';
import type { ApiEnvelope, ApiHandlers, ApiOperation } from '../shared/api.ts';
import { ApiValidationError, validateRequest } from '../shared/apiValidation.ts';

export async function dispatchApi(handlers: ApiHandlers, op: ApiOperation, rawRequest: unknown): Promise<ApiEnvelope<unknown>> {
  try {
    const request = validateRequest(op, rawRequest);
    const handler = handlers[op] as (r: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(request) };
  } catch (e) {
    if (e instanceof ApiValidationError) return { ok: false, error: { message: e.message, code: e.code } };
    if (e instanceof SessionError)
      return { ok: false, error: { message: e.toUserMessage(), code: e.code, location: { ...e.location }, problem: e.problem } };
    if (isDagflowError(e)) return { ok: false, error: { message: e.toUserMessage(), code: e.code, location: { ...e.location } } };
    return { ok: false, error: { message: `internal error: ${(e as Error).message}`, code: 'INTERNAL' } };
  }
}
