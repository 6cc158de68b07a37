import { DagflowError } from '../core/errors.ts';
import type { PriorKnowledge } from '../core/types.ts';

/**
 * Prior knowledge compiled into per-child bitmasks, the form every exact method uses:
 * a parent set Q (bitmask over columns) is allowed for child j iff
 * (Q & forbiddenParents[j]) === 0, (Q & requiredParents[j]) === requiredParents[j] and
 * popcount(Q) ≤ maxParents. Bitmasks limit this to d ≤ 30, far beyond any exact method.
 */
export interface FamilyConstraints {
  readonly d: number;
  /** Per child: parents that may not point to it (self, forbidden edges, later tiers). */
  readonly forbiddenParents: Int32Array;
  /** Per child: parents it must have (required edges). */
  readonly requiredParents: Int32Array;
  readonly maxParents: number;
}

export const MAX_BITMASK_NODES = 30;

export function compileConstraints(d: number, knowledge?: Partial<PriorKnowledge>): FamilyConstraints {
  if (!Number.isInteger(d) || d < 1 || d > MAX_BITMASK_NODES) {
    throw new DagflowError('TOO_LARGE', `exact methods support 1 to ${MAX_BITMASK_NODES} variables, got ${d}`);
  }
  const forbiddenParents = new Int32Array(d);
  const requiredParents = new Int32Array(d);
  for (let j = 0; j < d; j++) forbiddenParents[j] = 1 << j;
  const checkEdge = (edge: readonly [number, number], what: string): void => {
    const [i, j] = edge;
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= d || j >= d) {
      throw new DagflowError('BAD_GRAPH', `${what} edge [${i}, ${j}] names a variable outside 0..${d - 1}`);
    }
    if (i === j) throw new DagflowError('BAD_GRAPH', `${what} edge [${i}, ${j}] is a self-loop`);
  };
  for (const e of knowledge?.forbidden ?? []) {
    checkEdge(e, 'forbidden');
    forbiddenParents[e[1]]! |= 1 << e[0];
  }
  const tiers = knowledge?.tiers;
  if (tiers) {
    if (tiers.length !== d) throw new DagflowError('BAD_OPTION', `tiers name ${tiers.length} variables, expected ${d}`);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (tiers[i]! > tiers[j]!) forbiddenParents[j]! |= 1 << i;
  }
  for (const e of knowledge?.required ?? []) {
    checkEdge(e, 'required');
    requiredParents[e[1]]! |= 1 << e[0];
  }
  const maxParents = Math.min(knowledge?.maxParents ?? d - 1, d - 1);
  if (!Number.isInteger(maxParents) || maxParents < 0) {
    throw new DagflowError('BAD_OPTION', `the maximum number of parents must be a whole number ≥ 0, got ${knowledge?.maxParents}`, {
      field: 'knowledge.maxParents',
    });
  }
  for (let j = 0; j < d; j++) {
    if ((requiredParents[j]! & forbiddenParents[j]!) !== 0) {
      throw new DagflowError('BAD_GRAPH', `an edge into variable ${j} is both required and forbidden (or against the tiers)`);
    }
    if (popcount(requiredParents[j]!) > maxParents) {
      throw new DagflowError(
        'BAD_GRAPH',
        `variable ${j} has ${popcount(requiredParents[j]!)} required parents but at most ${maxParents} are allowed`,
        { field: 'knowledge.maxParents' },
      );
    }
  }
  if (hasCycle(requiredParents)) throw new DagflowError('BAD_GRAPH', 'the required edges form a cycle');
  return { d, forbiddenParents, requiredParents, maxParents };
}

export function familyAllowed(c: FamilyConstraints, child: number, parentMask: number): boolean {
  const req = c.requiredParents[child]!;
  return (parentMask & c.forbiddenParents[child]!) === 0 && (parentMask & req) === req && popcount(parentMask) <= c.maxParents;
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Parent bitmasks → is there a directed cycle? (Kahn's algorithm on bitmasks.) */
export function hasCycle(parentMasks: ArrayLike<number>): boolean {
  const d = parentMasks.length;
  let placed = 0;
  let progress = true;
  while (progress) {
    progress = false;
    for (let j = 0; j < d; j++) {
      if ((placed >>> j) & 1) continue;
      if ((parentMasks[j]! & ~placed) === 0) {
        placed |= 1 << j;
        progress = true;
      }
    }
  }
  return placed !== (d === 32 ? -1 : (1 << d) - 1);
}

/** The bit positions of a mask, ascending (a parent set as column indices). */
export function maskToList(mask: number): number[] {
  const out: number[] = [];
  for (let b = 0; mask !== 0; b++, mask >>>= 1) if (mask & 1) out.push(b);
  return out;
}
