import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateSession, type MigrationTable } from '../../../src/gflownet/session/migrate.ts';
import { emptySession, SESSION_VERSION, SessionError, type JsonObject, type SessionFile } from '../../../src/gflownet/session/schema.ts';
import {
  parseSession,
  readCheckpointFolder,
  readSessionFile,
  serializeSession,
  writeCheckpointFolder,
  writeSessionFile,
} from '../../../src/gflownet/session/sessionFile.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string): string => path.join(dir, name);

function sampleSession(): SessionFile {
  return {
    ...emptySession(),
    writtenBy: 'DAGFlow test',
    data: { path: '/data/x.csv', relativePath: '../data/x.csv', sha256: 'a'.repeat(64), bytes: 12 },
    settings: { model: { score: 'bge', prior: { kind: 'uniform' } }, sampler: { method: 'gflownet', seed: 42 } },
    runs: [
      {
        id: 'run-1',
        label: 'GFlowNet',
        method: 'gflownet',
        columns: ['A', 'B', 'C'],
        settings: { iterations: 100 },
        seed: 42,
        summary: { seconds: 1.5, backend: 'cpu' },
        samples: [
          { edges: [['A', 'B']], logScore: -10.25 },
          { edges: [], logScore: -12 },
        ],
        edgeMarginals: [0, 0.5, 0, 0, 0, 0, 0, 0, 0],
      },
    ],
    views: { selectedRun: 'run-1', threshold: 0.5, positions: { A: [1, 2] } },
  };
}

function sessionError(fn: () => unknown): SessionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionError);
    return e as SessionError;
  }
  throw new Error('no error');
}

describe('session files: save and parse', () => {
  it('round trip keeps everything, floats exactly', () => {
    const s = sampleSession();
    s.runs[0]!.edgeMarginals![1] = 0.1 + 0.2;
    expect(parseSession(serializeSession(s)).session).toEqual(s);
    expect(serializeSession(s)).toBe(serializeSession(structuredClone(s)));
  });

  it('optional fields left undefined by the app are accepted and dropped', () => {
    const s = sampleSession();
    s.settings = { sampler: { method: 'mc3', seed: undefined as unknown as null } };
    expect(parseSession(serializeSession(s)).session.settings).toEqual({ sampler: { method: 'mc3' } });
  });

  it('a truncated or damaged file is "corrupt" and says so', () => {
    const text = serializeSession(sampleSession());
    const e = sessionError(() => parseSession(text.slice(0, text.length / 2), 'x.dagflow'));
    expect(e.problem).toBe('corrupt');
    expect(e.toUserMessage()).toMatch(/^x\.dagflow: the session file is not valid JSON \(it looks truncated\).*not changed/);
    expect(sessionError(() => parseSession('[1,2]')).problem).toBe('not-a-session');
    expect(sessionError(() => parseSession('{"format":"something-else"}')).problem).toBe('not-a-session');
  });

  it('a data table is called one (to be opened as data), not a damaged session', () => {
    for (const text of ['A,B,C\n1,2,3\n', '\uFEFFx;y\n1;2\n', 'a\tb\n1\t2\n']) {
      const e = sessionError(() => parseSession(text, 'data.csv'));
      expect(e.problem).toBe('data-table');
      expect(e.toUserMessage()).toBe(
        'data.csv: this is a data table (delimited text), not a DAGFlow session — open it as data instead, or choose a .dagflow file',
      );
    }
    // Text that is neither JSON nor a table stays a damaged file.
    expect(sessionError(() => parseSession('hello\nworld\n')).problem).toBe('corrupt');
    expect(sessionError(() => parseSession('{"format": "dagflow-session", "ver')).problem).toBe('corrupt');
  });

  it('a newer version is refused with the writer named', () => {
    const newer = { ...sampleSession(), version: SESSION_VERSION + 1, writtenBy: 'DAGFlow 9.0.0' };
    const e = sessionError(() => parseSession(JSON.stringify(newer), 'new.dagflow'));
    expect(e.problem).toBe('newer-version');
    expect(e.message).toBe(
      `this session was saved by DAGFlow 9.0.0 in format version ${SESSION_VERSION + 1}; this DAGFlow reads up to version ${SESSION_VERSION}`,
    );
    expect(e.hint).toMatch(/update DAGFlow.*not changed/);
  });

  it('validation errors give the JSON path of the first problem', () => {
    const cases: Array<[(s: SessionFile & Record<string, unknown>) => void, RegExp]> = [
      [
        (s) => (s.runs[0]!.samples![1]!.edges as unknown[]).push(['A', 'Z']),
        /^runs\[0\]\.samples\[1\]\.edges\[0\]: expected \["from", "to"\] naming two of the run's columns, found \["A","Z"\]/,
      ],
      [(s) => (s.runs[0]!.samples![0]!.logScore = Number.NaN), /^runs\[0\]\.samples\[0\]\.logScore: expected a finite number/],
      [(s) => (s.runs[0]!.edgeMarginals = [0.5]), /^runs\[0\]\.edgeMarginals: expected 3×3 = 9 numbers, found 1/],
      [(s) => (s.runs[0]!.edgeMarginals![4] = 1.5), /^runs\[0\]\.edgeMarginals\[4\]: 1.5 is not a probability/],
      [(s) => s.runs.push({ ...s.runs[0]! }), /^runs\[1\]\.id: the run id "run-1" is used twice/],
      [(s) => (s.data!.sha256 = 'xyz'), /^data\.sha256: expected 64 lowercase hex digits/],
      [(s) => ((s as Record<string, unknown>).views = []), /^views: expected an object, found a list/],
      [(s) => (s.settings.bad = Number.POSITIVE_INFINITY as unknown as null), /^settings\.bad: expected a finite number, found Infinity/],
      [
        (s) => (s.runs[0]!.checkpoint = [{ name: '../escape', encoding: 'base64', content: '', sha256: '0'.repeat(64) }]),
        /checkpoint\[0\]\.name: "\.\.\/escape" must be a relative path/,
      ],
      [
        (s) => delete s.runs[0]!.samples && delete s.runs[0]!.edgeMarginals,
        /^runs\[0\]: a run needs "samples", "packedSamples" or "edgeMarginals"/,
      ],
    ];
    for (const [damage, message] of cases) {
      const s = sampleSession() as SessionFile & Record<string, unknown>;
      damage(s);
      const e = sessionError(() => serializeSession(s));
      expect(e.problem).toBe('invalid');
      expect(e.message).toMatch(message);
    }
  });
});

