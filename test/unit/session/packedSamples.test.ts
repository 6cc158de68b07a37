import { describe, expect, it } from 'vitest';
import {
  packSampleMatrices,
  packSampleRecords,
  unpackSampleMatrices,
  unpackSampleRecords,
  type PackedSamples,
} from '../../../src/gflownet/session/packedSamples.ts';
import { emptySession, SessionError, type SessionRun } from '../../../src/gflownet/session/schema.ts';
import { parseSession, serializeSession } from '../../../src/gflownet/session/sessionFile.ts';

const columns = ['A', 'B', 'C'];
const records = [
  { edges: [['A', 'B']] as Array<[string, string]>, logScore: -10.25 },
  { edges: [['A', 'B']] as Array<[string, string]>, logScore: -10.25 },
  {
    edges: [
      ['A', 'B'],
      ['C', 'B'],
    ] as Array<[string, string]>,
    logScore: -9.5,
  },
  { edges: [['B', 'C']] as Array<[string, string]>, logScore: -12 },
  { edges: [] as Array<[string, string]>, logScore: -0.1 },
];

function runWith(packed: PackedSamples): SessionRun {
  return { id: 'r', method: 'mc3', columns, settings: {}, summary: {}, packedSamples: packed };
}

function problemOf(packed: PackedSamples): string {
  try {
    parseSession(JSON.stringify({ ...emptySession(), runs: [runWith(packed)] }));
  } catch (e) {
    expect(e).toBeInstanceOf(SessionError);
    return (e as SessionError).message;
  }
  throw new Error('the damaged session was accepted');
}

describe('packed samples', () => {
  it('give back the named samples, in row-major order, through a saved session', () => {
    const packed = packSampleRecords(records, columns);
    // codes A→B 1, B→C 5, C→B 7. Per sample `2n + mode`, then gaps: [A→B]; unchanged; +C→B as a change;
    // [B→C] as a list (1 code, not 3 changes); the empty DAG as a list of none.
    const bytes = Buffer.from(packed.graphs, 'base64');
    expect([...bytes]).toEqual([2, 1, 1, 3, 7, 2, 5, 0]);
    const reopened = parseSession(serializeSession({ ...emptySession(), runs: [runWith(packed)] })).session.runs[0]!;
    expect(unpackSampleRecords(reopened.packedSamples!, columns)).toEqual(records.map((r) => ({ ...r, edges: [...r.edges].sort() })));
  });

  it('a named sample with a node the run does not have is refused by name, not packed as something else', () => {
    expect(() => packSampleRecords([...records, { edges: [['A', 'Z']], logScore: 0 }], columns)).toThrow(
      /sample 6 names node "Z", which is not among the run's columns \(A, B, C\)/,
    );
  });

  it('matrices round-trip bit for bit, weights included', () => {
    const d = 3;
    const adjacency = Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const samples = { adjacency, logScores: Float64Array.from([-1e-300, 5e300]), logWeights: Float64Array.from([-0, 0.1 + 0.2]), count: 2 };
    expect(unpackSampleMatrices(packSampleMatrices(samples, d), d)).toEqual(samples);
  });

  it('a damaged stream is refused with where and what, before anything is built from it', () => {
    const good = packSampleRecords(records, columns);
    const graphs = Buffer.from(good.graphs, 'base64');
    expect(problemOf({ ...good, graphs: graphs.subarray(0, graphs.length - 1).toString('base64') })).toMatch(
      /^runs\[0\]\.packedSamples\.graphs: sample 4: the stream ends or is damaged/,
    );
    expect(problemOf({ ...good, graphs: Buffer.from([2, 9]).toString('base64'), count: 1 })).toMatch(
      /packedSamples\.graphs: sample 0: edge code 9 is beyond the 9 pairs of the run's columns/,
    );
    expect(problemOf({ ...good, graphs: Buffer.from([1]).toString('base64'), count: 1 })).toMatch(/sample 0: listed as a change/);
    expect(problemOf({ ...good, count: 4 })).toMatch(/packedSamples\.graphs: 1 bytes after the last of the 4 samples/);
    expect(problemOf({ ...good, graphs: `${good.graphs}!` })).toMatch(/packedSamples\.graphs: is not base64/);
    expect(problemOf({ ...good, logScores: Buffer.alloc(8).toString('base64') })).toMatch(
      /packedSamples\.logScores: expected 5 float64 numbers \(40 bytes\), found 8 bytes/,
    );
    const withNaN = Buffer.alloc(40);
    withNaN.writeDoubleLE(Number.NaN, 16);
    expect(problemOf({ ...good, logWeights: withNaN.toString('base64') })).toMatch(
      /packedSamples\.logWeights: sample 2: expected a finite number, found NaN/,
    );
    expect(problemOf({ ...good, encoding: 'zip' as PackedSamples['encoding'] })).toMatch(
      /packedSamples\.encoding: expected "edge-code-varint-v1"/,
    );
    expect(() => parseSession(JSON.stringify({ ...emptySession(), runs: [{ ...runWith(good), samples: records }] }))).toThrow(
      /runs\[0\]\.packedSamples: a run has "samples" or "packedSamples", not both/,
    );
  });
});
