/**
 * Edge-marginal bookkeeping that survives an unknown run length. A chain stopped by a time
 * limit only learns its length at the end, so its burn-in (a fraction of the iterations
 * actually run) is not known in advance. The sampler keeps cumulative edge sums; we keep a
 * bounded set of snapshots of them (the stride doubles when the set is full) and at the end
 * subtract the first snapshot at or after the burn-in point from the final sums.
 */
import type { ChainSampler } from './types.ts';

const MAX_SNAPSHOTS = 48;

interface Snapshot {
  iteration: number;
  weight: number;
  sums: Float64Array;
}

export class EdgeCheckpoints {
  private snapshots: Snapshot[] = [];
  private stride: number;

  constructor(
    private readonly sampler: ChainSampler,
    baseStride: number,
    /** An iteration that always gets a snapshot (the planned end of burn-in). */
    private readonly pinned: number,
  ) {
    this.stride = Math.max(1, baseStride);
    this.take(0);
  }

  private take(iteration: number): void {
    const sums = new Float64Array(this.sampler.d * this.sampler.d);
    const weight = this.sampler.cumulativeEdges(sums);
    this.snapshots.push({ iteration, weight, sums });
  }

  /** Call after every iteration (cheap unless a snapshot is due). */
  after(iteration: number): void {
    if (iteration !== this.pinned && iteration % this.stride !== 0) return;
    this.take(iteration);
    if (this.snapshots.length > MAX_SNAPSHOTS) {
      this.stride *= 2;
      this.snapshots = this.snapshots.filter((s) => s.iteration === 0 || s.iteration === this.pinned || s.iteration % this.stride === 0);
    }
  }

  /**
   * Edge marginals over the iterations after `burnIn` (the first snapshot at or after it marks
   * the start); returns them with the weight they rest on and the iteration they start at.
   */
  marginalsAfter(burnIn: number): { marginals: Float64Array; weight: number; from: number } {
    const d2 = this.sampler.d * this.sampler.d;
    const end = new Float64Array(d2);
    const endWeight = this.sampler.cumulativeEdges(end);
    let start = this.snapshots[0]!;
    for (const s of this.snapshots) {
      if (s.iteration >= burnIn) {
        start = s;
        break;
      }
      start = s;
    }
    let weight = endWeight - start.weight;
    let base = start.sums;
    let from = start.iteration;
    if (weight <= 0) {
      // Nothing recorded after the burn-in point (a very short run): fall back to the whole run.
      weight = endWeight;
      base = new Float64Array(d2);
      from = 0;
    }
    const marginals = new Float64Array(d2);
    // Sums of probabilities can overshoot 1 by rounding (1 + 1e-13): a probability is kept in [0, 1].
    if (weight > 0) for (let e = 0; e < d2; e++) marginals[e] = Math.min(1, Math.max(0, (end[e]! - base[e]!) / weight));
    return { marginals, weight, from };
  }

  /** The current estimate over everything recorded so far (for progress events). */
  currentEstimate(): Float64Array {
    const d2 = this.sampler.d * this.sampler.d;
    const sums = new Float64Array(d2);
    const weight = this.sampler.cumulativeEdges(sums);
    if (weight > 0) for (let e = 0; e < d2; e++) sums[e]! /= weight;
    return sums;
  }
}
