/**
 * DAG → CPDAG (the completed partially directed graph of its Markov equivalence class):
 * keep the skeleton, orient the v-structures, then apply Meek's rules R1–R3 until nothing
 * changes (Meek 1995 shows these suffice when the only knowledge is the v-structures).
 * Representation: a d·d matrix where a directed edge i → j has C[i][j] = 1, C[j][i] = 0 and an
 * undirected (reversible) edge i — j has both set. `shd` of metrics/shd.ts compares two such
 * matrices pair by pair, which is the CPDAG-level SHD.
 */
import { DagflowError } from '../core/errors.ts';
import { shd } from '../metrics/shd.ts';

export function dagToCpdag(adjacency: ArrayLike<number>, d: number): Uint8Array {
  if (adjacency.length !== d * d) throw new DagflowError('BAD_GRAPH', `adjacency must be ${d}×${d}, got ${adjacency.length} entries`);
  const dag = (i: number, j: number): boolean => adjacency[i * d + j] !== 0 && adjacency[i * d + j] !== undefined;
  const adjacent = (i: number, j: number): boolean => dag(i, j) || dag(j, i);
  const c = new Uint8Array(d * d);
  // Undirected skeleton first.
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      if (dag(i, j) && dag(j, i)) throw new DagflowError('BAD_GRAPH', `edges ${i} → ${j} and ${j} → ${i} both present: not a DAG`);
      if (dag(i, j)) c[i * d + j] = c[j * d + i] = 1;
    }
  }
  const directed = (i: number, j: number): boolean => c[i * d + j] === 1 && c[j * d + i] === 0;
  const undirected = (i: number, j: number): boolean => c[i * d + j] === 1 && c[j * d + i] === 1;
  const orient = (i: number, j: number): void => {
    c[j * d + i] = 0;
  };
  // V-structures a → j ← b with a, b not adjacent.
  for (let j = 0; j < d; j++) {
    for (let a = 0; a < d; a++) {
      if (!dag(a, j)) continue;
      for (let b = a + 1; b < d; b++) {
        if (dag(b, j) && !adjacent(a, b)) {
          orient(a, j);
          orient(b, j);
        }
      }
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (let x = 0; x < d; x++) {
      for (let y = 0; y < d; y++) {
        if (x === y || !undirected(x, y)) continue;
        if (meekOrients(x, y, d, directed, undirected, adjacent)) {
          orient(x, y);
          changed = true;
        }
      }
    }
  }
  return c;
}

/** Does one of R1–R3 force the undirected edge x — y to become x → y? */
function meekOrients(
  x: number,
  y: number,
  d: number,
  directed: (i: number, j: number) => boolean,
  undirected: (i: number, j: number) => boolean,
  adjacent: (i: number, j: number) => boolean,
): boolean {
  for (let a = 0; a < d; a++) {
    if (a === x || a === y) continue;
    // R1: a → x — y with a, y not adjacent.
    if (directed(a, x) && !adjacent(a, y)) return true;
    // R2: x → a → y.
    if (directed(x, a) && directed(a, y)) return true;
  }
  // R3: x — a → y and x — b → y with a, b not adjacent.
  for (let a = 0; a < d; a++) {
    if (a === x || a === y || !undirected(x, a) || !directed(a, y)) continue;
    for (let b = a + 1; b < d; b++) {
      if (b === x || b === y) continue;
      if (undirected(x, b) && directed(b, y) && !adjacent(a, b)) return true;
    }
  }
  return false;
}

/** SHD between the CPDAGs of two DAGs: 0 iff they are Markov equivalent. */
export function cpdagShd(dagA: ArrayLike<number>, dagB: ArrayLike<number>, d: number): number {
  return shd(dagToCpdag(dagA, d), dagToCpdag(dagB, d), d);
}

/**
 * Mean CPDAG-level SHD of sample DAGs to a reference DAG: how far the samples are in Markov
 * equivalence class rather than in edge directions the data cannot decide. Repeated samples
 * (the usual case) are converted once.
 */
export function expectedCpdagShd(samples: ReadonlyArray<ArrayLike<number>>, reference: ArrayLike<number>, d: number): number {
  if (samples.length === 0) throw new DagflowError('BAD_OPTION', 'expected SHD needs at least one sample');
  const target = dagToCpdag(reference, d);
  const memo = new Map<string, number>();
  let sum = 0;
  for (const g of samples) {
    const key = Array.prototype.join.call(g, '');
    let v = memo.get(key);
    if (v === undefined) {
      v = shd(dagToCpdag(g, d), target, d);
      memo.set(key, v);
    }
    sum += v;
  }
  return sum / samples.length;
}
