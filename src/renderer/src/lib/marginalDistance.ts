/** Distances between edge-marginal matrices for the Run screen's live figure (no Svelte state, so testable alone). */

/** Root-mean-square difference over the off-diagonal entries of two d·d matrices. */
export function offDiagonalRmse(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const x = a[i * d + j]! - b[i * d + j]!;
      sum += x * x;
      n++;
    }
  return n > 0 ? Math.sqrt(sum / n) : 0;
}
