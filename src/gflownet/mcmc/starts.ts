/**
 * Where chains start. Chain 0 starts from the graph of required edges (the empty graph
 * without prior knowledge); the others from random sparse DAGs, so that chains which do not
 * mix end up in visibly different places and the diagnostics can tell (a set of chains all
 * started at the same point can agree while all being stuck). Every method starts from a
 * graph: order MCMC from one of its topological orders, partition MCMC from its partition.
 */
import { DagflowError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { ParentMasks } from './rules.ts';

/** A random DAG obeying the rules: a random order, each allowed forward edge with probability ~1/(d−1) (about one parent per node). */
export function randomStartGraph(masks: ParentMasks, rng: Rng, maxParents = masks.maxParents): Uint8Array {
  const { d, rules } = masks;
  const adjacency = new Uint8Array(d * d);
  for (let e = 0; e < d * d; e++) if (rules.required[e]) adjacency[e] = 1;
  const order = topologicalOrderOf(adjacency, d, rng);
  const position = new Int32Array(d);
  order.forEach((node, pos) => (position[node] = pos));
  const count = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (adjacency[i * d + j]) count[j]!++;
  const p = d > 1 ? 1 / (d - 1) : 0;
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      const i = order[a]!;
      const j = order[b]!;
      const e = i * d + j;
      if (adjacency[e] || !rules.allowed[e] || count[j]! >= maxParents) continue;
      if (rng.next() < p) {
        adjacency[e] = 1;
        count[j]!++;
      }
    }
  }
  return adjacency;
}

/** A topological order of a DAG; ties broken at random when an Rng is given, else by index. Throws on a cycle. */
export function topologicalOrderOf(adjacency: Uint8Array, d: number, rng?: Rng): Int32Array {
  const indegree = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (adjacency[i * d + j]) indegree[j]!++;
  const ready: number[] = [];
  for (let j = 0; j < d; j++) if (indegree[j] === 0) ready.push(j);
  const order = new Int32Array(d);
  let n = 0;
  while (ready.length > 0) {
    const pick = rng ? rng.int(ready.length) : 0;
    const u = ready[pick]!;
    ready.splice(pick, 1);
    order[n++] = u;
    for (let v = 0; v < d; v++) if (adjacency[u * d + v] && --indegree[v]! === 0) ready.push(v);
  }
  if (n < d) throw new DagflowError('BAD_GRAPH', 'the starting graph has a cycle');
  return order;
}

/** The labelled partition of a DAG (Kuipers & Moffa): part 0 = nodes without parents, then layer by layer. */
export function partitionOf(adjacency: Uint8Array, d: number): Int32Array {
  const order = topologicalOrderOf(adjacency, d);
  const part = new Int32Array(d);
  for (const j of order) {
    let k = -1;
    for (let i = 0; i < d; i++) if (adjacency[i * d + j]) k = Math.max(k, part[i]!);
    part[j] = k + 1;
  }
  return part;
}

/** Checks that a user-given start graph obeys prior knowledge (required, forbidden, parent bound, acyclic). */
export function checkStartGraph(adjacency: Uint8Array, masks: ParentMasks): void {
  const { d, rules } = masks;
  if (adjacency.length !== d * d)
    throw new DagflowError('BAD_GRAPH', `the starting graph has ${adjacency.length} cells, expected ${d}×${d}`);
  for (let j = 0; j < d; j++) {
    let k = 0;
    for (let i = 0; i < d; i++) {
      const e = i * d + j;
      if (adjacency[e]) {
        k++;
        if (!rules.allowed[e])
          throw new DagflowError('BAD_GRAPH', `the starting graph has the edge ${i} → ${j}, which prior knowledge forbids`);
      } else if (rules.required[e]) throw new DagflowError('BAD_GRAPH', `the starting graph lacks the required edge ${i} → ${j}`);
    }
    if (k > masks.maxParents)
      throw new DagflowError('BAD_GRAPH', `node ${j} has ${k} parents in the starting graph, more than the bound of ${masks.maxParents}`);
  }
  topologicalOrderOf(adjacency, d);
}

/**
 * The partition of a DAG given by its parent rows: layer 0 = nodes without parents, each next
 * layer = nodes whose parents all lie in earlier layers. Writes part indices; returns the count.
 */
export function partitionFromParentRows(parents: Uint32Array, d: number, words: number, partOf: Int32Array): number {
  const placed = new Uint32Array(words);
  const layer = new Uint32Array(words);
  let done = 0;
  let k = 0;
  while (done < d) {
    layer.fill(0);
    for (let j = 0; j < d; j++) {
      if ((placed[j >>> 5]! >>> (j & 31)) & 1) continue;
      let ready = true;
      for (let w = 0; w < words && ready; w++) ready = (parents[j * words + w]! & ~placed[w]!) === 0;
      if (!ready) continue;
      layer[j >>> 5]! |= 1 << (j & 31);
      partOf[j] = k;
      done++;
    }
    for (let w = 0; w < words; w++) placed[w]! |= layer[w]!;
    k++;
  }
  return k;
}
