import { runCommand } from '../support/runCommand.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command as exportCommand } from '../../../src/cli/commands/export.ts';
import { command as importCommand } from '../../../src/cli/commands/importGraph.ts';
import { loadRunDirectory } from '../../../src/gflownet/export/runDirectory.ts';
import { emptySession } from '../../../src/gflownet/session/schema.ts';
import { sessionRunFromResults, writeSessionFile } from '../../../src/gflownet/session/sessionFile.ts';
import { samplesDir, tempDir, writeRunFolder } from './fixtures.ts';
import { parseGraphmlInPython } from './pythonChecks.ts';

const tmp = tempDir('dagflow-export-cli-');
afterAll(() => tmp.cleanup());
const run = tmp.file('run');
mkdirSync(run);
const written = writeRunFolder(run, { samples: 200, seed: 3 });

const cli = runCommand;

describe('dagflow export', () => {
  it('--json prints {format, out, bytes, threshold, edges} and the GraphML holds the edges at or above the threshold', async () => {
    const out = tmp.file('c.graphml');
    const r = await cli(exportCommand, '--run', run, '--format', 'graphml', '--threshold', '0.4', '--out', out, '--json');
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as { format: string; out: string; bytes: number; threshold: number; edges: number };
    const d = written.columns.length;
    const expected: Array<[string, string]> = [];
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        if (i !== j && written.marginals[i * d + j]! >= 0.4) expected.push([written.columns[i]!, written.columns[j]!]);
    expect(json).toEqual({ format: 'graphml', out, bytes: readFileSync(out).length, threshold: 0.4, edges: expected.length });
    expect(parseGraphmlInPython([readFileSync(out, 'utf8')])[0]!.edges.map(([a, b]) => [a, b])).toEqual(expected);
  });

  it('the report takes a reference graph', async () => {
    const truth = tmp.write('truth.csv', 'from,to\nX0,X1\nX1,X2\n');
    const out = tmp.file('r.html');
    const r = await cli(exportCommand, '--run', run, '--format', 'report', '--truth', truth, '--out', out);
    expect(r.stdout).toMatch(/^wrote .*r\.html \(report, \d+ bytes, \d+ edges with P ≥ 0\.5\)/);
    expect(readFileSync(out, 'utf8')).toMatch(/Metrics against the reference graph/);
  });

  it('bad input: one line naming the flag or the file', async () => {
    expect((await cli(exportCommand, '--run', run, '--format', 'gexf', '--out', tmp.file('x'))).stderr).toMatch(
      /--format: must be one of samples-jsonl, samples-csv/,
    );
    expect((await cli(exportCommand, '--run', run, '--format', 'dot', '--threshold', '0', '--out', tmp.file('x'))).stderr).toMatch(
      /--threshold: must be > 0/,
    );
    expect((await cli(exportCommand, '--run', run, '--format', 'dot', '--threshold', '1.2', '--out', tmp.file('x'))).stderr).toMatch(
      /--threshold: must be ≤ 1/,
    );
    expect((await cli(exportCommand, '--run', tmp.file('nope'), '--format', 'dot', '--out', tmp.file('x'))).stderr).toMatch(
      /nope, --run: the run folder does not exist/,
    );
    expect((await cli(exportCommand, '--run', run, '--format', 'dot', '--out', tmp.file('missing/x.dot'))).stderr).toMatch(
      /the folder does not exist/,
    );
    expect((await cli(exportCommand, '--run', run, '--format', 'dot')).stderr).toMatch(/--out: is required/);
  });

  it('exports a run saved in a session exactly as from its folder', async () => {
    const results = await loadRunDirectory(run);
    const sessionFile = tmp.file('s.dagflow');
    await writeSessionFile(sessionFile, { ...emptySession(), runs: [await sessionRunFromResults(results, { id: 'gfn' })] });
    for (const format of ['dot', 'report', 'samples-csv']) {
      const a = tmp.file(`from-folder.${format}`);
      const b = tmp.file(`from-session.${format}`);
      expect((await cli(exportCommand, '--run', run, '--format', format, '--out', a)).stderr).toBe('');
      expect((await cli(exportCommand, '--session', sessionFile, '--run-id', 'gfn', '--format', format, '--out', b)).stderr).toBe('');
      // the report's title names its source (the folder, or session#run); everything else is identical
      const strip = (f: string): string => readFileSync(f, 'utf8').replace(/DAGFlow run report — [^<]*/g, '');
      expect(strip(b), format).toBe(strip(a));
      if (format !== 'report') expect(readFileSync(b).equals(readFileSync(a)), format).toBe(true);
    }
    expect((await cli(exportCommand, '--session', sessionFile, '--run-id', 'x', '--format', 'dot', '--out', tmp.file('x'))).stderr).toMatch(
      /no run "x" in the session \(runs: gfn\)/,
    );
    expect((await cli(exportCommand, '--run', run, '--session', sessionFile, '--format', 'dot', '--out', tmp.file('x'))).stderr).toMatch(
      /either --run DIR or --session FILE/,
    );
  });

  it('help lists every format', () => {
    for (const f of [
      'samples-jsonl',
      'samples-csv',
      'arc-strength',
      'edge-marginals',
      'graphml',
      'dot',
      'cytoscape',
      'svg',
      'png',
      'report',
    ])
      expect(exportCommand.help).toContain(f);
  });
});

describe('dagflow import-graph', () => {
  it('prints the edges by name', async () => {
    const r = await cli(
      importCommand,
      '--file',
      path.join(samplesDir, 'sachs_truth.csv'),
      '--columns-from',
      path.join(samplesDir, 'sachs_obs_853.csv'),
      '--json',
    );
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as { format: string; columns: string[]; edges: Array<[string, string]> };
    expect(json.format).toBe('edge-list');
    expect(json.columns.length).toBe(11);
    expect(json.edges.length).toBe(17);
    expect(json.edges).toContainEqual(['Mek', 'Erk']);
  });

  it('a cycle is an error unless --allow-cycles', async () => {
    const data = tmp.write('d.csv', 'A,B\n1,2\n');
    const cyclic = tmp.write('c.dot', 'digraph { A -> B -> A }');
    expect((await cli(importCommand, '--file', cyclic, '--columns-from', data)).stderr).toMatch(/c\.dot.*cycle: A → B → A/);
    expect((await cli(importCommand, '--file', cyclic, '--columns-from', data, '--allow-cycles')).stdout).toMatch(
      /dot, 2 edges over 2 columns/,
    );
  });
});
