import { describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/command.ts';
import { command as designCommand, parseQuery, type DesignJson } from '../../../src/cli/commands/design.ts';
import { commandLoader } from '../../../src/cli/registry.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;

async function run(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (t) => (stdout += t + '\n'), stderr: (t) => (stderr += t + '\n') });
  return { code, stdout, stderr };
}

describe('dagflow design', () => {
  it('is registered', async () => {
    expect((await commandLoader('design')!()).name).toBe('design');
  });

  it('ranks the given targets by expected gain, each with a standard error and a sentence', async () => {
    const r = await run(designCommand, [
      '--data',
      csv,
      '--exact',
      '--query',
      'effect:X0,X4',
      '--rows',
      '20',
      '--outer',
      '16',
      '--targets',
      'X1,X2,X3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as DesignJson;
    expect(out.ranking.map((g) => g.target).sort()).toEqual(['X1', 'X2', 'X3']);
    for (let k = 1; k < out.ranking.length; k++)
      expect(out.ranking[k - 1]!.expectedGain).toBeGreaterThanOrEqual(out.ranking[k]!.expectedGain);
    for (const g of out.ranking) {
      expect(g.standardError).toBeGreaterThan(0);
      expect(g.sentence).toContain(`do(${g.target}) with 20 rows`);
      expect(g.expectedUncertaintyAfter).toBeCloseTo(out.uncertaintyBefore - g.expectedGain, 12);
    }
    expect(out.source.kind).toBe('exact');
  });

  it('the same seed gives the same numbers; another seed other draws', async () => {
    const args = ['--data', csv, '--exact', '--query', 'edge:X0,X1', '--rows', '10', '--outer', '8', '--targets', 'X2', '--json'];
    const a = JSON.parse((await run(designCommand, args)).stdout) as DesignJson;
    const b = JSON.parse((await run(designCommand, args)).stdout) as DesignJson;
    const c = JSON.parse((await run(designCommand, [...args, '--seed', '2'])).stdout) as DesignJson;
    expect(b.ranking[0]!.expectedGain).toBe(a.ranking[0]!.expectedGain);
    expect(c.ranking[0]!.expectedGain).not.toBe(a.ranking[0]!.expectedGain);
  });

  it('parses queries and refuses bad ones by name', () => {
    const cols = ['A', 'B', 'C'];
    expect(parseQuery('edges', cols)).toEqual({ kind: 'edges' });
    expect(parseQuery('edge:A,C', cols)).toEqual({ kind: 'edge', from: 0, to: 2 });
    expect(parseQuery('effect:C,B', cols)).toEqual({ kind: 'effect', cause: 2, effect: 1 });
    expect(() => parseQuery('paths', cols)).toThrow(/unknown query "paths"/);
    expect(() => parseQuery('edge:A', cols)).toThrow(/needs two column names/);
    expect(() => parseQuery('edge:A,Z', cols)).toThrow(/"Z" is not a variable/);
    expect(() => parseQuery('effect:A,A', cols)).toThrow(/same variable twice/);
  });

  it('refuses a target that is not a column and a missing posterior', async () => {
    await expect(run(designCommand, ['--data', csv, '--exact', '--query', 'edges', '--rows', '5', '--targets', 'Q'])).rejects.toThrow(
      /"Q" is not a variable/,
    );
    await expect(run(designCommand, ['--data', csv, '--query', 'edges', '--rows', '5'])).rejects.toThrow(/say which posterior/);
    await expect(run(designCommand, ['--data', csv, '--exact', '--query', 'edges', '--rows', '0'])).rejects.toMatchObject({
      message: 'must be ≥ 1, got 0',
      location: { flag: '--rows' },
    });
  });
});
