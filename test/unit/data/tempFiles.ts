/** Small files written into a fresh temporary folder per test file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const samplesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');

export function tempFolder(): { write(name: string, content: string | Uint8Array): string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-data-'));
  return {
    write(name, content) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