describe('migrations', () => {
  const v1 = { format: 'dagflow-session', version: 1, dataPath: '/d.csv' } as JsonObject;
  const table: MigrationTable = {
    1: (old) => ({ ...old, version: 2, data: { path: old.dataPath as string } }),
    2: (old) => ({ ...old, version: 3, views: {} }),
  };

  it('run step by step from the file version to the current one', () => {
    const r = migrateSession(v1, 'old.dagflow', table, 3);
    expect(r).toEqual({
      document: { format: 'dagflow-session', version: 3, dataPath: '/d.csv', data: { path: '/d.csv' }, views: {} },
      from: 1,
      migrated: true,
    });
    expect(migrateSession({ ...v1, version: 3 }, 'x', table, 3).migrated).toBe(false);
  });

  it('a missing step, a step with the wrong result and a bad version are errors', () => {
    expect(() => migrateSession(v1, 'x', { 1: table[1]! }, 3)).toThrow(/no upgrade from session format version 2 to 3/);
    expect(() => migrateSession(v1, 'x', { 1: (old) => ({ ...old }) }, 2)).toThrow(/produced version 1/);
    expect(() => migrateSession({ ...v1, version: 0 }, 'x', table, 3)).toThrow(/version: expected a whole number ≥ 1/);
    expect(() => migrateSession({ ...v1, version: '1' }, 'x', table, 3)).toThrow(/version: expected a whole number/);
  });

  it('the current version needs no step', () => {
    const s = sampleSession() as unknown as JsonObject;
    expect(migrateSession(s).migrated).toBe(false);
  });
});

describe('writing: atomic, with a .bak, never over a newer file', () => {
  it('keeps the previous file as .bak on every save', async () => {
    const target = file('s.dagflow');
    const first = sampleSession();
    expect((await writeSessionFile(target, first)).backup).toBeNull();
    const second = { ...first, views: { threshold: 0.9 } };
    expect((await writeSessionFile(target, second)).backup).toBe(`${target}.bak`);
    expect(parseSession(readFileSync(`${target}.bak`, 'utf8')).session).toEqual(first);
    expect((await readSessionFile(target)).session).toEqual(second);
  });

  it('a corrupt file being replaced survives as .bak', async () => {
    const target = file('corrupt.dagflow');
    writeFileSync(target, '{"format": "dagflow-ses');
    await writeSessionFile(target, sampleSession());
    expect(readFileSync(`${target}.bak`, 'utf8')).toBe('{"format": "dagflow-ses');
  });

  it('refuses to overwrite a session from a newer version, and leaves it byte for byte', async () => {
    const target = file('newer.dagflow');
    const newer = JSON.stringify({ ...sampleSession(), version: SESSION_VERSION + 1, futureField: { x: 1 } });
    writeFileSync(target, newer);
    await expect(writeSessionFile(target, sampleSession())).rejects.toThrow(
      /will not overwrite a session saved in the newer format version/,
    );
    expect(readFileSync(target, 'utf8')).toBe(newer);
    expect(existsSync(`${target}.bak`)).toBe(false);
    await expect(readSessionFile(target)).rejects.toMatchObject({ problem: 'newer-version' });
  });

  it('an invalid session is never written', async () => {
    const target = file('never.dagflow');
    const bad = sampleSession();
    bad.runs[0]!.columns = ['A', 'A', 'C'];
    await expect(writeSessionFile(target, bad)).rejects.toThrow(/runs\[0\]\.columns: a column name appears twice/);
    expect(existsSync(target)).toBe(false);
  });
});

describe('checkpoints travel inside the session', () => {
  it('folder → session → folder, byte for byte, hashes checked', async () => {
    const source = file('ckpt');
    mkdirSync(path.join(source, 'weights'), { recursive: true });
    writeFileSync(path.join(source, 'state.json'), '{"step":100}');
    writeFileSync(path.join(source, 'weights', 'w.bin'), Uint8Array.of(0, 1, 2, 255));
    const files = await readCheckpointFolder(source);
    expect(files.map((f) => f.name)).toEqual(['state.json', 'weights/w.bin']);
    const restored = file('ckpt-restored');
    await writeCheckpointFolder(files, restored);
    expect([...readFileSync(path.join(restored, 'weights', 'w.bin'))]).toEqual([0, 1, 2, 255]);
    expect(readFileSync(path.join(restored, 'state.json'), 'utf8')).toBe('{"step":100}');
    const damaged = files.map((f) => (f.name === 'state.json' ? { ...f, content: Buffer.from('{"step":1}').toString('base64') } : f));
    await expect(writeCheckpointFolder(damaged, file('ckpt-damaged'))).rejects.toThrow(
      /checkpoint file state.json does not match its SHA-256/,
    );
  });
});
