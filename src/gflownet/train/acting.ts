/**
 * Choosing an action for one environment from the policy's log-probabilities, mixed with
 * ε-uniform exploration over the legal actions (stop included). float64 arithmetic, seeded.
 */
import type { Rng } from '../core/rng.ts';
import type { DagEnvBatch } from '../env/dagEnv.ts';
import type { StateLogProbs } from '../policy/logProbs.ts';

/**
 * With probability ε a uniformly random legal action; otherwise a draw from the policy
 * (renormalised over the legal actions, which absorbs float32 rounding). `row` is the
 * environment's row in `probs`; `probs` may be undefined when ε = 1.
 */
export function chooseAction(
  env: DagEnvBatch,
  k: number,
  probs: StateLogProbs | undefined,
  row: number,
  epsilon: number,
  rng: Rng,
): number {
  const dd = env.dd;
  if (env.legalCount[k] === 0) return dd;
  if (!probs || (epsilon > 0 && rng.next() < epsilon)) return env.randomAction(k, rng.next());
  const o = k * dd;
  const p = row * dd;
  const pStop = Math.exp(probs.logStop[row]!);
  let total = pStop;
  for (let a = 0; a < dd; a++) if (env.mask[o + a]) total += Math.exp(probs.logEdges[p + a]!);
  // Policy probabilities are float64 and normalised already; the renormalisation only absorbs rounding.
  let u = rng.next() * total;
  for (let a = 0; a < dd; a++) {
    if (!env.mask[o + a]) continue;
    u -= Math.exp(probs.logEdges[p + a]!);
    if (u < 0) return a;
  }
  return dd;
}
