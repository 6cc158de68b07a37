import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportRun } from '../../../../src/gflownet/export/renderExport.ts';
import { DATA_EXPORTS } from '../../../../src/shared/exchange.ts';
import { loadRunDirectory } from '../../../../src/gflownet/export/runDirectory.ts';
import {
  embeddedDataBytes,
  makeDataReference,
  relocateData,
  resolveDataReference,
  restoreEmbeddedData,
} from '../../../../src/gflownet/session/dataReference.ts';
import { emptySession, SESSION_VERSION, type SessionFile } from '../../../../src/gflownet/session/schema.ts';
import { resultsFromSessionRun, sessionRunFromResults, writeSessionFile } from '../../../../src/gflownet/session/sessionFile.ts';
import { autosavePath, listAutosaves, SessionStore, type SaveEvent, type Scheduler } from '../../../../src/app/session/sessionStore.ts';
import { writeRunFolder } from '../../formats/fixtures.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (...parts: string[]): string => path.join(dir, ...parts);

/** A scheduler the test fires by hand: debouncing without real time. */
function manualTimers(): Scheduler & { pending(): number; fire(): void; lastDelay(): number } {
  let next = 1;
  const timers = new Map<number, { callback: () => void; ms: number }>();
  let delay = -1;
  return {
    set(callback, ms) {
      const id = next++;
      timers.set(id, { callback, ms });
      delay = ms;
      return id;
    },
    clear(handle) {
      timers.delete(handle as number);
    },
    pending: () => timers.size,
    fire() {
      const all = [...timers.values()];
      timers.clear();
      for (const t of all) t.callback();
    },
    lastDelay: () => delay,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('data reference by content', () => {
  const dataDir = at('data');
  mkdirSync(dataDir);
  const data = path.join(dataDir, 'x.csv');
  writeFileSync(data, 'A,B\n1,2\n3,4\n');
  const sessionPath = at('project', 'analysis.dagflow');

  it('found where it was; found beside the session when the folder moved as a whole', async () => {
    const ref = await makeDataReference(data, sessionPath);
    expect(ref.relativePath).toBe('../data/x.csv');
    expect(ref.bytes).toBe(12);
    expect(await resolveDataReference(ref, sessionPath)).toEqual({ status: 'found', path: data });
    // the whole tree moved: the absolute path is gone, the relative one works
    const movedRoot = at('moved');
    mkdirSync(path.join(movedRoot, 'data'), { recursive: true });
    cpSync(data, path.join(movedRoot, 'data', 'x.csv'));
    const gone = { ...ref, path: at('gone', 'x.csv') };
    expect(await resolveDataReference(gone, path.join(movedRoot, 'project', 'analysis.dagflow'))).toEqual({
      status: 'found',
      path: path.join(movedRoot, 'data', 'x.csv'),
    });
  });

  it('missing → ask; the new file is accepted only with the same bytes', async () => {
    const ref = await makeDataReference(data, sessionPath);
    const missing = { ...ref, path: at('nowhere', 'x.csv'), relativePath: 'nowhere/x.csv' };
    const resolution = await resolveDataReference(missing, sessionPath);
    expect(resolution.status).toBe('missing');
    const copy = at('copy-of-x.csv');
    cpSync(data, copy);
    const relocated = await relocateData(missing, copy, sessionPath);
    expect(relocated.path).toBe(copy);
    expect(relocated.relativePath).toBe('../copy-of-x.csv');
    const edited = at('edited-x.csv');
    writeFileSync(edited, 'A,B\n1,2\n3,5\n');
    await expect(relocateData(missing, edited, sessionPath)).rejects.toMatchObject({ problem: 'data-changed' });
    await expect(relocateData(missing, edited, sessionPath)).rejects.toThrow(/not the data the session was computed on/);
  });

  it('a changed file at the old place is reported, not silently used', async () => {
    const own = at('changing.csv');
    writeFileSync(own, 'A\n1\n');
    const ref = await makeDataReference(own, null);
    writeFileSync(own, 'A\n2\n');
    const r = await resolveDataReference(ref, null);
    expect(r.status).toBe('changed');
  });

  it('embedded data: text as UTF-8, binary as base64, hash checked', async () => {
    const ref = await makeDataReference(data, sessionPath, { embed: true });
    expect(ref.embedded?.encoding).toBe('utf8');
    expect(Buffer.from(embeddedDataBytes(ref)).toString('utf8')).toBe('A,B\n1,2\n3,4\n');
    const gone = { ...ref, path: at('gone.csv'), relativePath: 'gone.csv' };
    expect((await resolveDataReference(gone, sessionPath)).status).toBe('embedded');
    const restored = await restoreEmbeddedData(gone, at('restored-x.csv'), sessionPath);
    expect(readFileSync(restored.path, 'utf8')).toBe('A,B\n1,2\n3,4\n');
    expect((await resolveDataReference(restored, sessionPath)).status).toBe('found');
    const binary = at('latin1.csv');
    writeFileSync(binary, Uint8Array.of(0x41, 0xe9, 0x0a));
    const bref = await makeDataReference(binary, null, { embed: true });
    expect(bref.embedded?.encoding).toBe('base64');
    expect([...embeddedDataBytes(bref)]).toEqual([0x41, 0xe9, 0x0a]);
    expect(() => embeddedDataBytes({ ...ref, embedded: { encoding: 'utf8', content: 'tampered' } })).toThrow(
      /does not match its recorded SHA-256/,
    );
  });
});

describe('autosave', () => {
  it('a burst of changes gives one atomic write after the quiet time, then a .bak on the next', async () => {
    const timers = manualTimers();
    const saved: SaveEvent[] = [];
    const file = at('auto.dagflow');
    const store = new SessionStore(file, emptySession(), { scheduler: timers, debounceMs: 1200, onSaved: (e) => saved.push(e) });
    store.update((s) => ({ ...s, views: { threshold: 0.3 } }));
    store.update((s) => ({ ...s, views: { threshold: 0.4 } }));
    store.update((s) => ({ ...s, views: { threshold: 0.5 } }));
    expect(timers.pending()).toBe(1);
    expect(timers.lastDelay()).toBe(1200);
    expect(existsSync(file)).toBe(false);
    timers.fire();
    await settle();
    expect(saved.map((e) => [e.reason, e.backup])).toEqual([['autosave', null]]);
    expect(JSON.parse(readFileSync(file, 'utf8')).views).toEqual({ threshold: 0.5 });
    expect(store.isDirty).toBe(false);
    store.update((s) => ({ ...s, views: { threshold: 0.6 } }));
    await store.flush();
    expect(saved.map((e) => e.reason)).toEqual(['autosave', 'flush']);
    expect(JSON.parse(readFileSync(`${file}.bak`, 'utf8')).views).toEqual({ threshold: 0.5 });
    expect(JSON.parse(readFileSync(file, 'utf8')).views).toEqual({ threshold: 0.6 });
    await store.flush(); // nothing changed: no write
    expect(saved.length).toBe(2);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed autosave is reported, keeps the session dirty, and succeeds on the next flush', async () => {
    const timers = manualTimers();
    const errors: unknown[] = [];
    const folder = at('vanishing');
    mkdirSync(folder);
    const file = path.join(folder, 's.dagflow');
    const store = new SessionStore(file, emptySession(), { scheduler: timers, onError: (e) => errors.push(e) });
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'a file where the folder was'); // writing inside it now fails (ENOTDIR)
    store.update((s) => ({ ...s, views: { a: 1 } }));
    timers.fire();
    await settle();
    expect(errors.length).toBe(1);
    expect(String(errors[0])).toMatch(/folder does not exist|ENOTDIR|EEXIST/);
    expect(store.isDirty).toBe(true);
    rmSync(folder);
    mkdirSync(folder);
    await store.flush();
    expect(store.isDirty).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8')).views).toEqual({ a: 1 });
  });

  it('untitled sessions autosave under the app folder and are listed for recovery', async () => {
    const folder = at('autosaves');
    const file = autosavePath(folder, 'abc-1');
    expect(path.basename(file)).toBe('untitled-abc-1.dagflow');
    const store = new SessionStore(file, emptySession(), { scheduler: manualTimers() });
    store.update((s) => ({ ...s, settings: { x: 1 } }));
    await store.close();
    expect((await listAutosaves(folder)).map((a) => a.file)).toEqual([file]);
    expect(() => autosavePath(folder, '../evil')).toThrow();
  });
});

describe('reopening', () => {
  it('a corrupt file or a newer-version file: clear error, no store, nothing written', async () => {
    const corrupt = at('corrupt.dagflow');
    writeFileSync(corrupt, '{"format":"dagflow-session","version":1,"runs":[');
    await expect(SessionStore.open(corrupt)).rejects.toMatchObject({ problem: 'corrupt' });
    const newer = at('newer.dagflow');
    const text = JSON.stringify({ ...emptySession(), version: SESSION_VERSION + 3 });
    writeFileSync(newer, text);
    await expect(SessionStore.open(newer)).rejects.toMatchObject({ problem: 'newer-version' });
    expect(readFileSync(corrupt, 'utf8')).toBe('{"format":"dagflow-session","version":1,"runs":[');
    expect(readFileSync(newer, 'utf8')).toBe(text);
    expect(existsSync(`${corrupt}.bak`) || existsSync(`${newer}.bak`)).toBe(false);
  });

  it('end to end: runs and views saved, data moved, reopened with identical results and exports', async () => {
    // two runs as dagflow train / mcmc would leave them, and the data they used
    const project = at('e2e');
    const runA = path.join(project, 'runs', 'gfn');
    const runB = path.join(project, 'runs', 'mc3');
    mkdirSync(path.join(runA, 'checkpoint'), { recursive: true });
    mkdirSync(runB, { recursive: true });
    writeRunFolder(runA, { samples: 150, seed: 1 });
    writeRunFolder(runB, { samples: 90, seed: 2, marginals: false });
    writeFileSync(
      path.join(runA, 'checkpoint', 'policy.bin'),
      Uint8Array.from({ length: 64 }, (_, k) => (k * 37) % 256),
    );
    const data = path.join(project, 'data.csv');
    writeFileSync(data, 'X0,X1,X2,X3,X4\n1,2,3,4,5\n');
    const sessionFile = path.join(project, 'analysis.dagflow');

    const resultsA = await loadRunDirectory(runA);
    const resultsB = await loadRunDirectory(runB);
    const views = { selectedRun: 'gfn', threshold: 0.45, tab: 'graph', compare: ['gfn', 'mc3'], positions: { X0: [10.5, 20.25] } };
    const session: SessionFile = {
      ...emptySession(),
      data: await makeDataReference(data, sessionFile),
      settings: { model: { score: 'bge', prior: { kind: 'erdos-renyi', edgesPerNode: 1 } }, seed: 7 },
      runs: [
        await sessionRunFromResults(resultsA, {
          id: 'gfn',
          label: 'GFlowNet',
          checkpointDir: path.join(runA, 'checkpoint'),
          settings: { iterations: 500 },
        }),
        await sessionRunFromResults(resultsB, { id: 'mc3', label: 'MC3' }),
      ],
      reference: { source: 'truth.csv', edges: [['X0', 'X1']] },
      views,
    };
    const store = new SessionStore(sessionFile, emptySession(), { scheduler: manualTimers() });
    store.update(session);
    await store.close();

    // the whole project folder moves; the session must find its data by the relative path and hash
    const moved = at('e2e-moved');
    renameSync(project, moved);
    const reopened = await SessionStore.open(path.join(moved, 'analysis.dagflow'));
    expect(reopened.data).toEqual({ status: 'found', path: path.join(moved, 'data.csv') });
    expect(reopened.migrated).toBe(false);
    expect(reopened.session.views).toEqual(views);
    expect(reopened.session.settings).toEqual(session.settings);
    expect(reopened.session.reference).toEqual(session.reference);
    expect(reopened.session.runs).toEqual(session.runs);
    expect(reopened.session.runs[0]!.seed).toBe(1);

    // identical results: every export of a reopened run is byte-identical to the export of the original folder
    const out = at('e2e-exports');
    mkdirSync(out);
    for (const [k, original] of [resultsA, resultsB].entries()) {
      const fromSession = resultsFromSessionRun(reopened.session.runs[k]!, original.source);
      expect(Array.from(fromSession.marginals)).toEqual(Array.from(original.marginals));
      // The formats that need the run's data (effects, conditional tables) are tested in test/unit/formats/bifExports.test.ts.
      for (const format of EXPORT_FORMATS.filter((f) => !DATA_EXPORTS.includes(f))) {
        const a = path.join(out, `orig-${k}-${format}`);
        const b = path.join(out, `session-${k}-${format}`);
        await exportRun(original, format, a, { threshold: 0.45 });
        await exportRun(fromSession, format, b, { threshold: 0.45 });
        expect(readFileSync(b).equals(readFileSync(a)), `${format} of run ${k}`).toBe(true);
      }
    }

    // the checkpoint comes back byte for byte
    const ckpt = reopened.session.runs[0]!.checkpoint!;
    expect(ckpt.map((f) => f.name)).toEqual(['policy.bin']);
    expect([...Buffer.from(ckpt[0]!.content, 'base64')]).toEqual(Array.from({ length: 64 }, (_, k) => (k * 37) % 256));

    // data moved elsewhere on its own: the store asks, then accepts the same bytes only
    renameSync(path.join(moved, 'data.csv'), at('elsewhere.csv'));
    const again = await SessionStore.open(path.join(moved, 'analysis.dagflow'), { scheduler: manualTimers() });
    expect(again.data?.status).toBe('missing');
    await again.store.relocateData(at('elsewhere.csv'));
    await again.store.flush();
    const third = await SessionStore.open(path.join(moved, 'analysis.dagflow'));
    expect(third.data).toEqual({ status: 'found', path: at('elsewhere.csv') });
    expect(third.session.runs).toEqual(session.runs);
  });

  it('save as moves autosave to the new file and rewrites the relative data path', async () => {
    const data = at('sa-data.csv');
    writeFileSync(data, 'A\n1\n');
    const first = at('sa', 'one.dagflow');
    mkdirSync(path.dirname(first), { recursive: true });
    await writeSessionFile(first, { ...emptySession(), data: await makeDataReference(data, first) });
    const opened = await SessionStore.open(first, { scheduler: manualTimers() });
    const second = at('sa', 'deeper', 'two.dagflow');
    await opened.store.saveAs(second);
    expect(opened.store.file).toBe(second);
    const reread = await SessionStore.open(second);
    expect(reread.session.data?.relativePath).toBe('../../sa-data.csv');
    expect(reread.data?.status).toBe('found');
  });
});
