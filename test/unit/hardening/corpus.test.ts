/**
 * The bad-input corpus: every case of test/fixtures/bad/expected.json through the real reader or
 * the real CLI. Each must give exactly its error (code, where, what, what to do), never a crash,
 * a stack trace, a hang or a partial output file. CLI cases run in-process through the
 * dispatcher (fast); a handful also run as `node bin/dagflow.mjs` subprocesses so the exit code
 * and stderr of the real binary are checked too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_DIR,
  SAMPLES_DIR,
  inParallel,
  loadManifest,
  runCliCase,
  runReaderCase,
  type CliCase,
  type Placeholders,
  type ReaderCase,
} from './support/corpus.ts';
import { runCliCaseInProcess } from './support/cliInProcess.ts';
import { generatedInputs } from './support/generated.ts';

const manifest = loadManifest();
const readerCases = manifest.cases.filter((c): c is ReaderCase => c.reader !== 'cli');
const cliCases = manifest.cases.filter((c): c is CliCase => c.reader === 'cli');
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-corpus-'));
let placeholders: Placeholders;

beforeAll(() => {
  placeholders = { bad: BAD_DIR, samples: SAMPLES_DIR, out: dir, generated: generatedInputs(dir) };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

describe('the corpus itself', () => {
  it('has at least 40 bad files, each used by a case, and unique case ids', () => {
    const files = filesUnder(BAD_DIR).filter((f) => f !== 'expected.json');
    expect(files.length).toBeGreaterThanOrEqual(40);
    const text = readFileSync(path.join(BAD_DIR, 'expected.json'), 'utf8');
    const unused = files.filter((f) => !text.includes(f) && !text.includes(path.dirname(f)));
    expect(unused).toEqual([]);
    const ids = manifest.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(manifest.cases.length).toBeGreaterThanOrEqual(80);
  });
});

describe('bad files through the real readers', () => {
  it.each(readerCases.map((c) => [`${c.id}: ${c.about}`, c] as const))('%s', async (_, c) => {
    const result = await runReaderCase(c, placeholders, 20_000);
    expect(result.outcome, `${result.shown}\n${result.problems.join('\n')}`).toBe('expected');
  });
});

describe('bad invocations through the CLI dispatcher', () => {
  it.each(cliCases.map((c) => [`${c.id}: ${c.about}`, c] as const))('%s', async (_, c) => {
    const result = await runCliCaseInProcess(c, placeholders);
    expect(result.outcome, `${result.shown}\n${result.problems.join('\n')}`).toBe('expected');
  });
});

describe('the real binary', () => {
  // One case per kind of failure: dispatcher, flag range, data file, graph file, knowledge.
  const sample = ['cli-unknown-command', 'cli-negative-iterations', 'cli-bad-data-mcmc', 'cli-import-graph-cycle', 'cli-require-cycle'];
  it('exits with code 2 and one line on stderr, no stack trace, no output file', async () => {
    const cases = cliCases.filter((c) => sample.includes(c.id));
    expect(cases).toHaveLength(sample.length);
    const results = await inParallel(
      cases.map((c) => () => runCliCase(c, placeholders, 60_000)),
      3,
    );
    for (const r of results) expect(r.outcome, `${r.id}: ${r.shown}\n${r.problems.join('\n')}`).toBe('expected');
  }, 120_000);
});
