/**
 * The MCMC chains the layered GFlowNet learns from. A teacher only has to visit the layerings
 * that carry the posterior's mass: the sampler's importance weights correct for how often it
 * visits them, so a teacher may follow a different distribution than S(Λ) as long as it covers
 * the same modes. Two kinds, because each gets stuck where the other does not:
 *
 * - partition MCMC, whose states are layerings drawn ∝ S(Λ), this sampler's own target;
 * - order MCMC, whose states are orders. Its moves (swapping two nodes of an order) cross
 *   between the orientations of an edge that partition MCMC's moves cross only through an
 *   improbable intermediate layering, which on peaked discrete posteriors (BDeu, n = 1000)
 *   left all partition teachers on a reversed edge. Each visit draws a DAG given the order
 *   and hands over that DAG's layering (layerOfDag). Its bias (the order-modular prior counts
 *   a DAG once per compatible order) is the importance weights' to correct.
 */
import type { Rng } from '../core/rng.ts';
import { requiredAdjacency } from '../mcmc/mc3.ts';
import { OrderMcmc } from '../mcmc/order.ts';
import { PartitionMcmc } from '../mcmc/partition.ts';
import { randomStartGraph } from '../mcmc/starts.ts';
import type { LayerProblem } from './layerProblem.ts';

export type TeacherKind = 'partition' | 'order';

export interface LayerTeacher {
  readonly kind: TeacherKind;
  step(rng: Rng): void;
  /** The layering to learn from now (for an order teacher, that of a DAG drawn given the order). */
  layering(rng: Rng): Int32Array;
  /** The chain's state as a layering (an order as one node per layer), for checkpoints and restarts. */
  state(): Int32Array;
}

/** The unique layering of a DAG: parentless nodes in layer 0, every other node one layer after its latest parent. */
export function layerOfDag(adjacency: Uint8Array, d: number): Int32Array {
  const layerOf = new Int32Array(d).fill(-1);
  let placed = 0;
  for (let layer = 0; placed < d; layer++) {
    const joining: number[] = [];
    for (let v = 0; v < d; v++) {
      if (layerOf[v]! >= 0) continue;
      let ready = true;
      for (let u = 0; u < d && ready; u++) if (adjacency[u * d + v] && (layerOf[u]! < 0 || layerOf[u] === layer)) ready = false;
      if (ready) joining.push(v);
    }
    if (joining.length === 0) throw new Error('layerOfDag: the graph has a cycle');
    for (const v of joining) layerOf[v] = layer;
    placed += joining.length;
  }
  return layerOf;
}

class PartitionTeacher implements LayerTeacher {
  readonly kind = 'partition';
  constructor(private readonly chain: PartitionMcmc) {}
  step(rng: Rng): void {
    this.chain.step(rng);
  }
  layering(): Int32Array {
    return this.chain.partOf;
  }
  state(): Int32Array {
    return this.chain.partOf;
  }
}

class OrderTeacher implements LayerTeacher {
  readonly kind = 'order';
  constructor(private readonly chain: OrderMcmc) {}
  step(rng: Rng): void {
    this.chain.step(rng);
  }
  layering(rng: Rng): Int32Array {
    return layerOfDag(this.chain.observe(rng).adjacency, this.chain.d);
  }
  state(): Int32Array {
    const layerOf = new Int32Array(this.chain.d);
    this.chain.order.forEach((node, position) => (layerOf[node] = position));
    return layerOf;
  }
}

/** The nodes in increasing layer (ties by node): an order every layering's DAGs agree with. */
function orderOfLayering(layerOf: Int32Array): Int32Array {
  return Int32Array.from(Array.from(layerOf.keys()).sort((a, b) => layerOf[a]! - layerOf[b]! || a - b));
}

/**
 * A teacher of the given kind from `start` (a layering; undefined: the chain's own start). A
 * start the space rules out (prior knowledge, or a candidate-parent space in which a layer's
 * node has no allowed parent in the layer before) falls back to the layering of the graph of
 * required edges, which every space allows.
 */
export function createTeacher(problem: LayerProblem, kind: TeacherKind, start: Int32Array | undefined): LayerTeacher {
  const { tables, masks, scorer } = problem;
  if (kind === 'order') {
    try {
      return new OrderTeacher(new OrderMcmc(tables, masks, start ? { start: orderOfLayering(start) } : {}));
    } catch {
      return new OrderTeacher(new OrderMcmc(tables, masks));
    }
  }
  try {
    return new PartitionTeacher(
      new PartitionMcmc(tables, masks, { scorer, start: start ?? layerOfDag(requiredAdjacency(masks), problem.d) }),
    );
  } catch {
    return new PartitionTeacher(new PartitionMcmc(tables, masks, { scorer, start: layerOfDag(requiredAdjacency(masks), problem.d) }));
  }
}

/**
 * A random start for a teacher chain, so that chains which would stay in one mode start in
 * different ones: for order MCMC a random order the prior knowledge allows (as one node per
 * layer), for partition MCMC the layering of a random sparse DAG inside the space.
 */
export function randomTeacherStart(problem: LayerProblem, kind: TeacherKind, rng: Rng): Int32Array | undefined {
  if (kind === 'partition') return layerOfDag(randomStartGraph(problem.masks, rng, problem.tables.maxParents), problem.d);
  const d = problem.d;
  const { allowed, required } = problem.masks.rules;
  const placed = new Uint8Array(d);
  const layerOf = new Int32Array(d);
  for (let pos = 0; pos < d; pos++) {
    const ready: number[] = [];
    for (let v = 0; v < d; v++) {
      if (placed[v]) continue;
      let ok = true;
      // v may come now unless an unplaced u must precede it (a required u → v, or a tier: u → v allowed, v → u not).
      for (let u = 0; u < d && ok; u++)
        if (!placed[u] && u !== v && (required[u * d + v] || (allowed[u * d + v] && !allowed[v * d + u]))) ok = false;
      if (ok) ready.push(v);
    }
    if (ready.length === 0) return undefined;
    const v = ready[rng.int(ready.length)]!;
    placed[v] = 1;
    layerOf[v] = pos;
  }
  return layerOf;
}
