import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { SampleInfo } from '../shared/api.ts';

/** The data sets shipped in samples/ (provenance in samples/README.md). */
export const SAMPLE_CATALOGUE: SampleInfo[] = [
  {
    name: 'sachs_obs_853.csv',
    title: 'Sachs protein signalling (observational)',
    kind: 'continuous',
    description: '853 cells × 11 proteins, flow cytometry (Sachs et al. 2005). Use BGe; the consensus network has 17 arcs.',
  },
  {
    name: 'asia_n1000.csv',
    title: 'Asia (lung cancer toy network)',
    kind: 'discrete',
    description: '1000 samples × 8 yes/no variables from the network of Lauritzen & Spiegelhalter (1988). Use BDeu.',
  },
  {
    name: 'sachs_interventional_discrete_5400.csv',
    title: 'Sachs, discretized, with interventions',
    kind: 'discrete',
    description: '5400 cells × 11 proteins at 3 levels, pooled over 6 conditions; intervention targets in the _INT sidecar file.',
  },
];

/** The samples folder: beside the app in development, in resources when packaged. */
export function findSamplesDir(candidates: string[]): string {
  for (const dir of candidates) if (existsSync(path.join(dir, 'sachs_obs_853.csv'))) return dir;
  throw new Error(`samples folder not found (looked in ${candidates.join(', ')})`);
}
