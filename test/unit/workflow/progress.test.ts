import { describe, expect, it } from 'vitest';
import { readProgress } from '../../../src/renderer/src/lib/progress.ts';

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

  it('leaves out what is not a number or not a square matrix', () => {
    const junk = readProgress({ kind: 'train', progress: { ...training, lossAverage: NaN, edgeMarginals: [0, 1, 2] } });
    expect([junk.loss, junk.edgeMarginals]).toEqual([undefined, undefined]);
    expect(readProgress({ kind: 'exact', progress: { phase: 'forward', done: 0, total: 0 } }).fraction).toBeUndefined();
  });
});
