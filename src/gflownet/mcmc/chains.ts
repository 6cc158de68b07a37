/**
 * Running one MCMC chain: builds the sampler for the method (and the parent-set tables it
 * needs), iterates with thinning, a time limit, progress events about every half second and
 * cancellation, and returns everything the summary and the diagnostics need in
 * structured-clone-able form (typed arrays, plain objects), so that a worker thread can send
 * it back. Several chains run as separate jobs (src/jobs/kinds/mcmc.ts) and are combined by
 * combine.ts.
 */
import type { FieldKey } from '../../shared/fields.ts';
import { DagflowError } from '../core/errors.ts';
import { jobCancelled, type JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import { automaticCandidateParents, chooseCandidateParents, type CandidateSpace } from './candidateParents.ts';
import { EdgeCheckpoints } from './edgeCheckpoints.ts';
import { requiredAdjacency, StructureMcmc } from './mc3.ts';
import { OrderMcmc } from './order.ts';
import { buildParentTables, countTableEntries, DEFAULT_MAX_TABLE_ENTRIES, type ParentTables } from './parentTables.ts';
import { PartitionMcmc } from './partition.ts';
import { parentMasks, type EdgeRules } from './rules.ts';
import { checkStartGraph, partitionOf, randomStartGraph, topologicalOrderOf } from './starts.ts';
import type { ChainSampler, FamilyScorer, McmcMethod } from './types.ts';

export interface ChainOptions {
  method: McmcMethod;
  /** Iterations to run (fewer when the time limit stops the chain). */
  iterations: number;
  /** Fraction of the iterations run that is discarded (default 0.2). */
  burnIn?: number;
  /** Keep a DAG every `thin` iterations (default: about 2500 kept per chain; order/partition at least every d). */
  thin?: number;
  seed: number;
  /** Chain index; the chain's random stream is Rng(seed).fork(chain). */
  chain?: number;
  timeLimitSeconds?: number;
  /** MC3 only: probability per iteration of a new-edge-reversal move (default 0). */
  newEdgeReversalProbability?: number;
  /**
   * Order/partition: parent bound of the tables. Default: the knowledge's bound, in a
   * candidate-parent space when every allowed parent set would not fit maxTableEntries.
   */
  tableMaxParents?: number;
  maxTableEntries?: number;
  /** Order/partition: candidate parents per node (0 or absent: a space only when the tables need one). */
  candidateParents?: number;
  /**
   * Start every chain from this DAG (adjacency, d·d). Default: chain 0 from the required
   * edges, the others from random sparse DAGs (see starts.ts).
   */
  startGraph?: Uint8Array;
  /** Include the current edge-marginal estimate in progress events (default true). */
  progressMarginals?: boolean;
}

export interface ChainProgress {
  chain: number;
  iteration: number;
  iterations: number;
  elapsedSeconds: number;
  iterationsPerSecond: number;
  logScore: number;
  acceptanceRate: number;
  /** Current estimate (all iterations so far, burn-in included), d·d; omitted when not asked for. */
  edgeMarginals?: Float64Array;
}

export interface ChainSamples {
  /** Iteration at which each kept DAG was taken (after burn-in only). */
  iteration: Float64Array;
  logScore: Float64Array;
  /** Edges of sample s: edges[edgeOffsets[s] .. edgeOffsets[s+1]), each coded i*d + j. */
  edgeOffsets: Int32Array;
  edges: Int32Array;
}

export interface ChainResult {
  chain: number;
  method: McmcMethod;
  d: number;
  seed: number;
  iterationsPlanned: number;
  iterationsRun: number;
  burnInIterations: number;
  thin: number;
  seconds: number;
  stoppedBy: 'iterations' | 'time-limit';
  moveKinds: string[];
  proposed: number[];
  accepted: number[];
  /** Post-burn-in edge marginals of this chain (d·d) and the number of observations they average. */
  edgeMarginals: Float64Array;
  marginalWeight: number;
  samples: ChainSamples;
  /** Log R of the kept DAGs and the log target of the state over the whole run (burn-in included), at most ~1000 points. */
  trace: { iteration: Float64Array; logScore: Float64Array; stateLogScore: Float64Array };
  /** Order/partition: the parent bound of the tables; MC3 with new-edge reversal too. */
  tableMaxParents?: number;
  tableEntries?: number;
  /** Order/partition in a candidate-parent space: the space (edges outside it have probability 0 in this chain). */
  candidateSpace?: Pick<CandidateSpace, 'size' | 'parents' | 'outsideCount'>;
}

const TRACE_POINTS = 1000;
const KEPT_PER_CHAIN = 2500;

export function defaultThin(iterations: number, burnIn: number): number {
  return Math.max(1, Math.floor((iterations * (1 - burnIn)) / KEPT_PER_CHAIN));
}

export function checkChainOptions(options: ChainOptions): void {
  const bad = (field: FieldKey, message: string): never => {
    throw new DagflowError('BAD_OPTION', message, { field });
  };
  if (!(Number.isInteger(options.iterations) && options.iterations >= 1))
    bad('sampler.iterations', `must be a whole number ≥ 1, got ${options.iterations}`);
  const burnIn = options.burnIn ?? 0.2;
  if (!(burnIn >= 0 && burnIn < 1)) bad('sampler.burnIn', `must be a fraction in [0, 1), got ${burnIn}`);
  if (options.thin !== undefined && !(Number.isInteger(options.thin) && options.thin >= 1))
    bad('sampler.thin', `must be a whole number ≥ 1, got ${options.thin}`);
  if (options.timeLimitSeconds !== undefined && !(options.timeLimitSeconds > 0))
    bad('sampler.timeLimit', `must be positive, got ${options.timeLimitSeconds}`);
  const p = options.newEdgeReversalProbability ?? 0;
  if (!(p >= 0 && p <= 1)) bad('sampler.newEdgeReversal', `must be a probability in [0, 1], got ${p}`);
}

export interface SamplerSetup {
  sampler: ChainSampler;
  tables?: ParentTables;
  space?: CandidateSpace;
}

/**
 * The candidate-parent space of an order or partition chain: the one asked for, else (with no
 * explicit table bound) the widest screened space whose tables fit the budget when every
 * allowed parent set would not. Lowering the parent bound instead, as before, changed the
 * posterior of every node (d = 50 with a bound of 3 ran with 2); a space keeps the bound and
 * leaves out edges the data does not support, and the run reports them. Deterministic, so
 * every chain of a run builds the same space.
 */
export function chainCandidateSpace(scorer: FamilyScorer, rules: EdgeRules, options: ChainOptions): CandidateSpace | undefined {
  if (options.method === 'mc3') return undefined;
  if (options.candidateParents !== undefined && options.candidateParents > 0)
    return chooseCandidateParents(scorer, rules, options.candidateParents);
  if (options.tableMaxParents !== undefined) return undefined;
  return automaticCandidateParents(scorer, rules, options.maxTableEntries ?? DEFAULT_MAX_TABLE_ENTRIES);
}

/** The sampler of a method at the chain's start, with the tables it needs. */
export function createSampler(scorer: FamilyScorer, rules: EdgeRules, options: ChainOptions, ctx?: JobContext<unknown>): SamplerSetup {
  const space = chainCandidateSpace(scorer, rules, options);
  const masks = parentMasks(space ? space.rules : rules);
  const budget = options.maxTableEntries ?? DEFAULT_MAX_TABLE_ENTRIES;
  const chain = options.chain ?? 0;
  const startFor = (maxParents: number): Uint8Array => {
    if (options.startGraph) {
      checkStartGraph(options.startGraph, masks);
      return options.startGraph;
    }
    return chain === 0 ? requiredAdjacency(masks) : randomStartGraph(masks, new Rng(options.seed).fork(1_000_003 + chain), maxParents);
  };
  if (options.method === 'mc3') {
    const p = options.newEdgeReversalProbability ?? 0;
    const start = startFor(masks.maxParents);
    if (p === 0) return { sampler: new StructureMcmc(scorer, masks, { start }) };
    // The move needs tables over the whole parent bound, or it could not propose its way back.
    const entries = countTableEntries(masks, masks.maxParents);
    if (entries > budget) {
      throw new DagflowError(
        'TOO_LARGE',
        `the new-edge-reversal move needs every parent set up to ${masks.maxParents} parents (${entries.toLocaleString('en-US')} sets, budget ${budget.toLocaleString('en-US')})`,
        { field: 'sampler.newEdgeReversal' },
        'set a parent bound with {{knowledge.maxParents}} (3 or 4 is usual), or turn the move off',
      );
    }
    const tables = buildParentTables(scorer, masks, { maxParents: masks.maxParents, maxEntries: budget }, ctx);
    return { sampler: new StructureMcmc(scorer, masks, { start, newEdgeReversalProbability: p, tables }), tables };
  }
  const tables = buildParentTables(
    scorer,
    masks,
    { maxParents: options.tableMaxParents, maxEntries: budget, field: 'sampler.tableMaxParents' },
    ctx,
  );
  const start = startFor(tables.maxParents);
  const extra = space ? { space } : {};
  if (options.method === 'order')
    return { sampler: new OrderMcmc(tables, masks, { start: topologicalOrderOf(start, masks.d) }), tables, ...extra };
  try {
    return { sampler: new PartitionMcmc(tables, masks, { start: partitionOf(start, masks.d), scorer }), tables, ...extra };
  } catch {
    // The start graph's partition needs a parent set beyond the tables' bound: start from one node per part.
    return { sampler: new PartitionMcmc(tables, masks, { scorer }), tables, ...extra };
  }
}

/** Runs one chain to completion, the time limit or a cancel. */
export function runChain(scorer: FamilyScorer, rules: EdgeRules, options: ChainOptions, ctx: JobContext<ChainProgress>): ChainResult {
  checkChainOptions(options);
  const started = performance.now();
  const chain = options.chain ?? 0;
  const burnIn = options.burnIn ?? 0.2;
  // With a time limit and no --thin the run length is unknown: start dense and double the
  // thinning whenever the kept set grows past twice the target (a fixed schedule, so valid).
  const adaptiveThin = options.thin === undefined && options.timeLimitSeconds !== undefined;
  // Order/partition: a kept DAG costs a scan of every node's table (about as much as d/5 or so
  // iterations), and the exact edge probabilities it records make each one worth many
  // thinned-out MC3 states, so by default they keep at most one per d iterations.
  const minimumThin = options.method === 'mc3' ? 1 : rules.d;
  let thin = options.thin ?? Math.max(minimumThin, adaptiveThin ? 1 : defaultThin(options.iterations, burnIn));
  const { sampler, tables, space } = createSampler(scorer, rules, options, ctx);
  const rng = new Rng(options.seed).fork(chain);
  const d = sampler.d;
  const plannedBurnIn = Math.floor(options.iterations * burnIn);
  const checkpoints = new EdgeCheckpoints(sampler, thin, plannedBurnIn);
  const deadline = options.timeLimitSeconds !== undefined ? started + options.timeLimitSeconds * 1000 : Infinity;

  const keptIteration: number[] = [];
  const keptScore: number[] = [];
  const keptOffsets: number[] = [0];
  const keptEdges: number[] = [];
  let traceStride = thin;
  let trace: Array<[number, number, number]> = [];

  const decimate = (newThin: number): number => {
    let n = 0;
    let edges = 0;
    const offsets = [0];
    for (let k = 0; k < keptIteration.length; k++) {
      if (keptIteration[k]! % newThin !== 0) continue;
      keptIteration[n] = keptIteration[k]!;
      keptScore[n] = keptScore[k]!;
      for (let e = keptOffsets[k]!; e < keptOffsets[k + 1]!; e++) keptEdges[edges++] = keptEdges[e]!;
      offsets.push(edges);
      n++;
    }
    keptIteration.length = n;
    keptScore.length = n;
    keptEdges.length = edges;
    keptOffsets.length = 0;
    keptOffsets.push(...offsets);
    traceStride = Math.max(traceStride, newThin);
    return newThin;
  };

  let lastProgress = started;
  let stoppedBy: ChainResult['stoppedBy'] = 'iterations';
  let t = 0;
  const progress = (now: number): void => {
    let proposed = 0;
    let accepted = 0;
    for (let k = 0; k < sampler.proposed.length; k++) {
      proposed += sampler.proposed[k]!;
      accepted += sampler.accepted[k]!;
    }
    const elapsedSeconds = (now - started) / 1000;
    ctx.progress({
      chain,
      iteration: t,
      iterations: options.iterations,
      elapsedSeconds,
      iterationsPerSecond: elapsedSeconds > 0 ? t / elapsedSeconds : 0,
      logScore: sampler.stateLogScore(),
      acceptanceRate: proposed > 0 ? accepted / proposed : 0,
      edgeMarginals: options.progressMarginals === false ? undefined : checkpoints.currentEstimate(),
    });
  };

  while (t < options.iterations) {
    sampler.step(rng);
    t++;
    if (t % thin === 0) {
      const dag = sampler.observe(rng);
      keptIteration.push(t);
      keptScore.push(dag.logScore);
      for (let e = 0; e < d * d; e++) if (dag.adjacency[e]) keptEdges.push(e);
      keptOffsets.push(keptEdges.length);
      if (adaptiveThin && keptIteration.length > 2 * KEPT_PER_CHAIN) thin = decimate(thin * 2);
      if (t % traceStride === 0) {
        trace.push([t, dag.logScore, sampler.stateLogScore()]);
        if (trace.length > TRACE_POINTS) {
          traceStride *= 2;
          trace = trace.filter(([it]) => it % traceStride === 0);
        }
      }
    }
    checkpoints.after(t);
    if ((t & 127) === 0) {
      if (ctx.signal.aborted) throw jobCancelled();
      const now = performance.now();
      if (now >= deadline) {
        stoppedBy = 'time-limit';
        break;
      }
      if (now - lastProgress >= 500) {
        lastProgress = now;
        progress(now);
      }
    }
  }
  progress(performance.now());

  const burnInIterations = stoppedBy === 'iterations' ? plannedBurnIn : Math.floor(t * burnIn);
  const { marginals, weight } = checkpoints.marginalsAfter(burnInIterations);
  // Kept DAGs after burn-in.
  let first = 0;
  while (first < keptIteration.length && keptIteration[first]! <= burnInIterations) first++;
  const offsets = keptOffsets.slice(first).map((o) => o - keptOffsets[first]!);
  return {
    chain,
    method: options.method,
    d,
    seed: options.seed,
    iterationsPlanned: options.iterations,
    iterationsRun: t,
    burnInIterations,
    thin,
    seconds: (performance.now() - started) / 1000,
    stoppedBy,
    moveKinds: [...sampler.moveKinds],
    proposed: Array.from(sampler.proposed),
    accepted: Array.from(sampler.accepted),
    edgeMarginals: marginals,
    marginalWeight: weight,
    samples: {
      iteration: Float64Array.from(keptIteration.slice(first)),
      logScore: Float64Array.from(keptScore.slice(first)),
      edgeOffsets: Int32Array.from(offsets),
      edges: Int32Array.from(keptEdges.slice(keptOffsets[first]!)),
    },
    trace: {
      iteration: Float64Array.from(trace.map((p) => p[0])),
      logScore: Float64Array.from(trace.map((p) => p[1])),
      stateLogScore: Float64Array.from(trace.map((p) => p[2])),
    },
    tableMaxParents: tables?.maxParents,
    tableEntries: tables?.totalEntries,
    ...(space ? { candidateSpace: { size: space.size, parents: space.parents, outsideCount: space.outsideCount } } : {}),
  };
}
