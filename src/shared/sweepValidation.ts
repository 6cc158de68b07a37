/** Validation of the sweep requests (shared/sweep.ts): a folder path of bounded length, or a sweep id. */
import * as v from 'valibot';
import type { OpenSweepRequest } from './sweep.ts';
import { parseRequest, strictObject, variantCase } from './validators.ts';

/** Longer than any real path; keeps a hostile request from carrying megabytes. */
const MAX_PATH = 4096;

const OpenSweepSchema = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object'),
  v.variant(
    'source',
    [
      variantCase({ source: v.literal('dialog') }),
      variantCase({
        source: v.literal('path'),
        path: v.pipe(
          v.string('must be a folder path'),
          v.nonEmpty('must be a folder path'),
          v.maxLength(MAX_PATH, `is longer than ${MAX_PATH} characters`),
          // Absolute only: the Node side's working folder is no business of the window.
          v.check((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute folder path'),
        ),
      }),
    ],
    'source must be "dialog" or "path"',
  ),
);

const SweepIdSchema = strictObject({
  sweepId: v.pipe(v.string('must look like "sweep-1"'), v.regex(/^sweep-\d{1,9}$/, 'must look like "sweep-1"')),
});

export const sweepValidators = {
  openSweep: (value: unknown): OpenSweepRequest => parseRequest('openSweep', OpenSweepSchema, value) as OpenSweepRequest,
  getSweep: (value: unknown): { sweepId: string } => parseRequest('getSweep', SweepIdSchema, value),
};
