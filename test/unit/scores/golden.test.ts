import { describe, expect, it } from 'vitest';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';
import { deltaScoreAdd, graphLocalScores, graphScore } from '../../../src/gflownet/scores/graphScore.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import { continuousReference, discreteReference, readReferenceJson, relClose } from './fixtures.ts';

/** Fails with the key and both values, at 1e-9 relative unless told otherwise. */
function expectRel(actual: number, expected: number, what: string, rel = 1e-9): void {
  if (!relClose(actual, expected, rel)) {
    throw new Error(
      `${what}: got ${actual}, expected ${expected} (relative error ${(Math.abs(actual - expected) / Math.abs(expected)).toExponential(2)})`,
    );
  }
}

function adjacencyFromMatrix(m: number[][]): Uint8Array {
  const d = m.length;
  const a = new Uint8Array(d * d);
  m.forEach((row, i) => row.forEach((v, j) => (a[i * d + j] = v ? 1 : 0)));
  return a;
}

interface Lingauss {
  score: { alpha_mu: number; alpha_w: number };
  local_scores: Array<{ node: number; parents: number[]; log_local_marginal_likelihood: number }>;
  true_dag: { adjacency: number[][]; log_marginal_likelihood: number; log_prior: Record<string, number> };
  empty_dag: { log_marginal_likelihood: number; log_prior: Record<string, number> };
  prior_tables: Record<string, number[]>;
  delta_scores_from_empty_uniform_prior: Array<Array<number | null>>;
  delta_score_examples: Array<{ target: number; parents_before: number[]; added_source: number; delta_log_local: number }>;
}

describe('BGe on lingauss_d5_n100 (raw data, ν = 0, α_μ = 1, α_w = d + 2)', () => {
  const ref = readReferenceJson<Lingauss>('lingauss_d5_n100.json');
  const data = continuousReference('lingauss_d5_n100.csv', false);
  const model = createScoreModel(data, { score: 'bge', alphaMu: ref.score.alpha_mu, alphaW: ref.score.alpha_w, mean: 'zero' });
  const d = 5;

  it('matches every listed local score', () => {
    expect(ref.local_scores.length).toBeGreaterThan(0);
    for (const { node, parents, log_local_marginal_likelihood } of ref.local_scores) {
      expectRel(model.localScore(node, parents), log_local_marginal_likelihood, `s_${node}(${parents})`);
    }
  });

  it('matches the true and empty graph scores', () => {
    expectRel(graphScore(model, adjacencyFromMatrix(ref.true_dag.adjacency)), ref.true_dag.log_marginal_likelihood, 'true DAG');
    expectRel(graphScore(model, new Uint8Array(d * d)), ref.empty_dag.log_marginal_likelihood, 'empty DAG');
  });

  it('matches the delta-score matrix from the empty graph and the delta examples', () => {
    const empty = new Uint8Array(d * d);
    let checked = 0;
    ref.delta_scores_from_empty_uniform_prior.forEach((row, i) =>
      row.forEach((value, j) => {
        if (value === null) return;
        // Deltas are differences of values ~100: compare at 1e-9 of the scores they come from.
        expect(Math.abs(deltaScoreAdd(model, empty, i, j) - value)).toBeLessThan(1e-9 * 300);
        checked++;
      }),
    );
    expect(checked).toBe(20);
    for (const ex of ref.delta_score_examples) {
      const adj = new Uint8Array(d * d);
      for (const p of ex.parents_before) adj[p * d + ex.target] = 1;
      expect(Math.abs(deltaScoreAdd(model, adj, ex.added_source, ex.target) - ex.delta_log_local)).toBeLessThan(1e-9 * 300);
    }
  });

  it('adds the prior tables into the reward (uniform, Erdős–Rényi, fair)', () => {
    const specs = { uniform: { kind: 'uniform' }, erdos_renyi: { kind: 'erdos-renyi', edgesPerNode: 1 }, fair: { kind: 'fair' } } as const;
    const truth = adjacencyFromMatrix(ref.true_dag.adjacency);
    for (const [key, spec] of Object.entries(specs)) {
      const table = structurePriorTable(d, spec);
      ref.prior_tables[key]!.forEach((v, k) => expect(Math.abs(table[k]! - v)).toBeLessThan(1e-12));
      const reward = createRewardModel(model, table);
      expectRel(reward.logReward(truth), ref.true_dag.log_marginal_likelihood + ref.true_dag.log_prior[key]!, `log R(truth) ${key}`);
      expectRel(
        reward.logReward(new Uint8Array(d * d)),
        ref.empty_dag.log_marginal_likelihood + ref.empty_dag.log_prior[key]!,
        `log R(empty) ${key}`,
      );
    }
  });
});

interface Golden {
  data: { columns: string[] };
  dags: Array<{
    name: string;
    parents: Record<string, string[]>;
    scores: Record<string, { total: number; by_node: Record<string, number> }>;
  }>;
}

function adjacencyFromParents(columns: string[], parents: Record<string, string[]>): Uint8Array {
  const d = columns.length;
  const a = new Uint8Array(d * d);
  for (const [child, ps] of Object.entries(parents)) for (const p of ps) a[columns.indexOf(p) * d + columns.indexOf(child)] = 1;
  return a;
}

function checkGolden(ref: Golden, model: ReturnType<typeof createScoreModel>, key: string): number {
  let checked = 0;
  for (const dag of ref.dags) {
    const adj = adjacencyFromParents(ref.data.columns, dag.parents);
    const expected = dag.scores[key]!;
    const local = graphLocalScores(model, adj);
    ref.data.columns.forEach((c, j) => {
      expectRel(local[j]!, expected.by_node[c]!, `${dag.name} ${key} ${c}`);
      checked++;
    });
    expectRel(graphScore(model, adj), expected.total, `${dag.name} ${key} total`);
    checked++;
  }
  return checked;
}

describe('BDeu on asia_n1000 against bnlearn', () => {
  const ref = readReferenceJson<Golden>('golden-asia_n1000.json');
  const data = discreteReference('asia_n1000.csv');
  it('has the columns and levels bnlearn saw', () => {
    expect(data.columns).toEqual(ref.data.columns);
    expect(data.discrete!.levels.every((l) => l.length === 2)).toBe(true);
  });
  for (const [key, ess] of [
    ['bde_iss1', 1],
    ['bdeu_iss1', 1],
    ['bde_iss10', 10],
  ] as const) {
    it(`matches ${key} totals and per-node scores for every DAG`, () => {
      expect(checkGolden(ref, createScoreModel(data, { score: 'bdeu', ess }), key)).toBe(ref.dags.length * 9);
    });
  }
});

describe('BGe on sachs_obs_853_std against bnlearn', () => {
  const ref = readReferenceJson<Golden>('golden-sachs_obs_853_std.json');
  for (const standardize of [false, true]) {
    for (const mean of ['zero', 'sample'] as const) {
      it(`matches totals and per-node scores (standardize ${standardize}, ν ${mean})`, () => {
        const data = continuousReference('sachs_obs_853_std.csv', standardize);
        const model = createScoreModel(data, { score: 'bge', mean });
        expect(checkGolden(ref, model, 'bge')).toBe(ref.dags.length * 12);
      });
    }
  }
});
