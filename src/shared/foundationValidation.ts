/**
 * The foundation's requests (opening data, jobs) as valibot schemas; their outputs are the
 * request types of shared/api.ts.
 */
import * as v from 'valibot';
import { bytes, fileName, num, strictObject, variantCase } from './validators.ts';

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export const OpenDataRequestSchema = v.variant(
  'source',
  [
    /** Native file dialog (Electron only). */
    variantCase({ source: v.literal('dialog') }),
    /** One of the bundled samples, by file name. */
    variantCase({ source: v.literal('sample'), name: fileName }),
    /** A file from the desktop app's recent list (File › Open Recent), by its position. */
    variantCase({ source: v.literal('recent'), index: num(0, 99, true) }),
    /** Bytes of a file the user picked or dropped in the page. */
    variantCase({ source: v.literal('upload'), fileName, content: bytes(MAX_UPLOAD_BYTES) }),
  ],
  'must be "dialog", "sample", "recent" or "upload"',
);
export type OpenDataRequest = v.InferOutput<typeof OpenDataRequestSchema>;

/** Job kinds the UI may start, with their parameters. */
export const StartJobRequestSchema = v.variant(
  'kind',
  [
    variantCase({
      kind: v.literal('selftest'),
      params: v.optional(
        strictObject({
          sizes: v.optional(
            v.pipe(
              v.array(num(8, 2048, true), 'must be an array of 1 to 6 numbers'),
              v.minLength(1, 'must be an array of 1 to 6 numbers'),
              v.maxLength(6, 'must be an array of 1 to 6 numbers'),
            ),
          ),
          secondsPerSize: v.optional(num(0.01, 30)),
        }),
        () => ({}),
      ),
    }),
  ],
  'must be a known job kind ("selftest")',
);
export type StartJobRequest = v.InferOutput<typeof StartJobRequestSchema>;
