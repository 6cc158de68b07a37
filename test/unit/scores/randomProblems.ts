/** Seeded random data sets and DAGs for the property tests (our Rng, so every case replays from its seed). */
import { type Rng } from '../../../src/gflownet/core/rng.ts';
import type { Dataset } from '../../../src/gflownet/core/types.ts';
import { datasetFromColumns } from '../../../src/gflownet/data/dataset.ts';

/** A random DAG: a random node order and each forward pair an edge with probability p. */
export function randomDag(rng: Rng, d: number, p: number): Uint8Array {
  const order = Array.from({ length: d }, (_, i) => i);
  rng.shuffle(order);
  const adj = new Uint8Array(d * d);
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) if (rng.next() < p) adj[order[a]! * d + order[b]!] = 1;
  return adj;
}

/** Continuous data from a linear-Gaussian SEM on a random DAG (weights N(0,1), noise sd 0.5, means shifted). */
export function randomContinuous(rng: Rng, d: number, n: number, interventional: boolean): Dataset {
  const adj = randomDag(rng, d, 0.5);
  const order = topo(adj, d);
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const weights = Array.from({ length: d * d }, () => rng.normal());
  const targets = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    targets[r] = interventional && rng.next() < 0.4 ? 1 + rng.int(d) : 0;
    for (const j of order) {
      if (targets[r] === j + 1) {
        cols[j]![r] = 3 + rng.normal();
        continue;
      }
      let v = 0.5 * rng.normal() + j; // a non-zero mean so ν = zero and ν = sample differ
      for (let i = 0; i < d; i++) if (adj[i * d + j]) v += weights[i * d + j]! * cols[i]![r]!;
      cols[j]![r] = v;
    }
  }
  return datasetFromColumns({
    names: cols.map((_, j) => `X${j}`),
    continuous: cols,
    standardize: false,
    interventions: interventional ? targets : undefined,
  });
}

/** Discrete data: each node a noisy function of its parents, 2–4 levels. */
export function randomDiscrete(rng: Rng, d: number, n: number, interventional: boolean): Dataset {
  const adj = randomDag(rng, d, 0.5);
  const order = topo(adj, d);
  const levels = Array.from({ length: d }, () => 2 + rng.int(3));
  const codes = Array.from({ length: d }, () => new Int32Array(n));
  const targets = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    targets[r] = interventional && rng.next() < 0.4 ? 1 + rng.int(d) : 0;
    for (const j of order) {
      let s = 0;
      for (let i = 0; i < d; i++) if (adj[i * d + j]) s += codes[i]![r]! * (i + 1);
      codes[j]![r] = targets[r] === j + 1 || rng.next() < 0.3 ? rng.int(levels[j]!) : s % levels[j]!;
    }
  }
  return datasetFromColumns({
    names: codes.map((_, j) => `V${j}`),
    discrete: codes.map((c) => Array.from(c, (v) => `l${v}`)),
    // every level listed, even one that happens not to occur
    levels: levels.map((r) => Array.from({ length: r }, (_, k) => `l${k}`)),
    interventions: interventional ? targets : undefined,
  });
}

function topo(adj: Uint8Array, d: number): number[] {
  const order: number[] = [];
  const done = new Uint8Array(d);
  while (order.length < d) {
    for (let v = 0; v < d; v++) {
      if (done[v]) continue;
      let ready = true;
      for (let u = 0; u < d; u++) if (adj[u * d + v] && !done[u]) ready = false;
      if (ready) {
        done[v] = 1;
        order.push(v);
      }
    }
  }
  return order;
}
