/**
 * The one problem loader every caller uses (window, command line, server): the same spec gives
 * the same numbers whether the knowledge comes as index pairs (the window) or as CSV files by
 * column name (the command line), and contradictions are refused by name, with the setting's key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { loadProblem, loadSamplerProblem } from '../../../src/gflownet/problem/load.ts';
import type { ProblemSpec } from '../../../src/gflownet/problem/spec.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-problem-'));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function spec(knowledge: ProblemSpec['knowledge'], extra: Partial<ProblemSpec> = {}): ProblemSpec {
  return {
    data: { path: csv, name: 'lingauss.csv', options: { standardize: false } },
    score: { score: 'bge' },
    prior: { kind: 'uniform' },
    knowledge,
    ...extra,
  };
}

async function refusal(s: ProblemSpec): Promise<DagflowError> {
  const e = await loadProblem(s).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DagflowError);
  return e as DagflowError;
}

describe('loading a problem spec', () => {
  it('gives the same knowledge from index pairs and from files by column name', async () => {
    const byIndex = await loadProblem(
      spec({ forbidden: { edges: [[1, 3]] }, required: { edges: [[0, 1]] }, tiers: { tiers: [0, 0, 1, 1, 2] }, maxParents: 2 }),
    );
    const byFile = await loadProblem(
      spec({
        forbidden: { file: file('forbid.csv', 'from,to\nX1,X3\n') },
        required: { file: file('require.csv', 'from,to\nX0,X1\n') },
        tiers: { file: file('tiers.csv', 'node,tier\nX0,0\nX1,0\nX2,1\nX3,1\nX4,2\n') },
        maxParents: 2,
      }),
    );
    expect(byFile.knowledge).toEqual(byIndex.knowledge);
    expect(byIndex.knowledge).toEqual({ forbidden: [[1, 3]], required: [[0, 1]], maxParents: 2, tiers: [0, 0, 1, 1, 2] });
    expect(byIndex.scoreOptions.score).toBe('bge');
    expect(byIndex.reward.d).toBe(5);
  });

  it('refuses contradictory knowledge, naming the edges and the setting', async () => {
    const both = await refusal(spec({ forbidden: { edges: [[0, 1]] }, required: { edges: [[0, 1]] } }));
    expect(both.message).toBe('X0 → X1 is both required and forbidden');
    expect(both.location.field).toBe('knowledge.required');
    const cycle = await refusal(
      spec({
        required: {
          edges: [
            [0, 1],
            [1, 2],
            [2, 0],
          ],
        },
      }),
    );
    expect(cycle.message).toBe('the required edges form a cycle: X0 → X1 → X2 → X0');
    const backwards = await refusal(spec({ required: { edges: [[3, 0]] }, tiers: { tiers: [0, 0, 1, 1, 2] } }));
    expect(backwards.message).toMatch(/^X3 → X0 \(tier 1 → 0\) goes from a later tier to an earlier one, which the tiers forbid$/);
    const bound = await refusal(
      spec({
        required: {
          edges: [
            [0, 2],
            [1, 2],
          ],
        },
        maxParents: 1,
      }),
    );
    expect(bound.message).toBe('X2 has 2 required parents but {{knowledge.maxParents}} is 1');
    expect(bound.location.field).toBe('knowledge.maxParents');
    const outside = await refusal(spec({ required: { edges: [[0, 7]] } }));
    expect(outside.message).toBe('a required edge refers to variable 8, but the data set has 5 variables');
    expect((await refusal(spec({ tiers: { tiers: [0, 1] } }))).location.field).toBe('knowledge.tiers');
  });

  it('refuses a score option of the other score and a prior option of another prior', async () => {
    expect((await refusal(spec({}, { score: { score: 'bge', ess: 2 } }))).location.field).toBe('score.ess');
    expect((await refusal(spec({}, { score: { score: 'bdeu', alphaMu: 2 } }))).location.field).toBe('score.alphaMu');
    expect((await refusal(spec({}, { prior: { kind: 'uniform', beta: 0.5 } }))).location.field).toBe('prior.beta');
  });

  it('names an uploaded file as the user named it, never by its temporary path', async () => {
    const copy = file('upload-3f2a.csv', 'a,b\n1,x\n');
    const e = (await loadProblem({ ...spec({}), data: { path: copy, name: 'mine.csv', options: {} } }).catch(
      (x: unknown) => x,
    )) as DagflowError;
    expect(e.location.file).toBe('mine.csv');
    expect(e.toUserMessage()).not.toContain('upload-3f2a');
  });

  it('refuses a data set with one variable for a sampler, before reading the knowledge', async () => {
    const one = file('one.csv', 'a\n1\n2\n3\n');
    const e = (await loadSamplerProblem({
      ...spec({ required: { file: path.join(dir, 'absent.csv') } }),
      data: { path: one, options: {} },
    }).catch((x: unknown) => x)) as DagflowError;
    expect(e.code).toBe('TOO_FEW_COLUMNS');
  });
});
