import { describe, expect, it } from 'vitest';
import { problemSpecFor } from '../../../src/app/problemSpec.ts';
import type { ModelSpec } from '../../../src/shared/workflow.ts';

const data = { path: '/tmp/upload-1.csv', name: 'sachs.csv', options: { standardize: true } };

describe("the window's problem spec", () => {
  it('keeps only the options of the chosen score and prior (the Model screen remembers the others)', () => {
    const model: ModelSpec = {
      score: 'bge',
      mean: 'zero',
      ess: 1,
      alphaMu: 2,
      prior: { kind: 'uniform', edgesPerNode: 1, beta: 0.5 },
      knowledge: { forbidden: [[0, 1]], required: [] },
    };
    expect(problemSpecFor(data, model)).toEqual({
      data,
      score: { score: 'bge', alphaMu: 2, alphaW: undefined, mean: 'zero' },
      prior: { kind: 'uniform' },
      knowledge: { forbidden: { edges: [[0, 1]] }, required: { edges: [] } },
    });
    const discrete = problemSpecFor(data, {
      ...model,
      score: 'bdeu',
      prior: { kind: 'erdos-renyi', edgesPerNode: 2, beta: 0.5 },
      knowledge: { forbidden: [], required: [], maxParents: 3, tiers: [0, 1] },
    });
    expect(discrete.score).toEqual({ score: 'bdeu', ess: 1 });
    expect(discrete.prior).toEqual({ kind: 'erdos-renyi', edgesPerNode: 2 });
    expect(discrete.knowledge).toMatchObject({ maxParents: 3, tiers: { tiers: [0, 1] } });
  });
});
