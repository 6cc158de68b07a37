#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.ts (all of them when no name is given)
// and prints its table. Benchmarks measure; tests check correctness.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (name === '--help' || (name && !available.includes(name))) {
  console.log(`usage: npm run bench -- [${available.join('|')}] [args]`);
  process.exitCode = name === '--help' ? 0 : 2;
} else {
  for (const bench of name ? [name] : available) {
    console.log(`\n## bench ${bench}\n`);
    const mod = await import(path.join(dir, `${bench}.ts`));
    await mod.run(rest);
  }
}
