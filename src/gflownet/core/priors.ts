import { DagflowError } from './errors.ts';
import type { StructurePriorOptions } from './types.ts';

/**
 * f(k) for k = 0..d-1 (docs/architecture.md §2): the per-node, unnormalised log-prior term that the
 * reward adds for a node with k parents.
 */
export function structurePriorTable(d: number, options: StructurePriorOptions): Float64Array {
  const f = new Float64Array(d);
  switch (options.kind) {
    case 'uniform':
      return f;
    case 'erdos-renyi': {
      const e = options.edgesPerNode ?? 1;
      if (d < 2) return f;
      const p = (d * e) / ((d * (d - 1)) / 2);
      if (!(p > 0 && p < 1)) {
        throw new DagflowError(
          'BAD_OPTION',
          `expected edges per node ${e} gives edge probability ${p.toPrecision(4)} outside (0, 1) for ${d} variables`,
          { field: 'prior.edgesPerNode' },
          `choose a value between 0 and ${((d - 1) / 2).toPrecision(3)} (exclusive)`,
        );
      }
      for (let k = 0; k < d; k++) f[k] = k * Math.log(p) + (d - 1 - k) * Math.log(1 - p);
      return f;
    }
    case 'edge': {
      const beta = options.beta ?? 0.5;
      if (!(beta > 0)) {
        throw new DagflowError(
          'BAD_OPTION',
          `edge penalty β must be positive, got ${beta}`,
          { field: 'prior.beta' },
          'use a value such as 0.5 (β < 1 favours sparse graphs)',
        );
      }
      for (let k = 0; k < d; k++) f[k] = k * Math.log(beta);
      return f;
    }
    case 'fair': {
      for (let k = 0; k < d; k++) f[k] = -logBinomial(d, k);
      return f;
    }
  }
}

function logBinomial(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}
