/**
 * Issue 16, item 1: a cross-user file read through the recovery folder. The reproduction of the
 * issue, through the real API handlers: autosave an untitled session, replace the recovery file
 * by a symbolic link to a private file, autosave again — the `.bak` used to hold the secret. Now
 * nothing at that path is read or copied, the file is 0600 in a 0700 folder, a folder another
 * user created is refused, and (as a second Unix user made for the test) the folder cannot be
 * read by anyone else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataStore } from '../../../src/app/dataStore.ts';
import { createApiHandlers } from '../../../src/app/handlers.ts';
import { defaultRecoveryFolder, ensurePrivateFolder } from '../../../src/app/session/privateFolder.ts';
import { recoveryPath } from '../../../src/app/session/recovery.ts';
import { emptySession } from '../../../src/gflownet/session/schema.ts';
import { JobHost } from '../../../src/jobs/host.ts';
import type { ApiHandlers } from '../../../src/shared/api.ts';
import { PROJECT_ROOT } from './support/corpus.ts';

const base = mkdtempSync(path.join(tmpdir(), 'dagflow-recovery-folder-'));
chmodSync(base, 0o755);
const hosts: JobHost[] = [];
const stores: DataStore[] = [];
afterAll(async () => {
  for (const h of hosts) await h.shutdown();
  for (const d of stores) d.dispose();
  rmSync(base, { recursive: true, force: true });
});

const SECRET = 'the neighbour’s private notes';
const modeOf = (file: string): number => statSync(file).mode & 0o777;

function app(folder: string, pid: number, startedAt: number): ApiHandlers {
  const host = new JobHost({ maxConcurrent: 1 });
  const data = new DataStore();
  hosts.push(host);
  stores.push(data);
  return createApiHandlers({
    transport: 'browser',
    host,
    data,
    samplesDir: path.join(PROJECT_ROOT, 'samples'),
    sessionDebounceMs: 5,
    recovery: { folder, pid, startedAt },
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let k = 0; k < 400; k++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** An untitled session with data open: the recovery file gets written, with `note` in its settings. */
async function autosave(api: ApiHandlers, datasetId: string, note: string): Promise<void> {
  await api.updateSession({ datasetId, settings: { note }, views: {}, reference: null });
}

describe('the recovery folder is private', () => {
  it('a recovery file replaced by a link to a private file: the secret is never read or copied (the issue’s reproduction)', async () => {
    const folder = path.join(base, 'repro');
    const api = app(folder, 999_999_101, 1);
    const file = recoveryPath(folder, '999999101-1');
    const csv = readFileSync(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
    const opened = (await api.openData({ source: 'upload', fileName: 'asia.csv', content: new Uint8Array(csv) }))!;
    await autosave(api, opened.datasetId, 'first');
    await until(() => existsSync(file), 'the first autosave');
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);

    const secret = path.join(base, 'secret.txt');
    writeFileSync(secret, SECRET, { mode: 0o600 });
    rmSync(file);
    symlinkSync(secret, file);
    await autosave(api, opened.datasetId, 'second');
    await until(() => !lstatSync(file).isSymbolicLink(), 'the second autosave');
    await until(() => readFileSync(file, 'utf8').includes('second'), 'the second autosave content');

    expect(readFileSync(secret, 'utf8')).toBe(SECRET);
    expect(existsSync(`${file}.bak`)).toBe(false);
    for (const name of readdirSync(folder)) expect(readFileSync(path.join(folder, name), 'utf8'), name).not.toContain(SECRET);
    expect(modeOf(file)).toBe(0o600);
  });

  it('a planted link is neither listed nor recovered', async () => {
    const folder = path.join(base, 'planted');
    mkdirSync(folder, { mode: 0o700 });
    const target = path.join(base, 'someone-elses.dagflow');
    writeFileSync(target, JSON.stringify({ ...emptySession(), settings: { owner: 'someone else' } }));
    symlinkSync(target, recoveryPath(folder, '999999102-1'));
    const api = app(folder, 999_999_103, 2);
    expect(await api.listRecoverableSessions(undefined)).toEqual([]);
    await expect(api.recoverSession({ id: '999999102-1' })).rejects.toThrow(/symbolic link/);
  });

  it('an existing folder of ours that is too open is closed to 0700', async () => {
    const folder = path.join(base, 'open');
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    await ensurePrivateFolder(folder);
    expect(modeOf(folder)).toBe(0o700);
  });

  it('a link in place of the folder is refused', async () => {
    const real = path.join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, path.join(base, 'linked'));
    await expect(ensurePrivateFolder(path.join(base, 'linked'))).rejects.toThrow(/is a symbolic link/);
  });

  it('the default folder of browser mode is under the user’s state folder, not a shared name in /tmp', () => {
    expect(defaultRecoveryFolder({ XDG_STATE_HOME: '/home/ann/.state' })).toBe('/home/ann/.state/dagflow/recovery');
    expect(defaultRecoveryFolder({})).toMatch(/\.local\/state\/dagflow\/recovery$/);
    expect(defaultRecoveryFolder({})).not.toBe(path.join(tmpdir(), 'dagflow-recovery'));
  });
});

