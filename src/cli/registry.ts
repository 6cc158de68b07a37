import type { CliCommand } from './command.ts';

/**
 * Every subcommand, loaded lazily so that `dagflow info` does not pay for TensorFlow or the
 * scores. One line per command file in ./commands.
 */
export const commandLoaders: Readonly<Record<string, () => Promise<CliCommand>>> = {
  info: async () => (await import('./commands/info.ts')).command,
  selftest: async () => (await import('./commands/selftest.ts')).command,
  export: async () => (await import('./commands/export.ts')).command,
  'import-graph': async () => (await import('./commands/importGraph.ts')).command,
  session: async () => (await import('./commands/session.ts')).command,
  score: async () => (await import('./commands/score.ts')).command,
  generate: async () => (await import('./commands/generate.ts')).command,
  exact: async () => (await import('./commands/exact.ts')).command,
  evaluate: async () => (await import('./commands/evaluate.ts')).command,
  train: async () => (await import('./commands/train.ts')).command,
  sample: async () => (await import('./commands/sample.ts')).command,
  mcmc: async () => (await import('./commands/mcmc.ts')).command,
  compare: async () => (await import('./commands/compare.ts')).command,
  advise: async () => (await import('./commands/advise.ts')).command,
  features: async () => (await import('./commands/features.ts')).command,
  effects: async () => (await import('./commands/effects.ts')).command,
  hypothesis: async () => (await import('./commands/hypothesis.ts')).command,
  sweep: async () => (await import('./commands/sweep.ts')).command,
  combine: async () => (await import('./commands/combine.ts')).command,
  design: async () => (await import('./commands/design.ts')).command,
};

export const commandSummaries: Readonly<Record<string, string>> = {
  info: 'version and the TensorFlow.js backend in use (and why)',
  selftest: 'measure the matmul rate of the backend',
  export: 'export a run: samples, arc strengths, edge marginals, consensus graph (GraphML, DOT, Cytoscape, Tetrad, SVG, PNG), HTML report',
  'import-graph': 'read a graph file (edge list, DOT, GraphML, adjacency matrix, Tetrad) against a data set',
  session: 'pack run folders and their data into a .dagflow session file, or check one',
  score: 'log marginal likelihood of a graph (BGe or BDeu), total and per node',
  generate: 'synthetic data on a random Erdős–Rényi DAG, with the true graph',
  exact: 'exact posterior over DAGs: log Z, edge marginals, MAP set (small graphs)',
  evaluate: 'metrics of posterior samples against a true graph and/or the exact posterior',
  train: 'train a DAG-GFlowNet and sample DAGs from it',
  sample: 'draw DAGs from a trained GFlowNet checkpoint',
  mcmc: 'MCMC over DAGs (MC3, order or partition MCMC) with several chains and convergence diagnostics',
  compare: 'compare the edge marginals of two runs, and each against a true graph or the exact posterior',
  advise: 'which samplers are possible on a data set, and with which max-parents bound',
  features: 'posterior probabilities of edges, directed paths, Markov blankets, adjacencies and v-structures, with standard errors',
  effects: 'causal effect of do(X) on Y averaged over the posterior: mean, interval, histogram, P(no effect)',
  hypothesis: 'where a hypothesised DAG sits in the posterior: log posterior, rank, edge and equivalence-class probabilities',
  sweep: 'many runs (seeds × grid × bootstrap) as a Slurm array job or locally, one run folder per task',
  combine: 'merge finished runs of one problem (a sweep folder or run folders) into one posterior, with between-run diagnostics',
  design: 'which intervention next: expected information gain per target for a query, with Monte Carlo errors, ranked',
};

/**
 * The loader of command `name`, looked up among the table's own entries only: `dagflow
 * __proto__` or `dagflow constructor` must be unknown commands, not Object.prototype members.
 */
export function commandLoader(name: string): (() => Promise<CliCommand>) | undefined {
  return Object.hasOwn(commandLoaders, name) ? commandLoaders[name] : undefined;
}

export function commandSummary(name: string): string {
  return Object.hasOwn(commandSummaries, name) ? commandSummaries[name]! : '';
}
