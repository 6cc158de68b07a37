/**
 * Independent brute-force answers for the causal tests: plain adjacency matrices, transitive
 * closure, Gauss–Jordan inversion, summing over every joint configuration. None of it shares
 * code with src/gflownet/causal, so agreement is evidence, not an echo.
 */
import { structurePriorTable } from '../../../src/gflownet/core/priors.ts';
import type { Dataset, PriorKnowledge } from '../../../src/gflownet/core/types.ts';
import { enumeratePosterior, type EnumerationPosterior } from '../../../src/gflownet/exact/posterior.ts';
import { adjacencyFromCode } from '../../../src/gflownet/graph/dagCode.ts';
import { createRewardModel } from '../../../src/gflownet/scores/reward.ts';
import { createScoreModel } from '../../../src/gflownet/scores/scoreModel.ts';

export async function exactPosteriorOf(dataset: Dataset, knowledge?: Partial<PriorKnowledge>, ess?: number): Promise<EnumerationPosterior> {
  const d = dataset.columns.length;
  const model = createScoreModel(dataset, dataset.kind === 'continuous' ? { score: 'bge' } : { score: 'bdeu', ess });
  return enumeratePosterior(createRewardModel(model, structurePriorTable(d, { kind: 'uniform' })), knowledge);
}

/** Every DAG of an exact posterior as (adjacency, probability). */
export function* allDags(p: EnumerationPosterior): Generator<{ a: Uint8Array; w: number; code: number }> {
  const { codes, logProb } = p.distribution;
  for (let k = 0; k < codes.length; k++) yield { a: adjacencyFromCode(codes[k]!, p.d), w: Math.exp(logProb[k]!), code: codes[k]! };
}

/** reach[i][j] = 1 iff a directed path of length ≥ 1 goes i ⇝ j (Floyd–Warshall closure). */
export function closure(a: Uint8Array, d: number): Uint8Array {
  const r = Uint8Array.from(a);
  for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) if (r[i * d + k]) for (let j = 0; j < d; j++) if (r[k * d + j]) r[i * d + j] = 1;
  return r;
}

export function markovBlanket(a: Uint8Array, d: number, i: number, j: number): boolean {
  if (i === j) return false;
  if (a[i * d + j] || a[j * d + i]) return true;
  for (let c = 0; c < d; c++) if (a[i * d + c] && a[j * d + c]) return true;
  return false;
}

/** Gauss–Jordan inverse of a d×d matrix with partial pivoting. */
export function invert(m: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]!) > Math.abs(a[p * d + c]!)) p = r;
    for (let k = 0; k < d; k++) {
      [a[c * d + k], a[p * d + k]] = [a[p * d + k]!, a[c * d + k]!];
      [inv[c * d + k], inv[p * d + k]] = [inv[p * d + k]!, inv[c * d + k]!];
    }
    const pivot = a[c * d + c]!;
    for (let k = 0; k < d; k++) {
      a[c * d + k]! /= pivot;
      inv[c * d + k]! /= pivot;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r * d + c]!;
      if (f === 0) continue;
      for (let k = 0; k < d; k++) {
        a[r * d + k]! -= f * a[c * d + k]!;
        inv[r * d + k]! -= f * inv[c * d + k]!;
      }
    }
  }
  return inv;
}

/** B[i][j] = posterior-mean coefficient of parent i in j's regression: R[P,P]⁻¹ R[P,j] by inversion. */
export function meanCoefficients(a: Uint8Array, d: number, r: Float64Array): Float64Array {
  const b = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const pa: number[] = [];
    for (let i = 0; i < d; i++) if (a[i * d + j]) pa.push(i);
    const k = pa.length;
    if (k === 0) continue;
    const sub = new Float64Array(k * k);
    for (let x = 0; x < k; x++) for (let y = 0; y < k; y++) sub[x * k + y] = r[pa[x]! * d + pa[y]!]!;
    const inv = invert(sub, k);
    for (let x = 0; x < k; x++) {
      let s = 0;
      for (let y = 0; y < k; y++) s += inv[x * k + y]! * r[pa[y]! * d + j]!;
      b[pa[x]! * d + j] = s;
    }
  }
  return b;
}

/** ((I − B)⁻¹)[x][y]: the total effect of x on y in the linear SEM with coefficients B (rows = from). */
export function totalEffectClosedForm(b: Float64Array, d: number, x: number, y: number): number {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i * d + j] = (i === j ? 1 : 0) - b[i * d + j]!;
  return invert(m, d)[x * d + y]!;
}
