/**
 * Each running job's edge-marginal estimates over time, for the Run screen's live figure: one
 * snapshot at most every `interval` seconds, at most MAX_SNAPSHOTS per job (when full, every
 * other snapshot goes and the interval doubles, so a long run keeps its whole history at a
 * coarser grain). The matrices are plain typed arrays outside Svelte's deep state; `version`
 * tells the figure that something changed.
 */
const MAX_SNAPSHOTS = 240;

export interface Snapshot {
  /** Receipt time, ms since the epoch. */
  at: number;
  m: Float32Array;
}

interface Track {
  interval: number;
  snapshots: Snapshot[];
}

class MarginalHistory {
  version = $state(0);
  private readonly tracks = new Map<string, Track>();

  record(jobId: string, marginals: readonly number[], at = Date.now()): void {
    let track = this.tracks.get(jobId);
    if (!track) {
      track = { interval: 1000, snapshots: [] };
      this.tracks.set(jobId, track);
    }
    const last = track.snapshots.at(-1);
    if (last && at - last.at < track.interval) return;
    track.snapshots.push({ at, m: Float32Array.from(marginals) });
    if (track.snapshots.length > MAX_SNAPSHOTS) {
      track.snapshots = track.snapshots.filter((_, k) => k % 2 === 0);
      track.interval *= 2;
    }
    this.version++;
  }

  of(jobId: string): readonly Snapshot[] {
    return this.tracks.get(jobId)?.snapshots ?? [];
  }
}

export const marginalHistory = new MarginalHistory();
