import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import type { Dataset } from '../../../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';
import { findCycle } from '../../../src/gflownet/graph/dag.ts';
import { createBdeuScore } from '../../../src/gflownet/scores/bdeu.ts';
import { createBgeScore } from '../../../src/gflownet/scores/bge.ts';
import { deltaScoreAdd, graphScore, parentList } from '../../../src/gflownet/scores/graphScore.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel, type ScoreOptions } from '../../../src/gflownet/scores/scoreModel.ts';
import { randomContinuous, randomDag, randomDiscrete } from './randomProblems.ts';

const RUNS = 25;
const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** The score kinds the properties run over: BGe with both prior means, BDeu with two ESS. */
const kinds: Array<{ label: string; options: ScoreOptions; data: (rng: Rng, interventional: boolean) => Dataset }> = [
  {
    label: 'BGe ν = 0',
    options: { score: 'bge', mean: 'zero' },
    data: (rng, i) => randomContinuous(rng, 3 + rng.int(4), 30 + rng.int(150), i),
  },
  {
    label: 'BGe ν = sample mean',
    options: { score: 'bge', mean: 'sample', alphaMu: 2.5 },
    data: (rng, i) => randomContinuous(rng, 3 + rng.int(4), 30 + rng.int(150), i),
  },
  { label: 'BDeu ESS 1', options: { score: 'bdeu', ess: 1 }, data: (rng, i) => randomDiscrete(rng, 3 + rng.int(4), 30 + rng.int(300), i) },
  {
    label: 'BDeu ESS 7.5',
    options: { score: 'bdeu', ess: 7.5 },
    data: (rng, i) => randomDiscrete(rng, 3 + rng.int(4), 30 + rng.int(300), i),
  },
];

function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Makes a random edge i → j of a random DAG covered (Pa(j) = Pa(i) ∪ {i}) and returns it, or null. */
function withCoveredEdge(rng: Rng, d: number): { adj: Uint8Array; i: number; j: number } | null {
  const adj = randomDag(rng, d, 0.6);
  const edges: Array<[number, number]> = [];
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) if (adj[a * d + b]) edges.push([a, b]);
  if (edges.length === 0) return null;
  const [i, j] = edges[rng.int(edges.length)]!;
  // Pa(i) precede i, which precedes j, in the DAG's order, so this stays acyclic.
  for (let a = 0; a < d; a++) adj[a * d + j] = a === i || adj[a * d + i] ? 1 : 0;
  return { adj, i, j };
}

describe.each(kinds)('$label', ({ options, data }) => {
  it('gives a DAG and the DAG with a covered edge reversed the same score', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const rng = new Rng(seed);
        const ds = data(rng, false);
        const d = ds.columns.length;
        const model = createScoreModel(ds, options);
        const g = withCoveredEdge(rng, d);
        if (!g) return true;
        const reversed = Uint8Array.from(g.adj);
        reversed[g.i * d + g.j] = 0;
        reversed[g.j * d + g.i] = 1;
        expect(findCycle(reversed, d)).toBeNull();
        const a = graphScore(model, g.adj);
        const b = graphScore(model, reversed);
        return close(a, b);
      }),
      { numRuns: RUNS },
    );
  });

  it('has delta-scores (and delta log-rewards) equal to differences of whole-graph scores', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const rng = new Rng(seed);
        const ds = data(rng, rng.next() < 0.5);
        const d = ds.columns.length;
        const model = createScoreModel(ds, options);
        const reward = createRewardModel(model, structurePriorTable(d, { kind: 'erdos-renyi', edgesPerNode: 0.5 }));
        const adj = randomDag(rng, d, 0.3);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++) {
            if (i === j || adj[i * d + j]) continue;
            const next = Uint8Array.from(adj);
            next[i * d + j] = 1;
            if (findCycle(next, d)) continue;
            const whole = graphScore(model, next) - graphScore(model, adj);
            if (!close(deltaScoreAdd(model, adj, i, j), whole, 1e-9)) return false;
            if (!close(reward.deltaLogReward(adj, i, j), reward.logReward(next) - reward.logReward(adj), 1e-9)) return false;
          }
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('scores node j of interventional data exactly as the rows where j was not intervened on', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const rng = new Rng(seed);
        const ds = data(rng, true);
        const d = ds.columns.length;
        const model = createScoreModel(ds, options);
        const adj = randomDag(rng, d, 0.5);
        for (let j = 0; j < d; j++) {
          const filtered = createScoreModel(rowsWithout(ds, j + 1), options);
          const parents = parentList(adj, d, j);
          if (!close(model.localScore(j, parents), filtered.localScore(j, parents), 1e-11)) return false;
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('returns identical values from the cache and from the uncached score, and counts hits and misses', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const rng = new Rng(seed);
        const ds = data(rng, rng.next() < 0.5);
        const d = ds.columns.length;
        const cached = createScoreModel(ds, options);
        const uncached = options.score === 'bge' ? createBgeScore(ds, options) : createBdeuScore(ds, options);
        const asked = new Set<string>();
        let calls = 0;
        for (let q = 0; q < 60; q++) {
          const j = rng.int(d);
          const parents = Array.from({ length: d }, (_, i) => i).filter((i) => i !== j && rng.next() < 0.4);
          asked.add(`${j}:${parents}`);
          calls++;
          if (cached.localScore(j, parents) !== uncached.localScore(j, parents)) return false;
        }
        const stats = cached.cacheStats();
        return stats.misses === asked.size && stats.size === asked.size && stats.hits === calls - asked.size;
      }),
      { numRuns: RUNS },
    );
  });
});

/** The same data without the rows whose target is `target`, and with no interventions. */
function rowsWithout(ds: Dataset, target: number): Dataset {
  const keep: number[] = [];
  for (let r = 0; r < ds.rows; r++) if (ds.interventions![r] !== target) keep.push(r);
  if (ds.kind === 'continuous') {
    return datasetFromColumns({ names: ds.columns, continuous: ds.continuous!.map((c) => keep.map((r) => c[r]!)), standardize: false });
  }
  const { codes, levels } = ds.discrete!;
  return datasetFromColumns({ names: ds.columns, discrete: codes.map((c, j) => keep.map((r) => levels[j]![c[r]!]!)), levels });
}

describe('cache bookkeeping', () => {
  it('clears and refuses invalid parent sets without caching them', () => {
    const ds = randomContinuous(new Rng(5), 4, 50, false);
    const model = createScoreModel(ds, { score: 'bge' });
    model.localScore(0, [1, 2]);
    model.localScore(0, [1, 2]);
    expect(model.cacheStats()).toEqual({ hits: 1, misses: 1, size: 1 });
    expect(() => model.localScore(0, [2, 1])).toThrow(/ascending/);
    expect(() => model.localScore(0, [0])).toThrow(/other than the node/);
    expect(model.cacheStats().size).toBe(1);
    model.clearCache();
    expect(model.cacheStats()).toEqual({ hits: 0, misses: 0, size: 0 });
  });
});
