/**
 * The structure-prior and prior-knowledge flags shared by `dagflow exact`, `train` and `mcmc`,
 * and the loader that turns them into the prior table f(k) and a checked PriorKnowledge.
 * Contradictory knowledge (a required edge that is also forbidden or goes against the tiers,
 * required edges forming a cycle, more required parents than --max-parents) is an error
 * naming the edges.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { structurePriorTable } from '../gflownet/core/priors.ts';
import type { PriorKnowledge, StructurePriorKind, StructurePriorOptions } from '../gflownet/core/types.ts';
import { adjacencyFromEdges, findCycle } from '../gflownet/graph/dag.ts';
import { readEdgeListCsv } from '../gflownet/graph/edgeList.ts';
import { readTiersCsv } from '../gflownet/graph/tierList.ts';
import type { ParsedFlags } from './flags.ts';

export const knowledgeFlags = {
  prior: { type: 'enum', values: ['uniform', 'erdos-renyi', 'edge', 'fair'], default: 'uniform', help: 'structure prior: uniform, Erdős–Rényi, edge penalty, or fair (−log C(d, k) per node)' },
  'edges-per-node': { type: 'number', min: 0, exclusiveMin: true, help: 'Erdős–Rényi prior: expected edges per node (default 1)' },
  beta: { type: 'number', min: 0, exclusiveMin: true, help: 'edge prior: each edge multiplies the prior by β (default 0.5)' },
  'max-parents': { type: 'number', integer: true, min: 0, help: 'at most this many parents per node (default: no bound)' },
  forbid: { type: 'string', valueName: 'EDGES.csv', help: 'edges that may not appear: a from,to CSV by column name' },
  require: { type: 'string', valueName: 'EDGES.csv', help: 'edges that must appear: a from,to CSV by column name' },
  tiers: { type: 'string', valueName: 'FILE.csv', help: 'a node,tier CSV giving every column a whole-number tier ≥ 0; no edge from a later tier to an earlier one' },
} as const;

export type KnowledgeFlagValues = ParsedFlags<typeof knowledgeFlags>;

export interface LoadedKnowledge {
  prior: StructurePriorOptions;
  /** f(k), k = 0..d−1. */
  priorTable: Float64Array;
  knowledge: PriorKnowledge;
}

export async function loadKnowledge(opts: KnowledgeFlagValues, columns: readonly string[]): Promise<LoadedKnowledge> {
  const d = columns.length;
  const kind = opts.prior as StructurePriorKind;
  if (opts['edges-per-node'] !== undefined && kind !== 'erdos-renyi') {
    throw new DagflowError('BAD_OPTION', `applies to the Erdős–Rényi prior only, but the prior is ${kind}`, { flag: '--edges-per-node' }, 'add --prior erdos-renyi or drop the flag');
  }
  if (opts.beta !== undefined && kind !== 'edge') {
    throw new DagflowError('BAD_OPTION', `applies to the edge prior only, but the prior is ${kind}`, { flag: '--beta' }, 'add --prior edge or drop the flag');
  }
  const prior: StructurePriorOptions = { kind, edgesPerNode: opts['edges-per-node'], beta: opts.beta };
  const priorTable = structurePriorTable(d, prior);
  const maxParents = opts['max-parents'] === undefined ? Math.max(0, d - 1) : Math.min(opts['max-parents'], Math.max(0, d - 1));
  const forbidden = opts.forbid === undefined ? [] : await readEdgeListCsv(opts.forbid, columns);
  const required = opts.require === undefined ? [] : await readEdgeListCsv(opts.require, columns);
  const tiers = opts.tiers === undefined ? undefined : await readTiersCsv(opts.tiers, columns);
  const name = ([i, j]: readonly [number, number]): string => `${columns[i]} → ${columns[j]}`;

  const forbiddenSet = new Set(forbidden.map(([i, j]) => i * d + j));
  const both = required.filter(([i, j]) => forbiddenSet.has(i * d + j));
  if (both.length > 0) {
    throw new DagflowError('BAD_GRAPH', `${both.map(name).join(', ')} ${both.length === 1 ? 'is' : 'are'} both required and forbidden`, { file: opts.require, flag: '--require' }, 'remove the edge from one of the two files');
  }
  const backwards = tiers ? required.filter(([i, j]) => tiers[i]! > tiers[j]!) : [];
  if (backwards.length > 0) {
    const list = backwards.map((e) => `${name(e)} (tier ${tiers![e[0]]} → ${tiers![e[1]]})`).join(', ');
    throw new DagflowError('BAD_GRAPH', `${list} ${backwards.length === 1 ? 'goes' : 'go'} from a later tier to an earlier one, which ${opts.tiers} forbids`, { file: opts.require, flag: '--require' }, 'remove the edge or change the tiers');
  }
  const cycle = findCycle(adjacencyFromEdges(d, required), d);
  if (cycle) {
    const path = [...cycle, cycle[0]!].map((k) => columns[k]).join(' → ');
    throw new DagflowError('BAD_GRAPH', `the required edges form a cycle: ${path}`, { file: opts.require, flag: '--require' }, 'a DAG cannot contain them all; remove one of these edges');
  }
  const requiredParents = new Int32Array(d);
  for (const [, j] of required) requiredParents[j]!++;
  for (let j = 0; j < d; j++) {
    if (requiredParents[j]! > maxParents) {
      throw new DagflowError('BAD_GRAPH', `${columns[j]} has ${requiredParents[j]} required parents but --max-parents is ${maxParents}`, { flag: '--max-parents' }, 'raise --max-parents or require fewer edges');
    }
  }
  return { prior, priorTable, knowledge: { forbidden, required, maxParents, ...(tiers ? { tiers } : {}) } };
}
