import { describe, expect, it } from 'vitest';
import { renderExport } from '../../../../src/gflownet/export/renderExport.ts';
import { emptySession } from '../../../../src/gflownet/session/schema.ts';
import { parseSession, resultsFromSessionRun, serializeSession, sessionRunSamples } from '../../../../src/gflownet/session/sessionFile.ts';
import type { PosteriorRunResult } from '../../../../src/jobs/kinds/posteriorResult.ts';
import { posteriorFromSessionRun, runResultsFromPosterior, sessionRunFromPosterior } from '../../../../src/app/session/appRuns.ts';
import type { RunSummaryView } from '../../../../src/shared/workflow.ts';

const variables = ['A', 'B', 'C'];
// three sampled DAGs: A→B; A→B, B→C; empty
const adjacency = new Uint8Array(27);
adjacency[1] = 1;
adjacency[9 + 1] = 1;
adjacency[9 + 5] = 1;
const sampled: PosteriorRunResult = {
  variables,
  edgeMarginals: Float64Array.from([0, 2 / 3, 0, 0, 0, 1 / 3, 0, 0, 0]),
  samples: { adjacency, logScores: Float64Array.from([-10.5, -11.25, -12]), count: 3 },
  diagnostics: { acceptanceRate: 0.25, note: 'two chains' },
  traces: [{ name: 'chain 1: log score', values: [-20, -15.5, -10.5] }],
  facts: [{ label: 'seconds', value: '1.2' }],
};
const summary: RunSummaryView = {
  runId: 'run-3',
  jobIds: ['job-7'],
  method: 'mc3',
  label: 'MC3 (2 chains)',
  datasetName: 'x.csv',
  variables,
  status: 'done',
  startedAt: 1700000000000,
  endedAt: 1700000001200,
  hasSamples: true,
  facts: [{ label: 'seconds', value: '1.2' }],
};
const settings = {
  model: { score: 'bge', prior: { kind: 'uniform' }, knowledge: { forbidden: [], required: [] } },
  sampler: { method: 'mc3', seed: 99, chains: 2 },
};

describe('app runs ⇄ session runs', () => {
  it('a sampled run survives save → reopen exactly (samples, marginals, diagnostics, traces, the run view, the seed)', () => {
    const run = sessionRunFromPosterior(summary, sampled, settings);
    expect(run.seed).toBe(99);
    // stored packed (version 2), read back as the same named edge lists
    expect(run.samples).toBeUndefined();
    expect(run.packedSamples?.count).toBe(3);
    expect(sessionRunSamples(run)).toEqual([
      { edges: [['A', 'B']], logScore: -10.5 },
      {
        edges: [
          ['A', 'B'],
          ['B', 'C'],
        ],
        logScore: -11.25,
      },
      { edges: [], logScore: -12 },
    ]);
    const reopened = parseSession(serializeSession({ ...emptySession(), runs: [run] })).session.runs[0]!;
    const back = posteriorFromSessionRun(reopened);
    expect(back.summary).toEqual(summary);
    expect(back.result).toEqual(sampled);
  });

  it('importance weights of a weighted sampler survive too (they were dropped before the packed form)', () => {
    const weighted: PosteriorRunResult = {
      ...sampled,
      samples: { ...sampled.samples!, logWeights: Float64Array.from([0.5, -1e-12, Math.PI]) },
    };
    const reopened = parseSession(serializeSession({ ...emptySession(), runs: [sessionRunFromPosterior(summary, weighted, settings)] }))
      .session.runs[0]!;
    expect(posteriorFromSessionRun(reopened).result).toEqual(weighted);
  });

  it('an exact run (marginals, ranked DAGs, log Z, no samples) too', () => {
    const exact: PosteriorRunResult = {
      variables,
      edgeMarginals: Float64Array.from([0, 0.1 + 0.2, 0.125, 0.7, 0, 0, 0, 1e-300, 0]),
      ranked: [{ edges: [[0, 1]], probability: 0.5, logScore: -3.25 }],
      logZ: -2.5,
      facts: [],
    };
    const exactSummary = { ...summary, method: 'exact' as const, hasSamples: false };
    const back = posteriorFromSessionRun(
      parseSession(serializeSession({ ...emptySession(), runs: [sessionRunFromPosterior(exactSummary, exact, {})] })).session.runs[0]!,
    );
    expect(back.result).toEqual(exact);
  });

  it('exports of the live run and of the reopened run are byte-identical', () => {
    const live = runResultsFromPosterior(summary, sampled);
    const reopened = resultsFromSessionRun(
      parseSession(serializeSession({ ...emptySession(), runs: [sessionRunFromPosterior(summary, sampled, settings)] })).session.runs[0]!,
      live.source,
    );
    for (const format of ['samples-jsonl', 'samples-csv', 'arc-strength', 'edge-marginals', 'graphml', 'dot'] as const) {
      const a = renderExport(live, format).content;
      const b = renderExport(reopened, format).content;
      const text = (c: unknown): string => (typeof c === 'string' ? c : [...(c as Iterable<string>)].join(''));
      expect(text(b), format).toBe(text(a));
    }
  });
});
