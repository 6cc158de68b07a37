import { selectBackend } from '../../gflownet/backend/select.ts';
import { backendSelfTest } from '../../gflownet/backend/selfTest.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';

const flags = {
  backend: { type: 'enum', values: ['auto', 'tensorflow', 'wasm', 'cpu'], default: 'auto', help: 'backend to measure' },
  seconds: { type: 'number', min: 0.05, max: 60, default: 0.5, help: 'seconds per matrix size' },
  json: { type: 'boolean', help: 'print JSON' },
} as const;

export const command: CliCommand = {
  name: 'selftest',
  summary: 'measure the matmul rate of the backend',
  help: formatHelp(
    'dagflow selftest [--backend B] [--seconds S] [--json]',
    'Measures the float32 matmul rate (GFLOP/s) of the selected backend at sizes 128, 256 and 512.',
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const choice = await selectBackend(opts.backend as 'auto');
    const result = await backendSelfTest(choice, { secondsPerSize: opts.seconds });
    if (opts.json) {
      io.stdout(JSON.stringify(result));
    } else {
      io.stdout(`backend: ${result.reason}`);
      io.stdout('  size   repeats   seconds   GFLOP/s');
      for (const r of result.rates)
        io.stdout(
          `  ${String(r.size).padStart(4)}   ${String(r.repeats).padStart(7)}   ${r.seconds.toFixed(3).padStart(7)}   ${r.gflops.toFixed(2).padStart(7)}`,
        );
      io.stdout(`peak: ${result.peakGflops.toFixed(2)} GFLOP/s`);
    }
    return 0;
  },
};
