import { describe, expect, it } from 'vitest';
import { chainSecondsLeft, readProgress } from '../../../src/renderer/src/lib/progress.ts';

const training = {
  phase: 'training',
  iteration: 100,
  iterations: 1000,
  elapsedSeconds: 30,
  etaSeconds: 10,
  stepsPerSecond: 3.3,
  lossAverage: 12.5,
  epsilon: 0.5,
  replayFill: 0.2,
  edgeMarginals: [0, 0.5, 0.25, 0],
} as const;

describe('reading job progress for the Run screen', () => {
  it('takes the fraction from whichever budget ends first', () => {
    // 10 % of the iterations but 75 % of the time limit: the time limit sets the pace.
    const p = readProgress({ kind: 'train', progress: { ...training, edgeMarginals: [...training.edgeMarginals] } });
    expect(p.fraction).toBeCloseTo(0.75, 12);
    expect(p.etaSeconds).toBe(10);
    expect(p.stepsPerSecond).toBe(3.3);
    expect(p.loss).toBe(12.5);
    expect(p.phase).toBe('training');
    expect(p.edgeMarginals).toEqual([0, 0.5, 0.25, 0]);
  });

  it('reads each kind by its own fields', () => {
    expect(readProgress({ kind: 'train', progress: { phase: 'sampling', sampled: 250, total: 1000 } }).fraction).toBe(0.25);
    const reading = readProgress({ kind: 'train', progress: { phase: 'reading the data' } });
    expect([reading.phase, reading.fraction]).toEqual(['reading the data', undefined]);
    expect(readProgress({ kind: 'exact', progress: { phase: 'forward', done: 3, total: 4 } })).toMatchObject({
      fraction: 0.75,
      phase: 'forward',
    });
    expect(readProgress({ kind: 'inspect', progress: { bytesRead: 10, totalBytes: 40 } }).fraction).toBe(0.25);
    const chain = readProgress({
      kind: 'mcmc',
      progress: {
        chain: 1,
        phase: 'sampling',
        iteration: 500,
        iterations: 2000,
        elapsedSeconds: 1,
        iterationsPerSecond: 900,
        logScore: -10718.2,
        acceptanceRate: 0.1,
      },
    });
    expect(chain.fraction).toBe(0.25);
    expect(chain.stepsPerSecond).toBe(900);
    expect(chain.logScore).toBe(-10718.2);
    expect(chain.phase).toBeUndefined();
  });

  it('never puts an MCMC chain ETA past its own time limit (partition MCMC that spent its time on tables)', () => {
    // 50 s of a 60-s limit gone, most of it building parent-set tables: 1,000 of 1,000,000
    // iterations at 20 a second would be 13.9 hours by the iterations, and 10 s by the limit.
    const slow = {
      chain: 0,
      phase: 'sampling',
      iteration: 1000,
      iterations: 1_000_000,
      elapsedSeconds: 50,
      iterationsPerSecond: 20,
    } as const;
    const p = readProgress({ kind: 'mcmc', progress: { ...slow, logScore: -1, acceptanceRate: 0.2, timeLimitSeconds: 60 } });
    expect(p.etaSeconds).toBe(10);
    expect(p.fraction).toBeCloseTo(50 / 60, 12);
    // over the limit (the chain checks the clock every 128 iterations): nothing left, not a negative ETA
    expect(chainSecondsLeft({ ...slow, elapsedSeconds: 61, timeLimitSeconds: 60 })).toBe(0);
    // the iterations end first: their pace sets the ETA
    expect(chainSecondsLeft({ ...slow, iterations: 1200, timeLimitSeconds: 60 })).toBe(10);
    expect(chainSecondsLeft({ ...slow, iterations: 1100, timeLimitSeconds: 60 })).toBe(5);
    // no time limit: the iterations' pace; a time limit alone (no iteration budget): the limit
    expect(chainSecondsLeft(slow)).toBeCloseTo(999_000 / 20, 9);
    expect(chainSecondsLeft({ ...slow, iterations: Number.MAX_SAFE_INTEGER, timeLimitSeconds: 60 })).toBe(10);
    expect(chainSecondsLeft({ ...slow, iterationsPerSecond: 0 })).toBeUndefined();
    // every ETA over a whole time-limited run stays within the limit
    for (let t = 1; t <= 60; t++)
      expect(chainSecondsLeft({ ...slow, elapsedSeconds: t, iteration: t * 10, timeLimitSeconds: 60 })!).toBeLessThanOrEqual(60 - t);
  });

  it('leaves out what is not a number or not a square matrix', () => {
    const junk = readProgress({ kind: 'train', progress: { ...training, lossAverage: NaN, edgeMarginals: [0, 1, 2] } });
    expect([junk.loss, junk.edgeMarginals]).toEqual([undefined, undefined]);
    expect(readProgress({ kind: 'exact', progress: { phase: 'forward', done: 0, total: 0 } }).fraction).toBeUndefined();
  });
});
