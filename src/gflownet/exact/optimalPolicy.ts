/**
 * The exact detailed-balance-optimal forward policy for a reward on d ≤ 5 nodes (the policy a
 * perfectly trained DAG-GFlowNet would have), with the uniform backward policy
 * P_B(s | s′) = 1/(number of removable edges of s′) (docs/architecture.md §2; required edges are not
 * removable). State flows satisfy F(s) = R(s) + Σ_{s′ = s + e} F(s′)·P_B(s | s′), and then
 * P(stop | s) = R(s)/F(s), P(s′ | s) = F(s′)·P_B(s | s′)/F(s), F(start) = Z.
 * Its push-forward is exactly the posterior, which makes it a test for both, and a target
 * the GFlowNet's loss must be zero at.
 */
import { DagflowError } from '../core/errors.ts';
import { logAddExp } from '../core/logmath.ts';
import type { PriorKnowledge } from '../core/types.ts';
import { codeFromAdjacency } from '../graph/dagCode.ts';
import { popcount } from './constraints.ts';
import { enumerateStatesByEdgeCount, legalAdditions, type DagStateSpace } from './enumerate.ts';
import type { EnumerationPosterior } from './posterior.ts';
import type { PolicyBatchEvaluator } from './pushForward.ts';

export interface OptimalPolicy {
  readonly states: DagStateSpace;
  /** log F(s) for the states, in `states.codes` order; logFlow[0] = log Z. */
  readonly logFlow: Float64Array;
  readonly evaluate: PolicyBatchEvaluator;
}

/** `knowledge` must be what the posterior was computed with. */
export function optimalPolicy(posterior: EnumerationPosterior, knowledge?: Partial<PriorKnowledge>): OptimalPolicy {
  const d = posterior.d;
  const states = enumerateStatesByEdgeCount(d, knowledge);
  const n = states.codes.length;
  if (n !== posterior.distribution.codes.length || states.codes.some((c, k) => c !== posterior.distribution.codes[k])) {
    throw new DagflowError('INTERNAL', 'the posterior was computed under different prior knowledge than the policy');
  }
  const requiredEdges = popcount(states.codes[0]!);
  const logRemovable = (k: number): number => Math.log(states.edgeCounts[k]! - requiredEdges);
  const logFlow = new Float64Array(n);
  const scratch = new Int32Array(2 * d);
  for (let k = n - 1; k >= 0; k--) {
    let f = posterior.logJoint[k]!;
    const code = states.codes[k]!;
    for (let legal = legalAdditions(code, states.constraints, scratch); legal !== 0; legal &= legal - 1) {
      const child = states.indexOf.get(code | (legal & -legal))!;
      f = logAddExp(f, logFlow[child]! - logRemovable(child));
    }
    logFlow[k] = f;
  }
  const dd = d * d;
  const evaluate: PolicyBatchEvaluator = (adjacencies, count) => {
    const logStop = new Float64Array(count);
    const logAdd = new Float64Array(count * dd).fill(-Infinity);
    for (let b = 0; b < count; b++) {
      const code = codeFromAdjacency(adjacencies.subarray(b * dd, (b + 1) * dd), d);
      const k = states.indexOf.get(code);
      if (k === undefined) throw new DagflowError('INTERNAL', `state ${code} is not reachable under the prior knowledge`);
      logStop[b] = posterior.logJoint[k]! - logFlow[k]!;
      for (let legal = legalAdditions(code, states.constraints, scratch); legal !== 0; legal &= legal - 1) {
        const bit = legal & -legal;
        const child = states.indexOf.get(code | bit)!;
        logAdd[b * dd + 31 - Math.clz32(bit)] = logFlow[child]! - logRemovable(child) - logFlow[k]!;
      }
    }
    return { logStop, logAdd };
  };
  return { states, logFlow, evaluate };
}
