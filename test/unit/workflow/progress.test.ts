import { describe, expect, it } from 'vitest';
import { readProgress } from '../../../src/renderer/src/lib/progress.ts';

describe('reading job progress for the Run screen', () => {
  it('takes the fraction from whichever budget ends first', () => {
    // 10 % of the iterations but 75 % of the time limit: the time limit sets the pace.
    const p = readProgress({ phase: 'training', iteration: 100, iterations: 1000, elapsedSeconds: 30, etaSeconds: 10, stepsPerSecond: 3.3, lossAverage: 12.5 });
    expect(p.fraction).toBeCloseTo(0.75, 12);
    expect(p.etaSeconds).toBe(10);
    expect(p.stepsPerSecond).toBe(3.3);
    expect(p.loss).toBe(12.5);
    expect(p.phase).toBe('training');
  });

  it('reads counts of other phases and kinds', () => {
    expect(readProgress({ phase: 'sampling', sampled: 250, total: 1000 }).fraction).toBe(0.25);
    expect(readProgress({ phase: 'forward', done: 3, total: 4 }).fraction).toBe(0.75);
    const chain = readProgress({ chain: 1, iteration: 500, iterations: 2000, iterationsPerSecond: 900, logScore: -10718.2 });
    expect(chain.fraction).toBe(0.25);
    expect(chain.stepsPerSecond).toBe(900);
    expect(chain.logScore).toBe(-10718.2);
  });

  it('decodes edge marginals sent as a typed array or as its JSON form, and ignores junk', () => {
    expect(readProgress({ edgeMarginals: new Float64Array([0, 0.5, 0.25, 0]) }).edgeMarginals).toEqual([0, 0.5, 0.25, 0]);
    expect(readProgress({ edgeMarginals: { 0: 0, 1: 0.5, 2: 0.25, 3: 0 } }).edgeMarginals).toEqual([0, 0.5, 0.25, 0]);
    expect(readProgress({ edgeMarginals: [0, 1, 2] }).edgeMarginals).toBeUndefined(); // not square
    expect(readProgress({ loss: NaN, iteration: 'x' }).loss).toBeUndefined();
    expect(readProgress(null).fraction).toBeUndefined();
  });
});
