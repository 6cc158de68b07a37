import { describe, expect, it } from 'vitest';
import { runPosterior } from '../../../src/gflownet/causal/runPosterior.ts';
import { renderExport } from '../../../src/gflownet/export/renderExport.ts';
import type { RunResults } from '../../../src/gflownet/export/runDirectory.ts';
import { writeDagitty } from '../../../src/gflownet/graphio/dagitty.ts';

describe('a run as a weighted posterior', () => {
  const base = {
    source: 'x',
    columns: ['A', 'B'],
    samples: [
      { edges: [['A', 'B']] as Array<[string, string]>, logScore: -1 },
      { edges: [], logScore: -2 },
    ],
    marginals: new Float64Array(4),
    marginalsFrom: 'samples.jsonl' as const,
  };
  it('MCMC without chain lengths (a window run) is one chain; a GFlowNet run is independent draws', () => {
    expect(runPosterior({ ...base, summary: { method: 'mc3' } }).posterior.kind).toBe('chains');
    expect(
      runPosterior({ ...base, summary: { method: 'mc3', diagnostics: { keptSamplesPerChain: [1, 1] } } }).posterior.chainLengths,
    ).toEqual([1, 1]);
    expect(runPosterior({ ...base, summary: { method: 'gflownet' } }).posterior.kind).toBe('independent');
  });
});

describe('exports of the causal answers', () => {
  it('DAGitty: plain names as they are, others quoted, impossible names refused', () => {
    expect(writeDagitty({ nodes: ['A', 'blood pressure'], edges: [{ from: 'A', to: 'blood pressure', probability: 0.9 }] })).toBe(
      'dag {\nA\n"blood pressure"\nA -> "blood pressure"\n}\n',
    );
    expect(() => writeDagitty({ nodes: ['say "hi"'], edges: [] })).toThrow(/DAGitty cannot hold/);
  });

  it('causal-features: one row per ordered pair with probabilities and standard errors of the samples', () => {
    const run: RunResults = {
      source: 'in-memory',
      columns: ['A', 'B', 'C'],
      summary: {},
      samples: [
        {
          edges: [
            ['A', 'B'],
            ['B', 'C'],
          ],
          logScore: -1,
        },
        { edges: [['A', 'B']], logScore: -2 },
        { edges: [], logScore: -3 },
        { edges: [['B', 'A']], logScore: -4 },
      ],
      marginals: new Float64Array(9),
      marginalsFrom: 'samples.jsonl',
    };
    const text = renderExport(run, 'causal-features').content as string;
    const rows = text.trim().split('\n');
    expect(rows[0]).toBe('from,to,edge,edge_se,path,path_se,markov_blanket,markov_blanket_se,adjacent,adjacent_se');
    expect(rows.length).toBe(1 + 6);
    const ac = rows
      .find((r) => r.startsWith('A,C,'))!
      .split(',')
      .map(Number);
    // A ⇝ C in one sample of four; A and C are never adjacent but share the blanket once (A → B → C: no; co-parents: no).
    expect(ac[4]).toBe(0.25);
    expect(ac[5]).toBeCloseTo(Math.sqrt((0.25 * 0.75) / 4), 12);
    const ab = rows
      .find((r) => r.startsWith('A,B,'))!
      .split(',')
      .map(Number);
    expect(ab[2]).toBe(0.5);
    expect(ab[8]).toBe(0.75);
  });
});
