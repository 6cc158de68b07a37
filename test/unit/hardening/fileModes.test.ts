/**
 * Issue 16, item 3: backups and atomic-write temporaries keep the original file's mode. A
 * session saved 0600 used to get a 0644 `.bak` (anyone on the machine could read the copy), and
 * the temporary of an atomic write was created 0644 before the rename.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from '../../../src/gflownet/io/atomicWrite.ts';
import { emptySession } from '../../../src/gflownet/session/schema.ts';
import { backupPathFor, writeSessionFile } from '../../../src/gflownet/session/sessionFile.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('file modes of saves, backups and temporaries', () => {
  it('a 0600 session gets a 0600 .bak, even over an older 0644 .bak', async () => {
    const file = path.join(dir, 's.dagflow');
    await writeSessionFile(file, emptySession());
    chmodSync(file, 0o600);
    writeFileSync(backupPathFor(file), JSON.stringify(emptySession()));
    chmodSync(backupPathFor(file), 0o644);
    const { backup } = await writeSessionFile(file, emptySession());
    expect(backup).toBe(backupPathFor(file));
    expect(modeOf(backupPathFor(file))).toBe(0o600);
    expect(modeOf(file)).toBe(0o600);
  });

  it('the temporary of a rewrite is never wider than the file it replaces', async () => {
    const file = path.join(dir, 'private.txt');
    writeFileSync(file, 'secret v1');
    chmodSync(file, 0o600);
    const seen: number[] = [];
    async function* content(): AsyncGenerator<string> {
      yield 'secret ';
      // Half-way through the write: the temporary exists beside the target.
      for (const name of readdirSync(dir))
        if (name.startsWith('.private.txt.') && name.endsWith('.tmp')) seen.push(modeOf(path.join(dir, name)));
      yield 'v2';
    }
    await writeFileAtomic(file, content());
    expect(seen).toEqual([0o600]);
    expect(modeOf(file)).toBe(0o600);
  });

  it('a rewrite keeps a mode the umask would narrow (0664 stays 0664), in both writers', async () => {
    const file = path.join(dir, 'group.txt');
    writeFileSync(file, 'v1');
    chmodSync(file, 0o664);
    const previous = process.umask(0o077);
    try {
      await writeFileAtomic(file, 'v2');
      expect(modeOf(file)).toBe(0o664);
      writeFileAtomicSync(file, 'v3');
      expect(modeOf(file)).toBe(0o664);
    } finally {
      process.umask(previous);
    }
  });

  it('exactMode sets the mode of a new file and of an existing one', async () => {
    const file = path.join(dir, 'exact.txt');
    await writeFileAtomic(file, 'a', { exactMode: 0o600 });
    expect(modeOf(file)).toBe(0o600);
    chmodSync(file, 0o644);
    writeFileAtomicSync(file, 'b', { exactMode: 0o600 });
    expect(modeOf(file)).toBe(0o600);
  });
});
