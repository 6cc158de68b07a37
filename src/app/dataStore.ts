/**
 * The data files the user opened in this session, by opaque id. The renderer only ever sees
 * ids and file names; paths stay on the Node side. Uploaded bytes (browser mode, drag and drop)
 * are written to a private temporary folder so that engine jobs read every file the same way.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface OpenedData {
  id: string;
  name: string;
  path: string;
  sizeBytes: number;
}

export class DataStore {
  private readonly files = new Map<string, OpenedData>();
  private uploadDir: string | undefined;

  register(filePath: string, sizeBytes: number, name = path.basename(filePath)): OpenedData {
    const id = `data-${randomBytes(6).toString('hex')}`;
    const entry = { id, name, path: filePath, sizeBytes };
    this.files.set(id, entry);
    return entry;
  }

  saveUpload(fileName: string, content: Uint8Array): OpenedData {
    this.uploadDir ??= mkdtempSync(path.join(tmpdir(), 'dagflow-uploads-'));
    // A fresh subfolder per upload keeps the user's file name without collisions.
    const dir = mkdtempSync(path.join(this.uploadDir, 'u-'));
    const target = path.join(dir, path.basename(fileName));
    writeFileSync(target, content);
    return this.register(target, content.byteLength, path.basename(fileName));
  }

  get(id: string): OpenedData | undefined {
    return this.files.get(id);
  }

  dispose(): void {
    if (this.uploadDir) rmSync(this.uploadDir, { recursive: true, force: true });
  }
}
