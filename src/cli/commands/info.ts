import { selectBackend } from '../../gflownet/backend/select.ts';
import { readVersion } from '../../shared/version.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';

const flags = {
  backend: { type: 'enum', values: ['auto', 'tensorflow', 'wasm', 'cpu'], default: 'auto', help: 'backend to select' },
  json: { type: 'boolean', help: 'print JSON' },
} as const;

export const command: CliCommand = {
  name: 'info',
  summary: 'version and the TensorFlow.js backend in use (and why)',
  help: formatHelp(
    'dagflow info [--backend B] [--json]',
    'Prints the version and which TensorFlow.js backend the engine uses, with the reason.',
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const choice = await selectBackend(opts.backend as 'auto');
    const info = { version: readVersion(), backend: choice.backend, backendReason: choice.reason };
    if (opts.json) io.stdout(JSON.stringify(info));
    else io.stdout(`dagflow ${info.version}\nbackend: ${info.backendReason}\nnode: ${process.versions.node}`);
    return 0;
  },
};
