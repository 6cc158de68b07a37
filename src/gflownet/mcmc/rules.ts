/**
 * Prior knowledge as the samplers use it: per node, the bit row of parents it may have and
 * the bit row of parents it must have, plus the parent bound. Built from the same
 * allowed/required matrices as the GFlowNet environment (env/constraints.ts), so every
 * sampler in the engine respects exactly the same graphs.
 */
import { DagflowError } from '../core/errors.ts';
import { setBit, wordsFor } from './bitset.ts';

/** The shape the samplers need; env/constraints.ts `EnvConstraints` satisfies it. */
export interface EdgeRules {
  readonly d: number;
  /** allowed[i*d + j] = 1 when i → j may be in a graph at all. */
  readonly allowed: Uint8Array;
  /** required[i*d + j] = 1 when i → j must be in every graph. */
  readonly required: Uint8Array;
  /** Maximum parents per node (d − 1 when unbounded). */
  readonly maxParents: number;
}

export interface ParentMasks {
  readonly d: number;
  /** Words per bit row. */
  readonly words: number;
  readonly maxParents: number;
  /** Row j (offset j*words): bit i set when i may be a parent of j. */
  readonly allowed: Uint32Array;
  /** Row j: bit i set when i must be a parent of j. */
  readonly required: Uint32Array;
  readonly requiredCount: Int32Array;
  readonly rules: EdgeRules;
}

export function parentMasks(rules: EdgeRules): ParentMasks {
  const { d } = rules;
  const words = wordsFor(d);
  const allowed = new Uint32Array(d * words);
  const required = new Uint32Array(d * words);
  const requiredCount = new Int32Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      if (rules.allowed[i * d + j]) setBit(allowed, j * words, i);
      if (rules.required[i * d + j]) {
        if (!rules.allowed[i * d + j]) throw new DagflowError('INTERNAL', `required edge ${i} → ${j} is not allowed`);
        setBit(required, j * words, i);
        requiredCount[j]!++;
      }
    }
  }
  return { d, words, maxParents: Math.min(rules.maxParents, d - 1), allowed, required, requiredCount, rules };
}

/** Rules with no prior knowledge: every edge allowed, none required, no parent bound. */
export function unrestrictedRules(d: number, maxParents = d - 1): EdgeRules {
  const allowed = new Uint8Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j) allowed[i * d + j] = 1;
  return { d, allowed, required: new Uint8Array(d * d), maxParents };
}
