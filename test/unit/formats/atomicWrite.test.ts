import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import type { PosteriorSampleRecord } from '../../../src/gflownet/core/types.ts';
import { exportRun } from '../../../src/gflownet/export/renderExport.ts';
import { loadRunDirectory } from '../../../src/gflownet/export/runDirectory.ts';
import { explainWriteError, writeFileAtomic, writeFileAtomicSync } from '../../../src/gflownet/io/atomicWrite.ts';
import { tempDir, writeRunFolder } from './fixtures.ts';

const tmp = tempDir('dagflow-atomic-');
afterAll(() => tmp.cleanup());

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp'));
}

describe('writeFileAtomic', () => {
  it('writes strings, bytes and chunk streams; returns the byte count', async () => {
    const file = tmp.file('a.txt');
    expect(await writeFileAtomic(file, 'héllo')).toBe(6);
    expect(readFileSync(file, 'utf8')).toBe('héllo');
    await writeFileAtomic(file, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    async function* chunks(): AsyncGenerator<string> {
      yield 'a';
      yield 'b';
    }
    expect(await writeFileAtomic(file, chunks())).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('ab');
    expect(writeFileAtomicSync(file, ['x', Uint8Array.of(0x79)])).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('xy');
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('a write that fails half-way leaves the old file untouched and no temporary file', async () => {
    const file = tmp.file('keep.txt');
    writeFileSync(file, 'the old content');
    function* failing(): Generator<string> {
      yield 'x'.repeat(100_000);
      yield 'y'.repeat(100_000);
      throw new Error('disk went away');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('disk went away');
    expect(readFileSync(file, 'utf8')).toBe('the old content');
    expect(leftovers(tmp.dir)).toEqual([]);
    expect(() => writeFileAtomicSync(file, failing())).toThrow('disk went away');
    expect(readFileSync(file, 'utf8')).toBe('the old content');
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('a failed first write creates no file at all', async () => {
    const file = tmp.file('never.txt');
    function* failing(): Generator<string> {
      yield 'partial';
      throw new Error('stop');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('stop');
    expect(readdirSync(tmp.dir)).not.toContain('never.txt');
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('keeps the mode of the file it replaces', async () => {
    const file = tmp.file('mode.sh');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o750);
    await writeFileAtomic(file, '#!/bin/sh\necho\n');
    expect(statSync(file).mode & 0o777).toBe(0o750);
  });

  it('a missing folder or a file in the way is a clear error', async () => {
    const missing = tmp.file('no/such/folder/out.csv');
    const err = await writeFileAtomic(missing, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DagflowError);
    expect((err as DagflowError).toUserMessage()).toMatch(/out\.csv: the folder does not exist \(ENOENT\) — create .*folder first/);
    writeFileSync(tmp.file('plainfile'), '');
    await expect(writeFileAtomic(tmp.file('plainfile/out.csv'), 'x')).rejects.toThrow(/folder does not exist \(ENOTDIR\)/);
    mkdirSync(tmp.file('adir'));
    await expect(writeFileAtomic(tmp.file('adir'), 'x')).rejects.toThrow(/a folder has this name|EISDIR/);
  });

  it('read-only and full disks get their own messages', () => {
    // Tests run as root here, so a chmod cannot make a folder read-only: check the mapping itself.
    const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
    for (const code of ['EACCES', 'EPERM', 'EROFS'])
      expect((explainWriteError(errno(code), '/x/out.csv') as DagflowError).message).toMatch(/read-only/);
    for (const code of ['ENOSPC', 'EDQUOT'])
      expect((explainWriteError(errno(code), '/x/out.csv') as DagflowError).message).toMatch(/disk is full.*nothing was written/);
    const other = new Error('odd');
    expect(explainWriteError(other, '/x')).toBe(other);
  });
});

describe('an export interrupted half-way leaves no partial file', () => {
  it('samples CSV: the generator fails after the first chunks were written', async () => {
    const run = tmp.file('run');
    mkdirSync(run);
    writeRunFolder(run, { samples: 100 });
    const results = await loadRunDirectory(run);
    // 20 000 samples so several 4096-row chunks reach the temporary file before sample 15 000 fails.
    const good = results.samples![1]!;
    const records: PosteriorSampleRecord[] = [];
    for (let k = 0; k < 20_000; k++) {
      if (k === 15_000) {
        records.push({
          get edges(): Array<[string, string]> {
            throw new Error('simulated crash while writing');
          },
          logScore: 0,
        });
      } else records.push(good);
    }
    const out = tmp.file('samples.csv');
    writeFileSync(out, 'previous export\n');
    await expect(exportRun({ ...results, samples: records }, 'samples-csv', out)).rejects.toThrow('simulated crash');
    expect(readFileSync(out, 'utf8')).toBe('previous export\n');
    expect(leftovers(tmp.dir)).toEqual([]);
    const fresh = tmp.file('fresh.csv');
    await expect(exportRun({ ...results, samples: records }, 'samples-csv', fresh)).rejects.toThrow('simulated crash');
    expect(readdirSync(tmp.dir)).not.toContain('fresh.csv');
  });
});
