/**
 * `dagflow advise --data FILE`: what is possible on this data set — which samplers, with which
 * parent bound — answered from the engine's limits in a moment, before a run is started.
 */
import { adviseFeasibility } from '../../gflownet/advice/feasibility.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { dataFlags, loadScoringProblem } from '../dataFlags.ts';

const flags = {
  ...dataFlags,
  'max-parents': { type: 'number', integer: true, min: 0, help: 'the parent bound you intend to use (default: none)' },
  json: {
    type: 'boolean',
    help: 'print one JSON object: {variables, requestedMaxParents?, samplers: [{sampler, possible, maxParents?, reason}], summary}',
  },
} as const;

const summary = 'which samplers are possible on a data set, and with which max-parents bound';

export const command: CliCommand = {
  name: 'advise',
  summary,
  help: formatHelp('dagflow advise --data FILE [data flags as in dagflow score] [--max-parents K] [--json]', summary, flags),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const { dataset } = await loadScoringProblem(opts);
    const advice = adviseFeasibility(dataset.columns.length, { maxParents: opts['max-parents'] });
    if (opts.json) {
      io.stdout(JSON.stringify(advice));
      return 0;
    }
    const width = Math.max(...advice.samplers.map((s) => s.sampler.length));
    io.stdout(
      [
        `${dataset.columns.length} variables, ${dataset.rows} rows (${dataset.kind})`,
        advice.summary,
        '',
        ...advice.samplers.map((s) => `  ${s.sampler.padEnd(width)}  ${s.possible ? 'yes' : 'no '}  ${s.reason}`),
      ].join('\n'),
    );
    return 0;
  },
};
