/**
 * The consensus DAG of a discrete run as a Bayesian network: the edges with posterior
 * probability ≥ the threshold (graphio/graph.ts `consensusAt`), each node's conditional table
 * the BDeu posterior mean given that DAG (causal/bdeuEffects.ts `MeanTables`: Dirichlet
 * posterior means, counted on the rows where the node was not intervened on). BIF and XMLBIF
 * (bif.ts, xmlbif.ts) write this shape; their readers give it back, for the round-trip tests.
 */
import { MeanTables } from '../causal/bdeuEffects.ts';
import { DagflowError } from '../core/errors.ts';
import type { Dataset } from '../core/types.ts';
import { MAX_BITMASK_NODES } from '../exact/constraints.ts';
import { findCycle } from '../graph/dag.ts';
import { consensusAt } from '../graphio/graph.ts';

/** A discrete Bayesian network, as BIF and XMLBIF hold one. */
export interface DiscreteNetwork {
  name: string;
  variables: Array<{
    name: string;
    levels: string[];
    /** Parent indices into `variables`, ascending. */
    parents: number[];
    /**
     * P(variable = level k | parent configuration c) at [c·r + k]; configurations count with the
     * first parent most significant (the last one changes fastest), as XMLBIF lists them.
     */
    table: Float64Array;
  }>;
}

/** Tables larger than this (entries per node) are refused: a BIF file is for people and tools, not for 10⁷ numbers. */
export const MAX_TABLE_ENTRIES = 1_000_000;

export function consensusNetwork(
  columns: readonly string[],
  marginals: ArrayLike<number>,
  threshold: number,
  dataset: Dataset,
  ess: number,
): DiscreteNetwork {
  const d = columns.length;
  if (dataset.kind !== 'discrete' || !dataset.discrete)
    throw new DagflowError(
      'BAD_OPTION',
      'BIF and XMLBIF hold discrete networks (conditional probability tables), but this run scored continuous data with BGe',
      { flag: '--format' },
      'export the consensus graph as GraphML, DOT or DAGitty, or the effects as causal-effects',
    );
  if (dataset.columns.join('\u0000') !== columns.join('\u0000'))
    throw new DagflowError('BAD_OPTION', `the data has columns ${dataset.columns.join(', ')}, but the run has ${columns.join(', ')}`);
  if (d > MAX_BITMASK_NODES)
    throw new DagflowError('TOO_LARGE', `conditional tables are built for at most ${MAX_BITMASK_NODES} variables, the run has ${d}`);
  const graph = consensusAt(columns, marginals, threshold);
  const adjacency = new Uint8Array(d * d);
  const index = new Map(columns.map((c, k) => [c, k]));
  for (const e of graph.edges) adjacency[index.get(e.from)! * d + index.get(e.to)!] = 1;
  const cycle = findCycle(adjacency, d);
  if (cycle) {
    throw new DagflowError(
      'BAD_GRAPH',
      `the consensus graph at threshold ${threshold} has a directed cycle (${[...cycle, cycle[0]!].map((k) => columns[k]).join(' → ')}), so it is not a Bayesian network`,
      { flag: '--threshold' },
      'raise the threshold above 0.5 so that at most one direction of a pair is kept',
    );
  }
  const tables = new MeanTables(dataset, ess);
  const levels = dataset.discrete.levels;
  return {
    name: 'dagflow_consensus',
    variables: columns.map((name, j) => {
      const parents: number[] = [];
      let mask = 0;
      for (let i = 0; i < d; i++) {
        if (!adjacency[i * d + j]) continue;
        parents.push(i);
        mask |= 1 << i;
      }
      const size = parents.reduce((q, p) => q * levels[p]!.length, levels[j]!.length);
      if (size > MAX_TABLE_ENTRIES)
        throw new DagflowError(
          'TOO_LARGE',
          `the conditional table of ${name} would have ${size} entries (${parents.length} parents)`,
          { flag: '--threshold' },
          'raise the threshold to keep fewer parents',
        );
      return { name, levels: [...levels[j]!], parents, table: Float64Array.from(tables.get(j, mask)) };
    }),
  };
}

/** Checks a network read back (or about to be written): a DAG, table sizes, every row a distribution. */
export function checkNetwork(net: DiscreteNetwork, what: string, tolerance = 1e-9): void {
  const d = net.variables.length;
  const adjacency = new Uint8Array(d * d);
  net.variables.forEach((v, j) => {
    if (v.levels.length < 1) throw new DagflowError('BAD_GRAPH', `${what}: ${v.name} has no levels`);
    let q = 1;
    for (const p of v.parents) {
      if (!(p >= 0 && p < d) || p === j) throw new DagflowError('BAD_GRAPH', `${what}: ${v.name} has an invalid parent`);
      adjacency[p * d + j] = 1;
      q *= net.variables[p]!.levels.length;
    }
    const r = v.levels.length;
    if (v.table.length !== q * r)
      throw new DagflowError('BAD_GRAPH', `${what}: the table of ${v.name} has ${v.table.length} entries, expected ${q}·${r}`);
    for (let c = 0; c < q; c++) {
      let sum = 0;
      for (let k = 0; k < r; k++) {
        const p = v.table[c * r + k]!;
        if (!(p >= 0 && p <= 1)) throw new DagflowError('BAD_GRAPH', `${what}: ${v.name} has the entry ${p}, not a probability`);
        sum += p;
      }
      if (Math.abs(sum - 1) > tolerance)
        throw new DagflowError('BAD_GRAPH', `${what}: a row of the table of ${v.name} sums to ${sum}, not 1`);
    }
  });
  const cycle = findCycle(adjacency, d);
  if (cycle) throw new DagflowError('BAD_GRAPH', `${what}: the network has a directed cycle through ${net.variables[cycle[0]!]!.name}`);
}

/** Probabilities as text: 12 decimals at most, trailing zeros removed (rows sum to 1 within 1e-11). */
export function formatProbability(p: number): string {
  const s = p.toFixed(12).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}
