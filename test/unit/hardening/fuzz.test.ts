/**
 * Property-based fuzzing (fast-check, fixed seed; DAGFLOW_FUZZ_SEED picks another) of every
 * reader a user's file reaches and of every CLI flag parser. The property is always the same:
 * a bounded input gives either a well-formed result or a DagflowError — never another exception,
 * never a hang (each input has a time bound), and memory stays bounded over the whole run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFlags } from '../../../src/cli/dataFlags.ts';
import { knowledgeFlags } from '../../../src/cli/knowledgeFlags.ts';
import { parseFlags, type FlagSpecs } from '../../../src/cli/flags.ts';
import { commandLoaders } from '../../../src/cli/registry.ts';
import { isDagflowError } from '../../../src/gflownet/core/errors.ts';
import { loadDataset } from '../../../src/gflownet/data/load.ts';
import { previewCsv } from '../../../src/gflownet/data/preview.ts';
import { readDot } from '../../../src/gflownet/graphio/dotReader.ts';
import { readGraphml } from '../../../src/gflownet/graphio/graphml.ts';
import { resolveGraph, type ParsedGraph } from '../../../src/gflownet/graphio/parsedGraph.ts';
import { readAdjacencyMatrixText } from '../../../src/gflownet/graphio/adjacencyCsv.ts';
import { readEdgeListCsv } from '../../../src/gflownet/graph/edgeList.ts';
import { parseSession } from '../../../src/gflownet/session/sessionFile.ts';
import { runCliCaptured } from './support/cliInProcess.ts';
import { adjacencyText, csvText, damagedSession, dotText, edgeListText, graphmlText } from './support/fuzzInputs.ts';
import { looksLikeStackTrace } from './support/corpus.ts';

const seed = Number(process.env.DAGFLOW_FUZZ_SEED ?? 20261123);
const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rssAtStart = process.memoryUsage().rss;

/** Per-input time bound for async readers. */
const INPUT_MS = 3000;
/** Per-input bound for synchronous parsers (they cannot be interrupted, so it is checked after). */
const SYNC_MS = 500;

async function bounded<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`hang: no answer within ${INPUT_MS} ms for ${what}`)), INPUT_MS)),
  );
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `work`; a DagflowError counts as a handled outcome, anything else fails the property. */
/** Accepted and refused inputs per reader: a generator that only ever reaches one answer fuzzes little. */
const tally = new Map<string, { accepted: number; refused: number }>();
function count(reader: string, accepted: boolean): void {
  const t = tally.get(reader) ?? { accepted: 0, refused: 0 };
  if (accepted) t.accepted++;
  else t.refused++;
  tally.set(reader, t);
}

async function handled<T>(work: () => Promise<T>, what: string, reader = 'other'): Promise<T | undefined> {
  try {
    const value = await bounded(work(), what);
    count(reader, true);
    return value;
  } catch (e) {
    if (isDagflowError(e)) {
      expect(e.toUserMessage()).not.toMatch(/\n\s+at /);
      count(reader, false);
      return undefined;
    }
    throw e;
  }
}

function syncHandled<T>(work: () => T, reader = 'other'): T | undefined {
  const t0 = performance.now();
  try {
    const value = work();
    count(reader, true);
    return value;
  } catch (e) {
    if (isDagflowError(e)) {
      count(reader, false);
      return undefined;
    }
    throw e;
  } finally {
    expect(performance.now() - t0).toBeLessThan(SYNC_MS);
  }
}

let fileCount = 0;
const writeTemp = (content: string | Uint8Array, ext = '.csv'): string => {
  const file = path.join(dir, `f${fileCount++}${ext}`);
  writeFileSync(file, content);
  return file;
};

