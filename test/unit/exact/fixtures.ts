/** The reference files of test/fixtures/reference, read for the exact-posterior tests. */
import { readFileSync } from 'node:fs';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';
import type { Dataset, LocalScoreModel } from '../../../src/gflownet/core/types.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reference files have many shapes; tests index into them freely
export function readReference<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/reference/${name}`, import.meta.url), 'utf8')) as T;
}

export function lingaussDataset(standardize: boolean): Dataset {
  const lines = readFileSync(new URL('../../fixtures/reference/lingauss_d5_n100.csv', import.meta.url), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const names = lines[0]!.split(',');
  const cols = names.map(() => [] as number[]);
  for (const line of lines.slice(1)) line.split(',').forEach((v, j) => cols[j]!.push(Number(v)));
  return datasetFromColumns({ names, continuous: cols, standardize, source: 'lingauss_d5_n100.csv' });
}

/**
 * A small, deterministic, non-score-equivalent scorer for tests that need arbitrary families:
 * every (node, parent set) gets a pseudo-random value in [−scale, 0) derived from a seed.
 */
export function randomLocalScores(d: number, seed: number, scale = 5): LocalScoreModel {
  const cache = new Map<string, number>();
  return {
    d,
    name: 'test-random',
    localScore(node, parents) {
      const key = `${node}:${parents.join(',')}`;
      let v = cache.get(key);
      if (v === undefined) {
        let h = seed >>> 0;
        for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
        v = -scale * new Rng(h).next();
        cache.set(key, v);
      }
      return v;
    },
  };
}

export function matrixToArray(m: number[][]): Uint8Array {
  return Uint8Array.from(m.flat().map((v) => (v ? 1 : 0)));
}
