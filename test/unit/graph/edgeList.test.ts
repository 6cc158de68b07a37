import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { readEdgeListCsv } from '../../../src/gflownet/graph/edgeList.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const columns = ['A', 'B', 'C'];

async function read(content: string): Promise<Array<[number, number]>> {
  const file = path.join(dir, `e${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, content);
  return readEdgeListCsv(file, columns);
}

async function message(content: string): Promise<string> {
  try {
    await read(content);
  } catch (e) {
    if (e instanceof DagflowError) return e.toUserMessage().replace(/^.*?\.csv/, 'FILE');
    throw e;
  }
  throw new Error('expected an error');
}

describe('readEdgeListCsv', () => {
  it('reads edges by column name, ignoring extra columns and spacing', async () => {
    expect(await read('from,to,weight\nA,B,0.5\n C , A ,1\n')).toEqual([
      [0, 1],
      [2, 0],
    ]);
    expect(await read('To;From\nB;A\n')).toEqual([[0, 1]]);
  });

  it('reads a header without rows as the empty graph', async () => {
    expect(await read('from,to\n')).toEqual([]);
  });

  it('rejects an unknown node, naming file, row and the columns', async () => {
    expect(await message('from,to\nA,B\nA,D\n')).toBe(
      'FILE, row 3, column "to": unknown node "D": the data has no column of that name — name variables by their column names: A, B, C',
    );
  });

  it('rejects self-loops and duplicate edges', async () => {
    expect(await message('from,to\nB,B\n')).toBe('FILE, row 2: self-loop B → B: a DAG has no edge from a node to itself — remove the row');
    expect(await message('from,to\nA,B\nC,B\nA,B\n')).toBe('FILE, row 4: duplicate edge A → B (first on row 2) — list each edge once');
  });

  it('rejects a file without from/to columns', async () => {
    expect(await message('source,target\nA,B\n')).toBe(
      'FILE, row 1: the edge list needs a header with columns "from" and "to" (found: source, target) — write one edge per row under a from,to header',
    );
  });
});
