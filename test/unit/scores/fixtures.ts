/** Reads the reference CSVs of test/fixtures/reference into Datasets (without the CSV loader, so the score tests stand alone). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';
import type { Dataset } from '../../../src/gflownet/core/types.ts';

export const referenceDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'reference');

export function readReferenceJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(referenceDir, name), 'utf8')) as T;
}

/** A simple comma-separated file with a header and no quoting (the reference files are). */
export function readSimpleCsv(name: string): { names: string[]; cells: string[][] } {
  const lines = readFileSync(path.join(referenceDir, name), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const names = lines[0]!.split(',');
  const cells = names.map(() => [] as string[]);
  for (const line of lines.slice(1)) line.split(',').forEach((v, j) => cells[j]!.push(v));
  return { names, cells };
}

export function continuousReference(name: string, standardize: boolean): Dataset {
  const { names, cells } = readSimpleCsv(name);
  return datasetFromColumns({ names, continuous: cells.map((c) => c.map(Number)), standardize, source: name });
}

export function discreteReference(name: string): Dataset {
  const { names, cells } = readSimpleCsv(name);
  return datasetFromColumns({ names, discrete: cells, source: name });
}

/** |a − b| ≤ rel·max(|a|, |b|, 1e-300): the tolerance the reference README states. */
export function relClose(actual: number, expected: number, rel = 1e-9): boolean {
  return Math.abs(actual - expected) <= rel * Math.max(Math.abs(actual), Math.abs(expected), 1e-300);
}
