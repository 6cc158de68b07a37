import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  edgeMarginalsFromSamples,
  formatEdgeMarginalsCsv,
  nodeNamesInSamples,
  parseEdgeMarginalsCsv,
  parsePosteriorSamples,
  readEdgeMarginalsCsv,
  readPosteriorSamplesFile,
  samplesToAdjacencies,
  writeEdgeMarginalsCsv,
  writePosteriorSamplesFile,
} from '../../../src/gflownet/samples/format.ts';

const records = [
  { edges: [['A', 'B'] as [string, string]], logScore: -10.5 },
  { edges: [['A', 'B'] as [string, string], ['B', 'C'] as [string, string]], logScore: -9.25 },
  { edges: [], logScore: -12 },
  { edges: [['C', 'A'] as [string, string]], logScore: -11 },
];

describe('posterior sample files (JSON Lines)', () => {
  it('round-trips through a file and gives edge marginals', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-samples-'));
    const file = path.join(dir, 'samples.jsonl');
    await writePosteriorSamplesFile(file, records);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('{"edges":[["A","B"]],"logScore":-10.5}');
    const back = await readPosteriorSamplesFile(file);
    expect(back).toEqual(records);
    expect(nodeNamesInSamples(back)).toEqual(['A', 'B', 'C']);
    const m = edgeMarginalsFromSamples(back, ['A', 'B', 'C']);
    expect(Array.from(m)).toEqual([0, 0.5, 0, 0, 0, 0.25, 0.25, 0, 0]);
  });

  it('says which line is wrong and why', () => {
    expect(() => parsePosteriorSamples('{"edges": [], "logScore": 1}\n{"edges": [["A"]], "logScore": 1}\n', 's.jsonl')).toThrow(
      /line 2: edge \["A"\] is not a pair/,
    );
    expect(() => parsePosteriorSamples('{"edges": [], "logScore": 1}\n{"edges": [', 's.jsonl')).toThrow(
      /line 2 is not valid JSON \(the file may be truncated\)/,
    );
    expect(() => parsePosteriorSamples('{"edges": []}', 's.jsonl')).toThrow(/line 1: "logScore" must be a finite number/);
    expect(() => parsePosteriorSamples('[1,2]', 's.jsonl')).toThrow(/line 1 is not a JSON object/);
    expect(() => parsePosteriorSamples('\n\n', 's.jsonl')).toThrow(/holds no samples/);
  });

  it('rejects unknown nodes, self-loops, repeated edges and cycles', () => {
    const cols = ['A', 'B', 'C'];
    expect(() => samplesToAdjacencies([{ edges: [['A', 'Z']], logScore: 0 }], cols)).toThrow(/sample 1 names node "Z"/);
    expect(() => samplesToAdjacencies([{ edges: [['A', 'A']], logScore: 0 }], cols)).toThrow(/self-loop/);
    expect(() =>
      samplesToAdjacencies(
        [
          {
            edges: [
              ['A', 'B'],
              ['A', 'B'],
            ],
            logScore: 0,
          },
        ],
        cols,
      ),
    ).toThrow(/twice/);
    expect(() =>
      samplesToAdjacencies(
        [
          { edges: [], logScore: 0 },
          {
            edges: [
              ['A', 'B'],
              ['B', 'C'],
              ['C', 'A'],
            ],
            logScore: 0,
          },
        ],
        cols,
      ),
    ).toThrow(/sample 2 is not acyclic/);
  });
});

describe('edge_marginals.csv', () => {
  it('writes an empty corner cell, the names, one row per parent, and reads it back exactly', async () => {
    const cols = ['A', 'B, with comma', 'C'];
    const m = Float64Array.from([0, 0.1, 1 / 3, 0.25, 0, 0.5, 0.75, 0.125, 0]);
    const text = formatEdgeMarginalsCsv(cols, m);
    expect(text.split('\n')[0]).toBe(',A,"B, with comma",C');
    expect(text.split('\n')[1]).toBe('A,0,0.1,0.3333333333333333');
    const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-marginals-'));
    const file = path.join(dir, 'edge_marginals.csv');
    await writeEdgeMarginalsCsv(file, cols, m);
    const back = await readEdgeMarginalsCsv(file);
    expect(back.columns).toEqual(cols);
    expect(Array.from(back.marginals)).toEqual(Array.from(m));
  });

  it('rejects a malformed table with the row and column', () => {
    expect(() => parseEdgeMarginalsCsv('x,A,B\nA,0,1\nB,0,0\n', 'm.csv')).toThrow(/must start with an empty cell/);
    expect(() => parseEdgeMarginalsCsv(',A,B\nA,0,1\n', 'm.csv')).toThrow(/must be square/);
    expect(() => parseEdgeMarginalsCsv(',A,B\nB,0,1\nA,0,0\n', 'm.csv')).toThrow(/rows must follow the column order/);
    expect(() => parseEdgeMarginalsCsv(',A,B\nA,0,1.5\nB,0,0\n', 'm.csv')).toThrow(/"1.5" is not a probability/);
    expect(() => parseEdgeMarginalsCsv(',A,B\nA,0\nB,0,0\n', 'm.csv')).toThrow(/expected 3 cells/);
  });
});
