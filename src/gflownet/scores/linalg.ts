/**
 * Small dense float64 linear algebra for the scores: a Cholesky factorisation of a family
 * sub-matrix (a few variables), giving log-determinants without ever forming a determinant
 * (log det R reaches ~2000 on real data, far beyond what a plain determinant can hold).
 */

/**
 * Log-determinants of the leading principal sub-matrices of M[idx, idx], M a d×d row-major
 * symmetric positive-definite matrix: out[m] = log det M[idx[0..m], idx[0..m]] for
 * m = 0..k-1 (k = idx.length). One factorisation gives every prefix, which is what BGe
 * needs: ordering the family as (parents…, node) yields both log det R[P,P] and R[F,F].
 * Returns NaN entries from the first non-positive pivot on (matrix not positive definite).
 */
export function prefixLogDets(matrix: Float64Array, d: number, idx: readonly number[], scratch?: Float64Array): Float64Array {
  const k = idx.length;
  const L = scratch && scratch.length >= k * k ? scratch : new Float64Array(k * k);
  const out = new Float64Array(k);
  let logDet = 0;
  for (let i = 0; i < k; i++) {
    const rowI = idx[i]! * d;
    for (let j = 0; j <= i; j++) {
      let s = matrix[rowI + idx[j]!]!;
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      if (i === j) {
        if (!(s > 0)) {
          for (let r = i; r < k; r++) out[r] = NaN;
          return out;
        }
        const pivot = Math.sqrt(s);
        L[i * k + i] = pivot;
        logDet += 2 * Math.log(pivot);
      } else {
        L[i * k + j] = s / L[j * k + j]!;
      }
    }
    out[i] = logDet;
  }
  return out;
}
