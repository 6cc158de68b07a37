import type { CliCommand } from './command.ts';

/**
 * Every subcommand, loaded lazily so that `dagflow info` does not pay for TensorFlow or the
 * scores. One line per command file in ./commands.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  info: async () => (await import('./commands/info.ts')).command,
  selftest: async () => (await import('./commands/selftest.ts')).command,
  score: async () => (await import('./commands/score.ts')).command,
};

export const commandSummaries: Record<string, string> = {
  info: 'version and the TensorFlow.js backend in use (and why)',
  selftest: 'measure the matmul rate of the backend',
  score: 'log marginal likelihood of a graph (BGe or BDeu), total and per node',
};