/** A second Unix user for the test, when this process may make one (root, with useradd). Null with the reason otherwise. */
function secondUser(): { uid: number; gid: number; name: string } | string {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return 'no Unix users on this platform';
  if (process.getuid() !== 0) return 'only root can create a second user (run as root, as CI does)';
  const name = 'dagflowprobe';
  const lookup = (): string => execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim();
  try {
    lookup();
  } catch {
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    if (made.status !== 0) return `useradd failed: ${made.stderr?.toString().trim() || made.error?.message}`;
  }
  return { name, uid: Number(lookup()), gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()) };
}

const other = secondUser();
const skipReason = typeof other === 'string' ? other : '';
if (skipReason) console.warn(`recoveryFolder.test.ts: the multi-user part is skipped: ${skipReason}`);

describe.skipIf(typeof other === 'string')(`the recovery folder across Unix users${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const user = other as { uid: number; gid: number; name: string };

  it('a folder another user created first (0777, owned by them) is refused, and nothing is written or offered from it', async () => {
    const folder = path.join(base, 'theirs');
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    chownSync(folder, user.uid, user.gid);
    const planted = recoveryPath(folder, '999999104-1');
    writeFileSync(planted, JSON.stringify({ ...emptySession(), settings: { planted: true } }));
    chownSync(planted, user.uid, user.gid);
    await expect(ensurePrivateFolder(folder)).rejects.toThrow(/belongs to another user/);

    const api = app(folder, 999_999_105, 3);
    expect(await api.listRecoverableSessions(undefined)).toEqual([]);
    const csv = readFileSync(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
    const opened = (await api.openData({ source: 'upload', fileName: 'asia.csv', content: new Uint8Array(csv) }))!;
    await autosave(api, opened.datasetId, 'must not land in their folder');
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(folder)).toEqual([path.basename(planted)]);
  });

  it('another user cannot list the folder nor read a recovery file in it', async () => {
    const folder = path.join(base, 'mine');
    const api = app(folder, 999_999_106, 4);
    const csv = readFileSync(path.join(PROJECT_ROOT, 'samples', 'asia_n1000.csv'));
    const opened = (await api.openData({ source: 'upload', fileName: 'asia.csv', content: new Uint8Array(csv) }))!;
    await autosave(api, opened.datasetId, 'mine');
    const file = recoveryPath(folder, '999999106-4');
    await until(() => existsSync(file), 'the autosave');
    const probe = `const fs = require('node:fs'); for (const f of [${JSON.stringify(folder)}]) { try { fs.readdirSync(f); console.log('LISTED'); } catch (e) { console.log(e.code); } } try { fs.readFileSync(${JSON.stringify(file)}); console.log('READ'); } catch (e) { console.log(e.code); }`;
    const result = spawnSync(process.execPath, ['-e', probe], { uid: user.uid, gid: user.gid, encoding: 'utf8', cwd: '/' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['EACCES', 'EACCES']);
  });
});
