/**
 * The one entry point the samplers use: a local-score model for a data set (BGe or BDeu)
 * behind a cache keyed by (node, parent set), with hit/miss counts. A local score never
 * changes for a given (node, parents), so the cache never needs invalidating.
 */
import { DagflowError } from '../core/errors.ts';
import { MAX_VARIABLES } from '../core/limits.ts';
import type { Dataset, LocalScoreModel } from '../core/types.ts';
import { createBdeuScore } from './bdeu.ts';
import { createBgeScore } from './bge.ts';

export interface ScoreOptions {
  score: 'bge' | 'bdeu';
  /** BGe α_μ (default 1). */
  alphaMu?: number;
  /** BGe α_w (default d + 2). */
  alphaW?: number;
  /** BGe prior mean ν (default 'zero'). */
  mean?: 'zero' | 'sample';
  /** BDeu equivalent sample size (default 1). */
  ess?: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
}

export interface CachedScoreModel extends LocalScoreModel {
  readonly name: 'bge' | 'bdeu';
  cacheStats(): CacheStats;
  clearCache(): void;
}

export function createScoreModel(dataset: Dataset, options: ScoreOptions): CachedScoreModel {
  if (dataset.columns.length > MAX_VARIABLES) {
    throw new DagflowError(
      'TOO_MANY_COLUMNS',
      `${dataset.columns.length} variables; the engine supports at most ${MAX_VARIABLES}`,
      { file: dataset.source },
      'exclude columns',
    );
  }
  const inner =
    options.score === 'bge'
      ? createBgeScore(dataset, { alphaMu: options.alphaMu, alphaW: options.alphaW, mean: options.mean })
      : createBdeuScore(dataset, { ess: options.ess });
  return withCache(inner, options.score);
}

/**
 * Wraps a model with a per-node cache. The key is the parent set written as one character
 * per parent (indices < MAX_VARIABLES = 128 fit one UTF-16 unit), which is cheap to build
 * and hash. Parent sets are validated on a miss, so an invalid set never enters the cache.
 */
export function withCache<N extends 'bge' | 'bdeu'>(inner: LocalScoreModel, name: N): CachedScoreModel {
  const d = inner.d;
  const tables: Map<string, number>[] = Array.from({ length: d }, () => new Map());
  let hits = 0;
  let misses = 0;
  let size = 0;
  return {
    d,
    name,
    localScore(node: number, parents: readonly number[]): number {
      const table = tables[node];
      if (!table) throw new DagflowError('INTERNAL', `node ${node} out of range 0..${d - 1}`);
      const key = parents.length === 0 ? '' : String.fromCharCode(...parents);
      const cached = table.get(key);
      if (cached !== undefined) {
        hits++;
        return cached;
      }
      checkParents(node, parents, d);
      misses++;
      const value = inner.localScore(node, parents);
      table.set(key, value);
      size++;
      return value;
    },
    cacheStats: () => ({ hits, misses, size }),
    clearCache() {
      for (const t of tables) t.clear();
      hits = 0;
      misses = 0;
      size = 0;
    },
  };
}

function checkParents(node: number, parents: readonly number[], d: number): void {
  for (let m = 0; m < parents.length; m++) {
    const p = parents[m]!;
    if (!Number.isInteger(p) || p < 0 || p >= d || p === node || (m > 0 && p <= parents[m - 1]!)) {
      throw new DagflowError(
        'INTERNAL',
        `invalid parent set [${parents.join(', ')}] for node ${node}: parents must be ascending, distinct indices in 0..${d - 1} other than the node`,
      );
    }
  }
}
