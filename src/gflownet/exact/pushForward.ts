/**
 * The exact distribution of final DAGs of any sequential sampler on d ≤ 5 nodes (docs/architecture.md §2):
 * evaluate the policy once on every reachable state, then push probability forward in order
 * of edge count — reach(s′) += reach(s)·P(s′|s), P_final(s) = reach(s)·P(stop|s) — so a
 * sampler can be compared with the exact posterior without sampling noise. The policy is
 * asked for many states at a time (the caller runs its network on whole batches).
 */
import { DagflowError } from '../core/errors.ts';
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import { logAddExp, logSumExp } from '../core/logmath.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { adjacencyFromCode, codeFromAdjacency } from '../graph/dagCode.ts';
import { compileConstraints, popcount } from './constraints.ts';
import type { DagDistribution } from './distribution.ts';
import { enumerateStatesByEdgeCount, legalAdditions, type DagStateSpace } from './enumerate.ts';

export interface PolicyEvaluation {
  /** n entries: log P(stop | state). */
  logStop: Float64Array;
  /** n·d·d entries: log P(add i → j | state) at i·d + j, −Infinity where illegal. */
  logAdd: Float64Array;
}

/** adjacencies: n·d·d bytes, state k at offset k·d·d, row = parent. */
export type PolicyBatchEvaluator = (adjacencies: Uint8Array, n: number) => PolicyEvaluation | Promise<PolicyEvaluation>;

export interface PushForwardOptions {
  knowledge?: Partial<PriorKnowledge>;
  /** States per call of the evaluator (default 4096). */
  batchSize?: number;
  /** Largest allowed |log Σ P(actions)| per state (default 1e-4, loose enough for a float32 network). */
  normalizationTolerance?: number;
  /** Largest probability tolerated on an illegal action before it is an error (default 1e-9). */
  illegalTolerance?: number;
  ctx?: JobContext<{ statesEvaluated: number; states: number }>;
}

export interface PushForwardResult extends DagDistribution {
  /** The reachable states in push order (by edge count), and log reach(s) for each. */
  readonly states: DagStateSpace;
  readonly logReach: Float64Array;
}

export async function pushForward(d: number, evaluate: PolicyBatchEvaluator, options: PushForwardOptions = {}): Promise<PushForwardResult> {
  const states = enumerateStatesByEdgeCount(d, options.knowledge);
  const ctx = options.ctx ?? quietJobContext();
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 4096));
  const tolerance = options.normalizationTolerance ?? 1e-4;
  const illegalTolerance = options.illegalTolerance ?? 1e-9;
  const n = states.codes.length;
  const dd = d * d;
  const logReach = new Float64Array(n).fill(-Infinity);
  const logFinal = new Float64Array(n);
  logReach[0] = 0;
  const scratch = new Int32Array(2 * d);
  let lastReport = Date.now();

  for (let begin = 0; begin < n; begin += batchSize) {
    if (ctx.signal.aborted) throw jobCancelled();
    const count = Math.min(batchSize, n - begin);
    const batch = new Uint8Array(count * dd);
    for (let b = 0; b < count; b++) adjacencyFromCode(states.codes[begin + b]!, d, batch.subarray(b * dd, (b + 1) * dd));
    const result = await evaluate(batch, count);
    if (result.logStop.length < count || result.logAdd.length < count * dd) {
      throw new DagflowError(
        'INTERNAL',
        `the policy returned ${result.logStop.length} stop and ${result.logAdd.length} edge log-probabilities for ${count} states (expected ${count} and ${count * dd})`,
      );
    }
    for (let b = 0; b < count; b++) {
      const k = begin + b;
      const code = states.codes[k]!;
      const logStop = result.logStop[b]!;
      const legal = legalAdditions(code, states.constraints, scratch);
      const actions: number[] = [logStop];
      for (let a = 0; a < dd; a++) {
        const lp = result.logAdd[b * dd + a]!;
        if (Number.isNaN(lp)) throw new DagflowError('INTERNAL', `the policy gave NaN for action ${a} in state ${describe(code, d)}`);
        if ((legal >>> a) & 1) actions.push(lp);
        else if (Math.exp(lp) > illegalTolerance) {
          throw new DagflowError(
            'INTERNAL',
            `the policy puts probability ${Math.exp(lp).toExponential(3)} on the illegal action ${Math.floor(a / d)}→${a % d} in state ${describe(code, d)}`,
          );
        }
      }
      const mass = logSumExp(actions);
      if (!(Math.abs(mass) <= tolerance)) {
        throw new DagflowError(
          'INTERNAL',
          `the policy's probabilities in state ${describe(code, d)} sum to ${Math.exp(mass)} instead of 1`,
        );
      }
      const reach = logReach[k]!;
      logFinal[k] = reach + logStop;
      if (reach === -Infinity) continue;
      let rest = legal;
      while (rest !== 0) {
        const bit = rest & -rest;
        const a = 31 - Math.clz32(bit);
        rest ^= bit;
        const child = states.indexOf.get(code | bit)!;
        logReach[child] = logAddExp(logReach[child]!, reach + result.logAdd[b * dd + a]!);
      }
    }
    if (Date.now() - lastReport > 500) {
      ctx.progress({ statesEvaluated: begin + count, states: n });
      lastReport = Date.now();
    }
  }
  ctx.progress({ statesEvaluated: n, states: n });
  return { d, codes: states.codes, logProb: logFinal, states, logReach };
}

function describe(code: number, d: number): string {
  const edges: string[] = [];
  for (let a = 0; a < d * d; a++) if ((code >>> a) & 1) edges.push(`${Math.floor(a / d)}→${a % d}`);
  return edges.length === 0 ? '(empty graph)' : `{${edges.join(', ')}}`;
}

/**
 * The uniform-random sampler: in a state with m legal additions, stop and each legal
 * addition have probability 1/(m + 1). The reference `uniform_policy.json` describes it.
 */
export function uniformPolicyEvaluator(d: number, knowledge?: Partial<PriorKnowledge>): PolicyBatchEvaluator {
  const constraints = compileConstraints(d, knowledge);
  const dd = d * d;
  const scratch = new Int32Array(2 * d);
  return (adjacencies, n) => {
    const logStop = new Float64Array(n);
    const logAdd = new Float64Array(n * dd).fill(-Infinity);
    for (let b = 0; b < n; b++) {
      const code = codeFromAdjacency(adjacencies.subarray(b * dd, (b + 1) * dd), d);
      const legal = legalAdditions(code, constraints, scratch);
      const lp = -Math.log(popcount(legal) + 1);
      logStop[b] = lp;
      for (let a = 0; a < dd; a++) if ((legal >>> a) & 1) logAdd[b * dd + a] = lp;
    }
    return { logStop, logAdd };
  };
}
