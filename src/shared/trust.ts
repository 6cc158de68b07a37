/**
 * The trust badge as it crosses to the window: how far to trust a run, in words and numbers
 * (levels and wording come from gflownet/metrics/trust.ts), plus what the Run screen's live
 * figure measures against — the exact posterior of the same problem, or another finished run of
 * it — and, when the exact posterior is possible but not cheap, its estimated price.
 */
import * as v from 'valibot';
import { bool, num, parseRequest, runId, strictObject } from './validators.ts';

export type TrustLevelView = 'exact' | 'reliable' | 'no-warning' | 'caution' | 'unreliable' | 'unknown' | 'pending';

export interface TrustView {
  runId: string;
  level: TrustLevelView;
  headline: string;
  details: string[];
  advice?: string;
  figures: Array<{ label: string; value: string }>;
  /** The live figure's reference: its marginals over `variables` (flat d·d). */
  reference?: { label: string; kind: 'exact' | 'run'; variables: string[]; marginals: number[] };
  /** The evidence is still being gathered (the run, an exact answer or a check is running): ask again. */
  revising?: boolean;
  /** The exact posterior is possible but was not started on its own: its estimated CPU seconds. */
  exactOffer?: { seconds: number };
}

export const TrustRequestSchema = strictObject({
  runId,
  /** Compute the exact posterior even when it is not cheap (the user asked, knowing the price). */
  computeExact: v.optional(bool),
  /** The window's count of variables, for a run that has not finished (its result carries the real one). */
  variables: v.optional(num(1, 100_000, true)),
});
export type TrustRequest = v.InferOutput<typeof TrustRequestSchema>;

export const validateTrustRequest = (value: unknown): TrustRequest => parseRequest('getTrust', TrustRequestSchema, value);
