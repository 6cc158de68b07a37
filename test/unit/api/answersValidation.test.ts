import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../../src/shared/apiValidation.ts';

describe('getAnswers requests', () => {
  it('accepts a run with a cause and effect, what-if edges and a hypothesis', () => {
    const request = { runId: 'run-2', cause: 8, effect: 9, forbidden: [[9, 8]], required: [], hypothesis: [[8, 9]], seed: 3 };
    expect(validateRequest('getAnswers', request)).toEqual(request);
    expect(validateRequest('getAnswers', { runId: 'run-1' })).toEqual({ runId: 'run-1' });
  });

  it.each([
    [{ runId: 'run-1', cause: 1 }, /both a cause and an effect/],
    [{ runId: 'run-1', cause: 1, effect: 1 }, /same variable/],
    [{ runId: 'run-1', forbidden: [[2, 2]] }, /self-loop/],
    [{ runId: 'run-1', hypothesis: [[0, 1, 2]] }, /pair/],
    [{ runId: 'run-1', cause: -1, effect: 2 }, /cause/],
    [{ runId: '../etc', cause: 0, effect: 1 }, /runId/],
    [{ runId: 'run-1', extra: true }, /extra|unexpected|not allowed|key/i],
  ])('refuses %j', (request, message) => {
    expect(() => validateRequest('getAnswers', request)).toThrow(message);
  });
});
