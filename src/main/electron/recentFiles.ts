/** The last files the user opened, kept in the app's user-data folder (written atomically). */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const LIMIT = 10;

export class RecentFiles {
  private readonly file: string;
  private items: string[];

  constructor(userDataDir: string) {
    this.file = path.join(userDataDir, 'recent-files.json');
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      this.items = Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, LIMIT) : [];
    } catch {
      this.items = [];
    }
  }

  list(): string[] {
    return [...this.items];
  }

  add(filePath: string): void {
    this.items = [filePath, ...this.items.filter((p) => p !== filePath)].slice(0, LIMIT);
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.items, null, 2));
    renameSync(tmp, this.file);
  }
}
