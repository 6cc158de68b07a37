import { isDagflowError, userMessage } from '../gflownet/core/errors.ts';
import type { CliIo } from './command.ts';
import { inCliWords } from './fieldFlags.ts';
import { commandLoader, commandLoaders, commandSummary } from './registry.ts';
import { readVersion } from '../shared/version.ts';
import { quoteUserText } from '../gflownet/core/userText.ts';

const io: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
};

function topLevelHelp(): string {
  const names = Object.keys(commandLoaders);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    `dagflow ${readVersion()} — Bayesian causal structure learning (DAG-GFlowNet, MCMC, exact posteriors)`,
    '',
    'Usage: dagflow <command> [options]      dagflow <command> --help',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${commandSummary(n)}`),
  ].join('\n');
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topLevelHelp());
    return 0;
  }
  if (name === '--version') {
    io.stdout(readVersion());
    return 0;
  }
  const load = commandLoader(name);
  if (!load) {
    io.stderr(`dagflow: unknown command ${quoteUserText(name)} — run dagflow --help for the list`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    io.stderr(`dagflow ${name}: ${inCliWords(userMessage(e))}`);
    if (!isDagflowError(e) && process.env.DAGFLOW_DEBUG) io.stderr(String((e as Error).stack));
    return isDagflowError(e) ? 2 : 1;
  }
}
