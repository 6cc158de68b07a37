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

const scratchArrays = new Map<string, Uint8Array | Int32Array>();
/** A reused array of at least `length` entries (its first `length` as a view; contents left over). */
function scratch<T extends Uint8Array | Int32Array>(name: string, length: number, make: new (n: number) => T): T {
  let a = scratchArrays.get(name) as T | undefined;
  if (!a || a.length < length) {
    a = new make(Math.max(length, 2 * (a?.length ?? 0)));
    scratchArrays.set(name, a);
  }
  return a.subarray(0, length) as T;
}

/** A node's neighbours in the skeleton: `list[start[x] .. start[x + 1])`, ascending. */
interface Neighbours {
  start: Int32Array;
  list: Int32Array;
}

/**
 * The CPDAG matrix and the skeleton's neighbour lists. Sampled DAGs are sparse (a few edges per
 * node at d = 60), so every rule walks a node's neighbours rather than all d nodes, in flat
 * typed arrays with no closure or small array made per call: grouping 40,000 distinct DAGs by
 * class takes seconds instead of a minute.
 */
function cpdagCore(d: number, edges: ReadonlyArray<readonly [number, number]>): { c: Uint8Array; around: Neighbours } {
  // Scratch arrays reused from call to call: allocating six typed arrays per DAG cost more than
  // the rules themselves (and the garbage collector's time on top). The caller copies what it keeps.
  const c = scratch('c', d * d, Uint8Array).fill(0);
  const queued = scratch('queued', d * d, Uint8Array).fill(0);
  const parentStart = scratch('parentStart', d + 1, Int32Array).fill(0);
  // Undirected skeleton first.
  for (const [i, j] of edges) {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < d && j < d && i !== j))
      throw new DagflowError('BAD_GRAPH', `edge ${i} → ${j} is not an edge between two of ${d} nodes`);
    if (c[i * d + j]) throw new DagflowError('BAD_GRAPH', `edges ${i} → ${j} and ${j} → ${i} both present: not a DAG`);
    c[i * d + j] = c[j * d + i] = 1;
    parentStart[j + 1]!++;
  }
  for (let j = 0; j < d; j++) parentStart[j + 1]! += parentStart[j]!;
  const parentList = scratch('parentList', edges.length, Int32Array);
  const filled = scratch('filled', d, Int32Array);
  filled.set(parentStart.subarray(0, d));
  for (const [i, j] of edges) parentList[filled[j]!++] = i;
  const around: Neighbours = { start: scratch('start', d + 1, Int32Array).fill(0), list: scratch('list', 2 * edges.length, Int32Array) };
  for (let x = 0, n = 0; x < d; x++) {
    for (let y = 0; y < d; y++) if (c[x * d + y]) around.list[n++] = y;
    around.start[x + 1] = n;
  }
  // V-structures a → j ← b with a, b not adjacent (orienting clears one entry of a pair, never both).
  for (let j = 0; j < d; j++)
    for (let p = parentStart[j]!; p < parentStart[j + 1]!; p++)
      for (let q = p + 1; q < parentStart[j + 1]!; q++) {
        const a = parentList[p]!;
        const b = parentList[q]!;
        if (!adjacentIn(c, d, a, b)) c[j * d + a] = c[j * d + b] = 0;
      }
  // Meek's rules R1–R3 until nothing changes; they reach one fixed point whatever the order
  // (Meek 1995). A worklist of ordered pairs (x, y) — "is x — y forced to x → y?" — starts with
  // every undirected edge both ways; orienting u → v can only force edges that touch u or v,
  // so only those are checked again (full passes until nothing changed took ~100 µs a DAG).
  const queue: number[] = [];
  const push = (x: number, y: number): void => {
    if (queued[x * d + y] === 0 && isUndirected(c, d, x, y)) {
      queued[x * d + y] = 1;
      queue.push(x, y);
    }
  };
  for (let x = 0; x < d; x++) for (let k = around.start[x]!; k < around.start[x + 1]!; k++) push(x, around.list[k]!);
  for (let head = 0; head < queue.length; head += 2) {
    const x = queue[head]!;
    const y = queue[head + 1]!;
    queued[x * d + y] = 0;
    if (!isUndirected(c, d, x, y) || !meekOrients(x, y, d, c, around)) continue;
    c[y * d + x] = 0;
    for (const u of [x, y])
      for (let k = around.start[u]!; k < around.start[u + 1]!; k++) {
        push(u, around.list[k]!);
        push(around.list[k]!, u);
      }
  }
  return { c, around };
}

