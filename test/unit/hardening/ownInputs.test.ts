/**
 * Issue 16, item 7: commands that overwrote their own inputs. `dagflow export --run R --out
 * R/samples.jsonl` replaced the run's samples (exit 0); `dagflow session --create data.csv …`
 * moved the CSV to data.csv.bak and a second run overwrote that .bak with a session, losing the
 * data. Each is now refused before anything is written, and a .bak that is not a session (maybe
 * the only copy of a file) is never replaced. Run through the real dispatcher on copies.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptySession } from '../../../src/gflownet/session/schema.ts';
import { runCliCaptured } from './support/cliInProcess.ts';
import { BAD_DIR, SAMPLES_DIR } from './support/corpus.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-own-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = path.join(dir, 'run');
cpSync(path.join(BAD_DIR, 'runs', 'valid'), run, { recursive: true });
const data = path.join(dir, 'data.csv');
cpSync(path.join(SAMPLES_DIR, 'asia_n1000.csv'), data);
const runFiles = ['samples.jsonl', 'edge_marginals.csv', 'summary.json'];
const snapshot = (files: string[]): string[] => files.map((f) => readFileSync(f, 'utf8'));

async function refused(args: string[], says: string): Promise<void> {
  const result = await runCliCaptured(args);
  expect(result.exitCode, result.stderr + result.stdout).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain(says);
}

describe('a command never writes over its own inputs', () => {
  it('export into the run folder it reads (also through a link to it) is refused and the run is unchanged', async () => {
    const files = runFiles.map((f) => path.join(run, f));
    const before = snapshot(files);
    await refused(
      ['export', '--run', run, '--format', 'samples-jsonl', '--out', path.join(run, 'samples.jsonl')],
      'is inside the folder given to --run',
    );
    await refused(
      ['export', '--run', run, '--format', 'edge-marginals', '--out', path.join(run, 'edge_marginals.csv')],
      'is inside the folder given to --run',
    );
    symlinkSync(run, path.join(dir, 'run-link'));
    await refused(
      ['export', '--run', path.join(dir, 'run-link'), '--format', 'dot', '--out', path.join(run, 'summary.json')],
      'is inside the folder given to --run',
    );
    expect(snapshot(files)).toEqual(before);
  });

  it('export over the session it reads, or over its --truth graph, is refused', async () => {
    const session = path.join(dir, 'one.dagflow');
    expect((await runCliCaptured(['session', '--create', session, '--data', data, '--runs', run])).exitCode).toBe(0);
    const before = readFileSync(session, 'utf8');
    await refused(['export', '--session', session, '--format', 'samples-jsonl', '--out', session], 'is the file given to --session');
    expect(readFileSync(session, 'utf8')).toBe(before);
    const truth = path.join(dir, 'truth.csv');
    writeFileSync(truth, 'from,to\nasia,tub\n');
    await refused(['export', '--run', run, '--format', 'report', '--truth', truth, '--out', truth], 'is the file given to --truth');
    expect(readFileSync(truth, 'utf8')).toBe('from,to\nasia,tub\n');
  });

  it('session --create onto its --data file, twice, keeps the data', async () => {
    const before = readFileSync(data, 'utf8');
    for (let k = 0; k < 2; k++) await refused(['session', '--create', data, '--data', data, '--runs', run], 'is the file given to --data');
    expect(readFileSync(data, 'utf8')).toBe(before);
  });

  it('session --create onto a file that is not a session (another CSV) is refused', async () => {
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, 'a,b\n1,2\n');
    await refused(['session', '--create', other, '--data', data, '--runs', run], 'will not replace a file that is not a DAGFlow session');
    expect(readFileSync(other, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('a .bak that is not a session (maybe the only copy of a file) is never replaced', async () => {
    const session = path.join(dir, 'two.dagflow');
    writeFileSync(session, JSON.stringify(emptySession()));
    writeFileSync(`${session}.bak`, 'Raf,Mek\n1,2\n');
    await refused(['session', '--create', session, '--data', data, '--runs', run], 'the backup holds a file that is not a DAGFlow session');
    expect(readFileSync(`${session}.bak`, 'utf8')).toBe('Raf,Mek\n1,2\n');
    expect(JSON.parse(readFileSync(session, 'utf8'))).toEqual(emptySession());
  });
});
