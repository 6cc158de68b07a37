import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command as designCommand, type DesignJson } from '../../../src/cli/commands/design.ts';
import { poolData, pooledDataSpec } from '../../../src/gflownet/design/pool.ts';
import { readData } from '../../../src/gflownet/problem/load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-design-pool-'));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const lingauss = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await designCommand.run(args, { stdout: (t) => (stdout += t + '\n'), stderr: () => {} });
  return { code, stdout };
}

describe('pooling new interventional rows', () => {
  it('appends the new rows with their targets in an INT column the loader reads back', async () => {
    const old = write('old.csv', 'A,B,C\n1,2,3\n4,5,6\n');
    const fresh = write('new.csv', 'A,B,C,T\n7,8,9,2\n10,11,12,0\n');
    const pooled = await poolData({ path: old, options: {} }, { path: fresh, options: { interventionColumn: 'T' } }, 'bge');
    expect(pooled.csv).toBe('A,B,C,INT\n1,2,3,0\n4,5,6,0\n7,8,9,2\n10,11,12,0\n');
    expect(pooled.newTargets).toEqual({ observational: 1, perVariable: [0, 1, 0] });
    const file = write('pooled.csv', pooled.csv);
    const back = await readData(pooledDataSpec({ path: old, options: { standardize: false } }, file), 'bge');
    expect(Array.from(back.interventions!)).toEqual([0, 0, 2, 0]);
    expect(Array.from(back.continuous![2]!)).toEqual([3, 6, 9, 12]);
  });

  it('keeps discrete labels (quoted when they need it) and the old file’s own targets', async () => {
    const old = write('oldd.csv', 'X,Y,INT\nlow,"a,b",0\nhigh,c,1\n');
    const fresh = write('newd.csv', 'X,Y,INT\nhigh,"a,b",2\n');
    const pooled = await poolData(
      { path: old, options: { interventionColumn: 'INT' } },
      { path: fresh, options: { interventionColumn: 'INT' } },
      'bdeu',
    );
    expect(pooled.csv).toBe('X,Y,INT\nlow,"a,b",0\nhigh,c,1\nhigh,"a,b",2\n');
  });

  it('refuses new rows with other columns, naming them', async () => {
    const old = write('old2.csv', 'A,B\n1,2\n3,4\n');
    const fresh = write('new2.csv', 'A,C,INT\n1,2,1\n3,4,0\n');
    await expect(poolData({ path: old, options: {} }, { path: fresh, options: { interventionColumn: 'INT' } }, 'bge')).rejects.toThrow(
      /lack the variable B/,
    );
  });
});

describe('dagflow design --add-rows', () => {
  const lines = readFileSync(lingauss, 'utf8').trim().split('\n');
  const fresh = write('do-x2.csv', [lines[0] + ',INT', ...lines.slice(1, 31).map((l) => l + ',3')].join('\n') + '\n');

  it('recomputes the exact posterior on the pooled data, reports before/after and ranks the next experiment on it', async () => {
    const out = path.join(dir, 'pooled-exact.csv');
    const r = await run([
      '--data',
      lingauss,
      '--exact',
      '--query',
      'edges',
      '--rows',
      '10',
      '--outer',
      '4',
      '--add-rows',
      fresh,
      '--add-int-column',
      'INT',
      '--pooled-out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as DesignJson;
    expect(json.update!.updated).toBe(true);
    expect(json.update!.newRows).toBe(30);
    expect(json.update!.uncertaintyAfter!).toBeLessThan(json.update!.uncertaintyBefore!);
    expect(json.uncertaintyBefore).toBeCloseTo(json.update!.uncertaintyAfter!, 12);
    expect(json.update!.edges!.length).toBeGreaterThan(0);
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(132);
  });

  it('needs --pooled-out', async () => {
    await expect(
      run(['--data', lingauss, '--exact', '--query', 'edges', '--rows', '10', '--add-rows', fresh, '--add-int-column', 'INT']),
    ).rejects.toMatchObject({
      location: { flag: '--pooled-out' },
    });
  });
});
