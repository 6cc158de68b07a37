/**
 * `--tiers FILE.csv` on the commands that take prior knowledge: the exact posterior puts no
 * mass on an edge from a later tier to an earlier one and equals the posterior with those
 * edges forbidden; MCMC never samples one, in process and in worker threads; every mistake in
 * the file is exit 2 with one line naming it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as exactCommand, type ExactJson } from '../../../src/cli/commands/exact.ts';
import { command as mcmcCommand, type McmcSummaryJson } from '../../../src/cli/commands/mcmc.ts';
import { parseEdgeMarginalsCsv, parsePosteriorSamples } from '../../../src/gflownet/samples/format.ts';
import { runCommand } from '../support/runCommand.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-tiers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

const columns = ['X0', 'X1', 'X2', 'X3', 'X4'];
// Two tiers of two and one of one, so that edges inside a tier stay allowed both ways.
const tierOf: Record<string, number> = { X0: 0, X1: 0, X2: 1, X3: 2, X4: 2 };
const tiersCsv = write('tiers.csv', `node,tier\n${columns.map((c) => `${c},${tierOf[c]}`).join('\n')}\n`);
const backward: Array<[number, number]> = [];
for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) if (tierOf[columns[i]!]! > tierOf[columns[j]!]!) backward.push([i, j]);

async function exactJson(...args: string[]): Promise<ExactJson> {
  const r = await runCommand(exactCommand, '--data', csv, '--no-standardize', '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ExactJson;
}

describe('dagflow exact --tiers', () => {
  it('gives every later → earlier edge probability exactly 0 and equals the posterior with those edges forbidden', async () => {
    const free = await exactJson();
    const tiered = await exactJson('--tiers', tiersCsv);
    const forbid = write('backward.csv', `from,to\n${backward.map(([i, j]) => `${columns[i]},${columns[j]}`).join('\n')}\n`);
    const forbidden = await exactJson('--forbid', forbid);

    expect(backward).toHaveLength(8);
    // Without tiers these edges carry real mass, so a run that ignored the file would fail here.
    expect(Math.max(...backward.map(([i, j]) => free.edgeMarginals[i]![j]!))).toBeGreaterThan(0.3);
    for (const [i, j] of backward) expect(tiered.edgeMarginals[i]![j], `${columns[i]} → ${columns[j]}`).toBe(0);
    expect(tiered.logZ).toBeLessThan(free.logZ);

    const total = tiered.edgeMarginals.flat().reduce((s, p) => s + p, 0);
    expect(Math.abs(total - tiered.expectedEdges)).toBeLessThan(1e-9);
    expect(tiered.numDags).toBe(forbidden.numDags);
    expect(Math.abs(tiered.logZ - forbidden.logZ)).toBeLessThan(1e-9);
    tiered.edgeMarginals.forEach((row, i) =>
      row.forEach((p, j) => expect(Math.abs(p - forbidden.edgeMarginals[i]![j]!)).toBeLessThan(1e-12)),
    );
    // Inside a tier both directions stay possible.
    expect(tiered.edgeMarginals[0]![1]).toBeGreaterThan(0);
    expect(tiered.edgeMarginals[1]![0]).toBeGreaterThan(0);

    const dp = await exactJson('--tiers', tiersCsv, '--method', 'dp');
    expect(Math.abs(dp.logZ - tiered.logZ)).toBeLessThan(1e-9);
    for (const [i, j] of backward) expect(dp.edgeMarginals[i]![j]).toBe(0);
  });

  it('takes a forbidden later → earlier edge and a required forward edge alongside the tiers', async () => {
    const forbid = write('forbid-backward.csv', 'from,to\nX4,X0\n');
    const require = write('require-forward.csv', 'from,to\nX0,X3\n');
    const out = await exactJson('--tiers', tiersCsv, '--forbid', forbid, '--require', require);
    expect(Math.abs(out.edgeMarginals[0]![3]! - 1)).toBeLessThan(1e-12);
    for (const [i, j] of backward) expect(out.edgeMarginals[i]![j]).toBe(0);
  });

  const rows = (lines: string[]): string => `node,tier\n${lines.join('\n')}\n`;
  const all = columns.map((c) => `${c},${tierOf[c]}`);
  it.each([
    ['an unknown node', rows([...all, 'Q,1']), /row 7, column "node": unknown node "Q": the data has no column of that name/],
    ['a duplicate node', rows([...all, 'X2,2']), /row 7: X2 is listed twice \(first on row 4\)/],
    ['missing nodes', rows(all.slice(0, 3)), /: no tier for X3, X4 — list every data column once/],
    ['a header and no rows', 'node,tier\n', /: no tier for X0, X1, X2, X3, X4 — /],
    ['a fractional tier', rows([...all.slice(0, 4), 'X4,1.5']), /row 6, column "tier": the tier of X4 is "1.5", not a whole number ≥ 0/],
    ['a negative tier', rows(['X0,-1', ...all.slice(1)]), /row 2, column "tier": the tier of X0 is "-1", not a whole number ≥ 0/],
    ['an empty tier', rows([...all.slice(0, 4), 'X4,']), /row 6, column "tier": the tier of X4 is "", not a whole number ≥ 0/],
    [
      'a bad header',
      `name,level\n${all.join('\n')}\n`,
      /row 1: the tiers file needs a header with columns "node" and "tier" \(found: name, level\)/,
    ],
  ])('rejects %s with exit code 2 and one line naming the file', async (_what, text, message) => {
    const file = write(`bad-${_what.replaceAll(' ', '-')}.csv`, text);
    const r = await runCommand(exactCommand, '--data', csv, '--tiers', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`${file}, `) || r.stderr.startsWith(`${file}: `)).toBe(true);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('\n');
  });

  it('rejects a required edge from a later tier to an earlier one, naming the edge', async () => {
    const require = write('require-backward.csv', 'from,to\nX0,X1\nX3,X0\n');
    const r = await runCommand(exactCommand, '--data', csv, '--tiers', tiersCsv, '--require', require);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/X3 → X0 \(tier 2 → 0\) goes from a later tier to an earlier one/);
    expect(r.stderr).toContain(require);
    expect(r.stderr).toContain('--require');
    expect(r.stderr).not.toContain('X0 → X1');
  });
});

describe('dagflow mcmc --tiers', () => {
  const allowedEverywhere = async (out: string): Promise<void> => {
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as McmcSummaryJson;
    const samples = parsePosteriorSamples(readFileSync(path.join(out, 'samples.jsonl'), 'utf8'), 'samples.jsonl');
    expect(samples.length).toBeGreaterThan(100);
    const against = samples.flatMap((s) => s.edges.filter(([a, b]) => tierOf[a]! > tierOf[b]!));
    expect(against).toEqual([]);
    // The chains did move: some edges were sampled, inside tiers and forward.
    expect(samples.some((s) => s.edges.length > 0)).toBe(true);
    const table = parseEdgeMarginalsCsv(readFileSync(path.join(out, 'edge_marginals.csv'), 'utf8'), 'edge_marginals.csv');
    for (const [i, j] of backward) expect(table.marginals[i * 5 + j]).toBe(0);
    expect(summary.exact).toBeDefined();
  };

  it.each(['mc3', 'order', 'partition'])('never samples a later → earlier edge (%s, in process)', async (method) => {
    const out = path.join(dir, `mcmc-${method}`);
    const r = await runCommand(
      mcmcCommand,
      '--data',
      csv,
      '--no-standardize',
      '--tiers',
      tiersCsv,
      '--method',
      method,
      '--iterations',
      '3000',
      '--chains',
      '2',
      '--thin',
      '5',
      '--seed',
      '2',
      '--out',
      out,
      '--no-workers',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await allowedEverywhere(out);
  });

  it('passes the tiers to the chains in worker threads (given as a relative path)', async () => {
    const out = path.join(dir, 'mcmc-workers');
    const relative = path.relative(process.cwd(), tiersCsv);
    expect(path.isAbsolute(relative)).toBe(false);
    const r = await runCommand(
      mcmcCommand,
      '--data',
      csv,
      '--no-standardize',
      '--tiers',
      relative,
      '--method',
      'mc3',
      '--iterations',
      '3000',
      '--chains',
      '2',
      '--thin',
      '5',
      '--seed',
      '5',
      '--out',
      out,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await allowedEverywhere(out);
  });
});
