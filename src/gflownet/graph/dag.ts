/**
 * Small, general DAG utilities on a d×d Uint8Array adjacency (adjacency[i*d + j] = 1 means
 * i → j, docs/architecture.md §2): building one from an edge list, parents, acyclicity, a topological
 * order, and a cycle to show the user when a graph is not acyclic.
 */

export function adjacencyFromEdges(d: number, edges: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const adjacency = new Uint8Array(d * d);
  for (const [i, j] of edges) {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < d && j < d))
      throw new RangeError(`edge ${i} → ${j} outside 0..${d - 1}`);
    adjacency[i * d + j] = 1;
  }
  return adjacency;
}

/** Ascending parents of node j. */
export function parentsOf(adjacency: Uint8Array, d: number, j: number): number[] {
  const parents: number[] = [];
  for (let i = 0; i < d; i++) if (adjacency[i * d + j]) parents.push(i);
  return parents;
}

/**
 * A topological order (every edge goes from earlier to later; among ready nodes the lowest
 * index first, so the order is deterministic), or null when the graph has a cycle.
 */
export function topologicalOrder(adjacency: Uint8Array, d: number): number[] | null {
  const indegree = new Int32Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (adjacency[i * d + j]) indegree[j]!++;
  const order: number[] = [];
  const done = new Uint8Array(d);
  for (let step = 0; step < d; step++) {
    let next = -1;
    for (let v = 0; v < d; v++) {
      if (!done[v] && indegree[v] === 0) {
        next = v;
        break;
      }
    }
    if (next < 0) return null;
    done[next] = 1;
    order.push(next);
    for (let j = 0; j < d; j++) if (adjacency[next * d + j]) indegree[j]!--;
  }
  return order;
}

export function isAcyclic(adjacency: Uint8Array, d: number): boolean {
  return findCycle(adjacency, d) === null;
}

/** Nodes [v0, v1, …, vk] with v0 → v1 → … → vk → v0 (a self-loop is [v]), or null when acyclic. */
export function findCycle(adjacency: Uint8Array, d: number): number[] | null {
  const state = new Uint8Array(d); // 0 unvisited, 1 on the current path, 2 finished
  const parent = new Int32Array(d).fill(-1);
  for (let root = 0; root < d; root++) {
    if (state[root]) continue;
    // Iterative DFS: stack of (node, next child to try).
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [u, from] = top;
      let advanced = false;
      for (let v = from; v < d; v++) {
        if (!adjacency[u * d + v]) continue;
        top[1] = v + 1;
        if (state[v] === 1) {
          const cycle = [u];
          for (let w = u; w !== v;) {
            w = parent[w]!;
            cycle.push(w);
          }
          return cycle.reverse();
        }
        if (state[v] === 0) {
          state[v] = 1;
          parent[v] = u;
          stack.push([v, 0]);
          advanced = true;
          break;
        }
      }
      if (!advanced) {
        state[u] = 2;
        stack.pop();
      }
    }
  }
  return null;
}
