/**
 * Exploration and learning-rate schedules as functions of training progress p ∈ [0, 1]
 * (the larger of the fraction of iterations done and the fraction of the time budget used).
 */
export interface ScheduleConfig {
  /** Iterations of pure uniform-random play before learning starts. */
  prefillIterations: number;
  epsilonStart: number;
  epsilonEnd: number;
  /** Fraction of training over which ε falls linearly from start to end (docs/architecture.md §2: ½). */
  epsilonDecayFraction: number;
  learningRate: number;
  /** Final learning rate; the rate decays geometrically from `learningRate` to it. */
  learningRateEnd: number;
}

export function epsilonAt(c: ScheduleConfig, progress: number): number {
  const f = c.epsilonDecayFraction > 0 ? Math.min(1, progress / c.epsilonDecayFraction) : 1;
  return c.epsilonStart + (c.epsilonEnd - c.epsilonStart) * f;
}

export function learningRateAt(c: ScheduleConfig, progress: number): number {
  const p = Math.min(1, Math.max(0, progress));
  return c.learningRate * Math.pow(c.learningRateEnd / c.learningRate, p);
}