const isDirected = (c: Uint8Array, d: number, i: number, j: number): boolean => c[i * d + j] === 1 && c[j * d + i] === 0;
/** Adjacent in the skeleton: orienting an edge clears one of its two entries, never both. */
const adjacentIn = (c: Uint8Array, d: number, i: number, j: number): boolean => c[i * d + j] === 1 || c[j * d + i] === 1;
const isUndirected = (c: Uint8Array, d: number, i: number, j: number): boolean => c[i * d + j] === 1 && c[j * d + i] === 1;

/** Does one of R1–R3 force the undirected edge x — y to become x → y? Only x's neighbours can. */
function meekOrients(x: number, y: number, d: number, c: Uint8Array, around: Neighbours): boolean {
  const first = around.start[x]!;
  const end = around.start[x + 1]!;
  for (let k = first; k < end; k++) {
    const a = around.list[k]!;
    if (a === y) continue;
    // R1: a → x — y with a, y not adjacent.
    if (isDirected(c, d, a, x) && !adjacentIn(c, d, a, y)) return true;
    // R2: x → a → y.
    if (isDirected(c, d, x, a) && isDirected(c, d, a, y)) return true;
  }
  // R3: x — a → y and x — b → y with a, b not adjacent.
  for (let p = first; p < end; p++) {
    const a = around.list[p]!;
    if (a === y || !isUndirected(c, d, x, a) || !isDirected(c, d, a, y)) continue;
    for (let q = p + 1; q < end; q++) {
      const b = around.list[q]!;
      if (b !== y && isUndirected(c, d, x, b) && isDirected(c, d, b, y) && !adjacentIn(c, d, a, b)) return true;
    }
  }
  return false;
}

/** The edges of a d·d adjacency matrix (row = parent), row-major. */
function edgesOf(adjacency: ArrayLike<number>, d: number): Array<[number, number]> {
  if (adjacency.length !== d * d) throw new DagflowError('BAD_GRAPH', `adjacency must be ${d}×${d}, got ${adjacency.length} entries`);
  const edges: Array<[number, number]> = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) if (i !== j && adjacency[i * d + j] !== 0 && adjacency[i * d + j] !== undefined) edges.push([i, j]);
  return edges;
}

export function dagToCpdag(adjacency: ArrayLike<number>, d: number): Uint8Array {
  return cpdagCore(d, edgesOf(adjacency, d)).c.slice();
}

/**
 * The CPDAG of a DAG given by its edges, as edge lists, row-major: directed (compelled) edges
 * [from, to] and undirected (reversible) ones [a, b] with a < b.
 */
export function cpdagEdges(
  d: number,
  dagEdges: ReadonlyArray<readonly [number, number]>,
): { directed: Array<[number, number]>; undirected: Array<[number, number]> } {
  const { c, around } = cpdagCore(d, dagEdges);
  const directed: Array<[number, number]> = [];
  const undirected: Array<[number, number]> = [];
  for (let i = 0; i < d; i++)
    for (let k = around.start[i]!; k < around.start[i + 1]!; k++) {
      const j = around.list[k]!;
      if (c[i * d + j] !== 1) continue;
      if (c[j * d + i] !== 1) directed.push([i, j]);
      else if (i < j) undirected.push([i, j]);
    }
  return { directed, undirected };
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
