/**
 * The structure-prior and prior-knowledge flags shared by `dagflow exact`, `train` and `mcmc`,
 * and how they become the prior and knowledge parts of a ProblemSpec (gflownet/problem/), whose
 * loader checks them against each other and names the edges of any contradiction.
 */
import type { StructurePriorKind, StructurePriorOptions } from '../gflownet/core/types.ts';
import { loadKnowledge as loadProblemKnowledge, type LoadedKnowledge } from '../gflownet/problem/load.ts';
import type { KnowledgeSpec } from '../gflownet/problem/spec.ts';
import type { ParsedFlags } from './flags.ts';

export const knowledgeFlags = {
  prior: {
    type: 'enum',
    values: ['uniform', 'erdos-renyi', 'edge', 'fair'],
    default: 'uniform',
    help: 'structure prior: uniform, Erdős–Rényi, edge penalty, or fair (−log C(d, k) per node)',
  },
  'edges-per-node': { type: 'number', min: 0, exclusiveMin: true, help: 'Erdős–Rényi prior: expected edges per node (default 1)' },
  beta: { type: 'number', min: 0, exclusiveMin: true, help: 'edge prior: each edge multiplies the prior by β (default 0.5)' },
  'max-parents': { type: 'number', integer: true, min: 0, help: 'at most this many parents per node (default: no bound)' },
  forbid: { type: 'string', valueName: 'EDGES.csv', help: 'edges that may not appear: a from,to CSV by column name' },
  require: { type: 'string', valueName: 'EDGES.csv', help: 'edges that must appear: a from,to CSV by column name' },
  tiers: {
    type: 'string',
    valueName: 'FILE.csv',
    help: 'a node,tier CSV giving every column a whole-number tier ≥ 0; no edge from a later tier to an earlier one',
  },
  'edge-beliefs': {
    type: 'string',
    valueName: 'FILE.csv',
    help: 'soft prior beliefs per edge: a from,to,probability CSV by column name, e.g. PKC,P38,0.8 (they multiply the structure prior)',
  },
} as const;

export type KnowledgeFlagValues = ParsedFlags<typeof knowledgeFlags>;

export type { LoadedKnowledge } from '../gflownet/problem/load.ts';

/** The structure prior, from the prior flags. */
export function priorFromFlags(opts: KnowledgeFlagValues): StructurePriorOptions {
  return { kind: opts.prior as StructurePriorKind, edgesPerNode: opts['edges-per-node'], beta: opts.beta };
}

/** The prior knowledge, from the knowledge flags (edge and tier files are read when the problem loads). */
export function knowledgeSpecFromFlags(opts: KnowledgeFlagValues): KnowledgeSpec {
  return {
    ...(opts.forbid === undefined ? {} : { forbidden: { file: opts.forbid } }),
    ...(opts.require === undefined ? {} : { required: { file: opts.require } }),
    ...(opts.tiers === undefined ? {} : { tiers: { file: opts.tiers } }),
    ...(opts['max-parents'] === undefined ? {} : { maxParents: opts['max-parents'] }),
    ...(opts['edge-beliefs'] === undefined ? {} : { edgeBeliefs: { file: opts['edge-beliefs'] } }),
  };
}

/** The prior table and checked prior knowledge over `columns`, from the flags. */
export function loadKnowledge(opts: KnowledgeFlagValues, columns: readonly string[]): Promise<LoadedKnowledge> {
  return loadProblemKnowledge(priorFromFlags(opts), knowledgeSpecFromFlags(opts), columns);
}
