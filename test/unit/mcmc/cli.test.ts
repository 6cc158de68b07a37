/**
 * dagflow mcmc and dagflow compare end to end (files written, summary keys, errors), and the
 * mcmc job kind through the real job host in worker threads (progress, result, cancel).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/command.ts';
import { command as compareCommand } from '../../../src/cli/commands/compare.ts';
import { command as exactCommand } from '../../../src/cli/commands/exact.ts';
import { command as mcmcCommand, type McmcSummaryJson } from '../../../src/cli/commands/mcmc.ts';
import type { RunComparison } from '../../../src/gflownet/compare/compareRuns.ts';
import { parseEdgeMarginalsCsv, parsePosteriorSamples } from '../../../src/gflownet/samples/format.ts';
import { JobFailure, JobHost } from '../../../src/jobs/host.ts';
import { combineMcmcJobs, type McmcJobParams } from '../../../src/jobs/kinds/mcmc.ts';

const csv = new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-mcmc-cli-'));

async function run(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (t) => (stdout += t + '\n'), stderr: (t) => (stderr += t + '\n') });
  return { code, stdout, stderr };
}

describe('dagflow mcmc', () => {
  it('writes samples.jsonl, edge_marginals.csv and summary.json with the diagnostics', async () => {
    const out = path.join(dir, 'partition');
    const r = await run(mcmcCommand, [
      '--data',
      csv,
      '--no-standardize',
      '--method',
      'partition',
      '--iterations',
      '20000',
      '--chains',
      '2',
      '--thin',
      '10',
      '--seed',
      '3',
      '--out',
      out,
      '--no-workers',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as McmcSummaryJson;
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as McmcSummaryJson;
    expect(summary).toEqual(printed);
    expect(summary.columns).toEqual(['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(summary.iterationsRun).toEqual([20000, 20000]);
    expect(summary.burnInIterations).toEqual([4000, 4000]);
    expect(summary.samples).toBe(2 * 1600);
    for (const key of ['acceptanceRate', 'rhatMax', 'chainEdgeMarginalMaxDiff'] as const)
      expect(typeof summary.diagnostics[key]).toBe('number');
    expect(summary.exact!.edgeMarginalMaxError).toBeLessThan(0.1);
    const samples = parsePosteriorSamples(readFileSync(path.join(out, 'samples.jsonl'), 'utf8'), 'samples.jsonl');
    expect(samples).toHaveLength(3200);
    const table = parseEdgeMarginalsCsv(readFileSync(path.join(out, 'edge_marginals.csv'), 'utf8'), 'edge_marginals.csv');
    expect(table.columns).toEqual(summary.columns);
  });

  it('runs its chains in worker threads and gives the same chains as in-process', async () => {
    const args = ['--data', csv, '--no-standardize', '--method', 'mc3', '--iterations', '5000', '--chains', '2', '--seed', '4', '--json'];
    const threaded = await run(mcmcCommand, [...args, '--out', path.join(dir, 'threads')]);
    const inline = await run(mcmcCommand, [...args, '--out', path.join(dir, 'inline'), '--no-workers']);
    expect(threaded.code).toBe(0);
    const a = JSON.parse(threaded.stdout) as McmcSummaryJson;
    const b = JSON.parse(inline.stdout) as McmcSummaryJson;
    expect(a.traces).toEqual(b.traces);
    expect(readFileSync(path.join(dir, 'threads', 'edge_marginals.csv'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'inline', 'edge_marginals.csv'), 'utf8'),
    );
  });

  it('takes a time limit alone as the budget, and refuses a run with neither budget', async () => {
    const out = path.join(dir, 'time-limited');
    const r = await run(mcmcCommand, [
      '--data',
      csv,
      '--no-standardize',
      '--method',
      'mc3',
      '--time-limit',
      '1',
      '--chains',
      '2',
      '--seed',
      '6',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as McmcSummaryJson;
    expect(summary.iterations).toBeNull();
    expect(summary.stoppedBy).toEqual(['time-limit', 'time-limit']);
    expect(Math.min(...summary.iterationsRun)).toBeGreaterThan(1000);
    expect(summary.samples).toBeGreaterThan(100);
    await expect(run(mcmcCommand, ['--data', csv, '--method', 'mc3', '--out', path.join(dir, 'no-budget')])).rejects.toMatchObject({
      location: { flag: '--iterations' },
      message: 'is required without --time-limit',
    });
  });

  it('refuses flags that do not apply, naming them', async () => {
    await expect(
      run(mcmcCommand, ['--data', csv, '--method', 'order', '--iterations', '10', '--out', dir, '--new-edge-reversal', '0.1']),
    ).rejects.toMatchObject({ location: { flag: '--new-edge-reversal' } });
    await expect(
      run(mcmcCommand, ['--data', csv, '--method', 'mc3', '--iterations', '10', '--out', dir, '--burn-in', '1']),
    ).rejects.toMatchObject({ location: { flag: '--burn-in' } });
    await expect(run(mcmcCommand, ['--data', csv, '--method', 'gibbs', '--iterations', '10', '--out', dir])).rejects.toMatchObject({
      location: { flag: '--method' },
    });
  });
});

describe('dagflow compare', () => {
  it('compares two runs with each other, the truth and the exact posterior', async () => {
    const exact = await run(exactCommand, ['--data', csv, '--no-standardize', '--json']);
    const exactFile = path.join(dir, 'exact.json');
    writeFileSync(exactFile, exact.stdout);
    const truth = path.join(dir, 'truth.csv');
    writeFileSync(truth, 'from,to\nX1,X2\nX1,X3\nX1,X4\nX2,X3\nX2,X4\n');
    const common = ['--data', csv, '--no-standardize', '--iterations', '40000', '--chains', '2', '--seed', '5', '--no-workers', '--json'];
    await run(mcmcCommand, [...common, '--method', 'mc3', '--out', path.join(dir, 'a')]);
    await run(mcmcCommand, [...common, '--method', 'order', '--out', path.join(dir, 'b')]);
    const r = await run(compareCommand, [
      '--a',
      path.join(dir, 'a'),
      '--b',
      path.join(dir, 'b'),
      '--truth',
      truth,
      '--exact',
      exactFile,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as RunComparison;
    expect(c.variables).toEqual(['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(c.rmse).toBeGreaterThan(0);
    expect(c.maxDifference).toBeGreaterThanOrEqual(Math.abs(c.disagreements[0]!.difference) - 1e-12);
    expect(c.disagreements).toHaveLength(10);
    expect(c.correlation!).toBeGreaterThan(0.5);
    expect(c.truth!.edges).toBe(5);
    expect(c.truth!.a.expectedShd).toBeGreaterThan(0);
    expect(c.exact!.a.jsd).not.toBeNull();
    // MC3 targets the DAG posterior; order MCMC is biased away from it.
    expect(c.exact!.a.edgeMarginalMaxError).toBeLessThan(c.exact!.b.edgeMarginalMaxError);
    expect((c.diagnostics.a as { acceptanceRate: number }).acceptanceRate).toBeGreaterThan(0);
    const text = await run(compareCommand, ['--a', path.join(dir, 'a'), '--b', path.join(dir, 'b')]);
    expect(text.stdout).toMatch(/largest disagreements/);
  });
});

describe('the mcmc job kind in the job host', () => {
  const host = new JobHost({ maxConcurrent: 2, cancelGraceMs: 2000 });
  afterAll(() => host.shutdown());
  const problem: McmcJobParams['problem'] = {
    data: { path: csv, name: 'lingauss.csv', options: { standardize: false } },
    score: { score: 'bge', mean: 'zero' },
    prior: { kind: 'uniform' },
    knowledge: {},
  };

  it('runs chains in parallel threads, streams progress and combines into one posterior', async () => {
    let progress = 0;
    host.onEvent((e) => {
      if (e.type === 'progress') progress++;
    });
    const ids = [0, 1].map((chain) => host.submit('mcmc', { problem, chain: { method: 'mc3', iterations: 400_000, seed: 1, chain } }));
    const results = await Promise.all(ids.map((id) => host.wait<'mcmc'>(id)));
    expect(progress).toBeGreaterThan(2);
    const posterior = combineMcmcJobs(results);
    expect(posterior.variables).toEqual(['X0', 'X1', 'X2', 'X3', 'X4']);
    expect(posterior.samples!.count).toBe(5000);
    expect(posterior.diagnostics!.rhatMax).toBeLessThan(1.1);
    expect(posterior.traces).toHaveLength(2);
  });

  it('cancels a chain within the grace period', async () => {
    const id = host.submit('mcmc', { problem, chain: { method: 'partition', iterations: 1e12, seed: 1 } });
    await new Promise<void>((resolve) => {
      const off = host.onEvent((e) => {
        if (e.type === 'progress' && e.jobId === id && 'iteration' in (e.progress as object)) {
          off();
          resolve();
        }
      });
    });
    host.cancel(id);
    const failure = await host.wait(id).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JobFailure);
    expect((failure as JobFailure).cancelled).toBe(true);
  });
});
