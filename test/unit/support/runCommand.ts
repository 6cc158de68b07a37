import { inCliWords } from '../../../src/cli/fieldFlags.ts';
import { userMessage } from '../../../src/gflownet/core/errors.ts';
import type { CliCommand } from '../../../src/cli/command.ts';

/** Runs one subcommand in process with its output captured; a thrown user error becomes exit 2, as in the dispatcher. */
export async function runCommand(command: CliCommand, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  try {
    const code = await command.run(argv, { stdout: (t) => (stdout += t + '\n'), stderr: () => undefined });
    return { code, stdout, stderr: '' };
  } catch (e) {
    return { code: 2, stdout, stderr: inCliWords(userMessage(e)) };
  }
}
