import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../src/cli/commands/score.ts';
import { inCliWords } from '../../../src/cli/fieldFlags.ts';
import { userMessage } from '../../../src/gflownet/core/errors.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const sample = (name: string): string => path.join(root, 'samples', name);
const reference = (name: string): string => path.join(root, 'test', 'fixtures', 'reference', name);
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

interface ScoreJson {
  score: string;
  columns: string[];
  rows: number;
  total: number;
  nodes: Record<string, number>;
}

async function score(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  try {
    const code = await command.run(argv, { stdout: (t) => (stdout += t + '\n'), stderr: (t) => (stderr += t + '\n') });
    return { code, stdout, stderr };
  } catch (e) {
    return { code: 2, stdout, stderr: inCliWords(userMessage(e)) };
  }
}

async function scoreJson(...argv: string[]): Promise<ScoreJson> {
  const r = await score(...argv, '--json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as ScoreJson;
}

describe('dagflow score', () => {
  it('scores the Sachs truth with BGe on z-scored data as bnlearn does', async () => {
    const out = await scoreJson('--data', sample('sachs_obs_853.csv'), '--graph', sample('sachs_truth.csv'));
    expect(Object.keys(out)).toEqual(['score', 'columns', 'rows', 'total', 'nodes']);
    expect(out.score).toBe('bge');
    expect(out.rows).toBe(853);
    expect(out.total).toBeCloseTo(-10768.66069261679, 6); // golden-sachs_obs_853_std.json, truth
    const sum = Object.values(out.nodes).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(out.total, 9);
  });

  it('scores Asia with BDeu by default and honours --ess', async () => {
    const one = await scoreJson('--data', reference('asia_n1000.csv'), '--graph', reference('asia_truth.csv'));
    expect(one.score).toBe('bdeu');
    const ten = await scoreJson('--data', reference('asia_n1000.csv'), '--graph', reference('asia_truth.csv'), '--ess', '10');
    expect(one.total).not.toBe(ten.total);
  });

  it('scores the empty graph without --graph, raw data with --no-standardize', async () => {
    const out = await scoreJson('--data', reference('lingauss_d5_n100.csv'), '--no-standardize');
    expect(Math.abs(out.total - 148.567978055764) / 148.567978055764).toBeLessThan(1e-9); // lingauss_d5_n100.json empty_dag
  });

  it('reads numeric columns as discrete with --score bdeu and as continuous with --score bge', async () => {
    const data = sample('sachs_interventional_discrete_5400.csv');
    expect((await scoreJson('--data', data, '--score', 'bdeu')).score).toBe('bdeu');
    expect((await scoreJson('--data', data, '--score', 'bge')).score).toBe('bge');
    const r = await score('--data', reference('asia_n1000.csv'), '--score', 'bge');
    expect(r.stderr).toMatch(/row 2, column "asia": "no" is not a number .* BGe needs numbers/);
  });

  it('uses interventions from a sidecar file', async () => {
    const data = sample('sachs_interventional_discrete_5400.csv');
    const plain = await scoreJson('--data', data, '--graph', sample('sachs_truth.csv'));
    const withInt = await scoreJson(
      '--data',
      data,
      '--graph',
      sample('sachs_truth.csv'),
      '--int',
      sample('sachs_interventional_discrete_5400_INT.csv'),
    );
    expect(withInt.nodes.Raf).toBe(plain.nodes.Raf); // Raf is never intervened on
    expect(withInt.nodes.PKC).not.toBe(plain.nodes.PKC);
  });

  it('prints a readable table without --json and warnings on stderr', async () => {
    const file = write('withconst.csv', 'a,b,k\n1.5,2.5,1\n2.5,0.5,1\n3.5,1.5,1\n0.5,3.5,1\n');
    const r = await score('--data', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^BGe score of a graph with 0 edges on 2 variables, 4 rows\n {2}a {6}-\d+\.\d{6}\n {2}b {6}-\d+\.\d{6}\n {2}total {2}-\d+\.\d{6}\n$/,
    );
    expect(r.stderr).toBe('warning: column "k" is constant (every value is "1") and was excluded\n');
  });

  it('rejects an edge list with an unknown column or a cycle', async () => {
    const data = reference('asia_n1000.csv');
    const unknown = write('unknown.csv', 'from,to\nasia,tub\nsmoke,cancer\n');
    expect((await score('--data', data, '--graph', unknown)).stderr).toBe(
      `${unknown}, row 3, column "to": unknown node "cancer": the data has no column of that name — name variables by their column names: asia, tub, smoke, lung, bronc, either, xray, dysp`,
    );
    const cyclic = write('cyclic.csv', 'from,to\nasia,tub\ntub,either\neither,asia\nsmoke,lung\n');
    expect((await score('--data', data, '--graph', cyclic)).stderr).toBe(
      `${cyclic}: the edges form a cycle: asia → tub → either → asia — a DAG has no directed cycle; remove or reverse one of these edges`,
    );
  });

  it('checks the hyper-parameter ranges with flag-named errors', async () => {
    const cont = sample('sachs_obs_853.csv');
    expect((await score('--data', cont, '--alpha-mu', '0')).stderr).toBe('--alpha-mu: must be > 0, got 0');
    expect((await score('--data', cont, '--alpha-w', '12')).stderr).toMatch(/^--alpha-w: α_w must exceed d \+ 1 = 12 for 11 variables/);
    expect((await score('--data', reference('asia_n1000.csv'), '--ess', '-1')).stderr).toBe('--ess: must be > 0, got -1');
    expect((await score('--data', reference('asia_n1000.csv'), '--alpha-w', '20')).stderr).toMatch(/^--alpha-w: applies to BGe only/);
    expect((await score('--data', cont, '--ess', '2')).stderr).toMatch(/^--ess: applies to BDeu only/);
    expect((await score('--data', cont, '--type', 'Raf')).stderr).toBe('--type: expects NAME=continuous or NAME=discrete, got "Raf"');
  });
});