describe('CSV reader', () => {
  it('loads or refuses CSV-like text, with any score and missing policy', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.constantFrom('auto', 'bge', 'bdeu'), fc.constantFrom('refuse', 'drop'), async (text, score, missing) => {
        const file = writeTemp(text);
        const ds = await handled(
          () => loadDataset(file, { score: score as 'auto', missing: missing as 'drop' }),
          JSON.stringify(text),
          'csv',
        );
        if (ds) {
          expect(ds.columns.length).toBeGreaterThanOrEqual(2);
          expect(ds.rows).toBeGreaterThanOrEqual(1);
          if (ds.continuous) for (const col of ds.continuous) for (const v of col) expect(Number.isFinite(v)).toBe(true);
          count(`csv ${ds.kind}`, true);
        }
        await handled(() => previewCsv(file), JSON.stringify(text));
      }),
      { seed, numRuns: 250 },
    );
  });

  it('refuses arbitrary bytes cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const file = writeTemp(bytes);
        await handled(() => loadDataset(file), `${bytes.length} bytes`);
      }),
      { seed, numRuns: 150 },
    );
  });
});

describe('edge-list reader', () => {
  const columns = ['A', 'B', 'C', 'D'];
  it('returns valid, distinct, loop-free edges or a located error', async () => {
    await fc.assert(
      fc.asyncProperty(edgeListText, async (text) => {
        const file = writeTemp(text);
        const edges = await handled(() => readEdgeListCsv(file, columns), JSON.stringify(text), 'edge list');
        if (edges) {
          const keys = edges.map(([i, j]) => i * 4 + j);
          expect(new Set(keys).size).toBe(keys.length);
          for (const [i, j] of edges) {
            expect(i).not.toBe(j);
            expect(Math.min(i, j)).toBeGreaterThanOrEqual(0);
            expect(Math.max(i, j)).toBeLessThan(4);
          }
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe('DOT, GraphML and adjacency-matrix readers', () => {
  const columns = ['A', 'B', 'C', 'D'];
  const check = (reader: string, parse: (text: string) => ParsedGraph) => (text: string) => {
    const graph = syncHandled(() => resolveGraph(parse(text), columns), reader);
    if (graph) for (const [i, j] of graph.edges) expect(i).not.toBe(j);
  };
  it('DOT', () => {
    fc.assert(
      fc.property(
        dotText,
        check('dot', (t) => readDot(t, 'g.dot')),
      ),
      { seed, numRuns: 400 },
    );
  });
  it('GraphML', () => {
    fc.assert(
      fc.property(
        graphmlText,
        check('graphml', (t) => readGraphml(t, 'g.graphml')),
      ),
      { seed, numRuns: 400 },
    );
  });
  it('adjacency matrix', () => {
    fc.assert(
      fc.property(
        adjacencyText,
        check('adjacency', (t) => readAdjacencyMatrixText(t, 'm.csv')),
      ),
      { seed, numRuns: 400 },
    );
  });
});

describe('session reader', () => {
  it('opens or refuses a damaged session: cut, edited, or replaced by other JSON', () => {
    fc.assert(
      fc.property(damagedSession, (text) => {
        const parsed = syncHandled(() => parseSession(text, 's.dagflow'), 'session');
        if (parsed) expect(parsed.session.format).toBe('dagflow-session');
      }),
      { seed, numRuns: 500 },
    );
  });
});

/** Flag names of a command, read from its --help text (the specs are private to each command). */
function flagNames(help: string): string[] {
  return [...new Set([...help.matchAll(/^\s{2}--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!))].filter((n) => n !== 'help');
}

const VALUES = [
  '0',
  '-1',
  '1',
  '2.5',
  '1e9',
  '-0',
  'NaN',
  'Infinity',
  '',
  ' ',
  'abc',
  'mc3',
  'bge',
  'bdeu',
  'auto',
  'true',
  'false',
  '--',
  '-5',
  '1e-400',
  '9007199254740993',
  '/nonexistent/x.csv',
  '../../etc/passwd',
  'a=b',
  'Raf=continuous',
  '\u0000',
  'é',
];

describe('CLI flag parsers', () => {
  it('every command: random flags and values end in one clean error line (exit 2), never a crash', async () => {
    for (const name of Object.keys(commandLoaders)) {
      const command = await commandLoaders[name]!();
      const names = flagNames(command.help);
      expect(names.length, name).toBeGreaterThan(0);
      const token = fc.oneof(
        fc.constantFrom(...names).map((n) => `--${n}`),
        fc.constantFrom(...names).map((n) => `--no-${n}`),
        fc.tuple(fc.constantFrom(...names), fc.constantFrom(...VALUES)).map(([n, v]) => `--${n}=${v}`),
        fc.constantFrom(...VALUES),
        fc.string({ maxLength: 8 }).filter((s) => s !== '-h' && s !== '--help'),
      );
      // The sentinel is an unknown option after every random token: parsing fails before any command does work.
      await fc.assert(
        fc.asyncProperty(fc.array(token, { maxLength: 10 }), async (argv) => {
          const t0 = performance.now();
          const run = await runCliCaptured([name, ...argv, '--zz-sentinel']);
          expect(performance.now() - t0).toBeLessThan(INPUT_MS);
          expect(run.rejected).toBeUndefined();
          expect(run.exitCode, run.stderr).toBe(2);
          expect(run.stdout).toBe('');
          const lines = run.stderr.trimEnd().split('\n');
          expect(lines, run.stderr).toHaveLength(1);
          expect(lines[0]!.startsWith(`dagflow ${name}: `)).toBe(true);
          expect(looksLikeStackTrace(run.stderr), run.stderr).toBe(false);
        }),
        { seed, numRuns: 40 },
      );
    }
  });

  it('the shared data and knowledge flags: a parse that succeeds respects every type and range', () => {
    const specs = { ...dataFlags, ...knowledgeFlags } as FlagSpecs;
    const names = Object.keys(specs);
    const token = fc.oneof(
      fc.constantFrom(...names).map((n) => `--${n}`),
      fc.tuple(fc.constantFrom(...names), fc.constantFrom(...VALUES)).map(([n, v]) => `--${n}=${v}`),
      fc.constantFrom(...VALUES),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (argv) => {
        const parsed = syncHandled(() => parseFlags(['--data', 'x.csv', ...argv], specs)) as Record<string, unknown> | undefined;
        if (!parsed) return;
        for (const [name, spec] of Object.entries(specs)) {
          const v = parsed[name];
          if (v === undefined) continue;
          if (spec.type === 'number') {
            expect(typeof v === 'number' && Number.isFinite(v), name).toBe(true);
            const n = v as number;
            if (spec.integer) expect(Number.isInteger(n), name).toBe(true);
            if (spec.min !== undefined) expect(spec.exclusiveMin ? n > spec.min : n >= spec.min, `${name} = ${n}`).toBe(true);
            if (spec.max !== undefined) expect(n <= spec.max, name).toBe(true);
          } else if (spec.type === 'enum') expect(spec.values, name).toContain(v);
          else if (spec.type === 'boolean') expect(typeof v, name).toBe('boolean');
          else expect(typeof v === 'string' && v !== '', name).toBe(true);
        }
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('unknown commands and stray arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((s) => !Object.hasOwn(commandLoaders, s) && !['--help', '-h', 'help', '--version'].includes(s)),
        async (name) => {
          const run = await runCliCaptured([name]);
          expect(run.exitCode).toBe(2);
          expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
        },
      ),
      { seed, numRuns: 100 },
    );
  });
});

describe('the generators', () => {
  it('reach both answers, a result and a refusal, for every reader', () => {
    for (const reader of ['csv', 'edge list', 'dot', 'graphml', 'adjacency', 'session']) {
      const t = tally.get(reader);
      expect(t?.accepted, `${reader}: ${JSON.stringify(t)}`).toBeGreaterThan(0);
      expect(t?.refused, `${reader}: ${JSON.stringify(t)}`).toBeGreaterThan(0);
    }
    expect(tally.get('csv continuous')?.accepted, 'continuous data sets loaded').toBeGreaterThan(0);
    expect(tally.get('csv discrete')?.accepted, 'discrete data sets loaded').toBeGreaterThan(0);
  });
});

describe('memory', () => {
  it('stays bounded over the whole fuzzing run', () => {
    // Inputs are at most a few hundred bytes; a leak of even 1 kB per input over ~5,000 inputs would not fit.
    expect(process.memoryUsage().rss - rssAtStart).toBeLessThan(400 * 1024 * 1024);
  });
});
