/**
 * Per-node input features of the policy, built in typed arrays outside tfjs (docs/architecture.md §5).
 * Row (b, v) of the feature matrix describes node v of state b with 0/1 blocks over the d
 * nodes — itself (identity), its parents, children, strict ancestors, strict descendants,
 * the nodes that may legally become its parents and its children — and three graph scalars.
 * Multiplying this matrix by one weight matrix is a round of message passing from learned
 * node embeddings (one embedding table per relation) done as a single plain 2-D matmul.
 */

/** A batch of states in the environment's layout (d×d per state, row = parent). */
export interface StateBatch {
  readonly count: number;
  readonly adjacency: Uint8Array;
  readonly closure: Uint8Array;
  readonly mask: Uint8Array;
}

export const NODE_BLOCKS = 7;
export const GRAPH_SCALARS = 3;

export function featureWidth(d: number): number {
  return NODE_BLOCKS * d + GRAPH_SCALARS;
}

/** Fills `out` (count·d rows × featureWidth(d), row-major) and returns it. */
export function buildNodeFeatures(d: number, states: StateBatch, out?: Float32Array): Float32Array {
  const width = featureWidth(d);
  const dd = d * d;
  const n = states.count;
  const features = out && out.length >= n * d * width ? out.subarray(0, n * d * width) : new Float32Array(n * d * width);
  features.fill(0);
  const { adjacency: A, closure: C, mask: M } = states;
  for (let b = 0; b < n; b++) {
    const o = b * dd;
    let edges = 0;
    let legal = 0;
    for (let t = 0; t < dd; t++) {
      edges += A[o + t]!;
      legal += M[o + t]!;
    }
    for (let v = 0; v < d; v++) {
      const row = (b * d + v) * width;
      features[row + v] = 1;
      for (let u = 0; u < d; u++) {
        features[row + d + u] = A[o + u * d + v]!; // u is a parent of v
        features[row + 2 * d + u] = A[o + v * d + u]!; // u is a child of v
        if (u !== v) {
          features[row + 3 * d + u] = C[o + v * d + u]!; // u ⇝ v: u is an ancestor of v
          features[row + 4 * d + u] = C[o + u * d + v]!; // v ⇝ u: u is a descendant of v
        }
        features[row + 5 * d + u] = M[o + u * d + v]!; // u → v may be added
        features[row + 6 * d + u] = M[o + v * d + u]!; // v → u may be added
      }
      const s = row + NODE_BLOCKS * d;
      features[s] = 1;
      features[s + 1] = edges / d;
      features[s + 2] = legal / d;
    }
  }
  return features;
}
