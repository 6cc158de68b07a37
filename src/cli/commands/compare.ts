/**
 * `dagflow compare`: two runs side by side — edge-marginal RMSE, largest difference and
 * correlation, the edges where they disagree most, and each run against a true graph and/or
 * the exact posterior. The window's compare view uses the same engine function.
 */
import { compareRunDirectories } from '../../gflownet/compare/runFiles.ts';
import type { RunComparison, TruthMetrics } from '../../gflownet/compare/compareRuns.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';

const flags = {
  a: { type: 'string', required: true, valueName: 'DIR', help: 'first run folder (samples.jsonl and/or edge_marginals.csv, summary.json)' },
  b: { type: 'string', required: true, valueName: 'DIR', help: 'second run folder' },
  truth: { type: 'string', valueName: 'EDGES.csv', help: 'the true graph: a from,to CSV by variable name' },
  exact: { type: 'string', valueName: 'EXACT.json', help: 'the exact posterior: the output of dagflow exact --json on the same data' },
  json: { type: 'boolean', help: 'print one JSON object' },
} as const;

const summary = 'compare the edge marginals of two runs, and each against a true graph or the exact posterior';

export const command: CliCommand = {
  name: 'compare',
  summary,
  help: formatHelp('dagflow compare --a DIR --b DIR [--truth EDGES.csv] [--exact EXACT.json] [--json]', summary, flags),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const result = await compareRunDirectories(opts.a, opts.b, { truth: opts.truth, exact: opts.exact });
    if (opts.json) io.stdout(JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    else io.stdout(describe(result));
    return 0;
  },
};

const f = (x: number | null, digits = 3): string => (x === null ? '–' : x.toFixed(digits));

function describe(r: RunComparison): string {
  const lines = [
    `a: ${r.a.label}${r.a.samples === null ? ' (marginals only)' : ` (${r.a.samples} samples)`}`,
    `b: ${r.b.label}${r.b.samples === null ? ' (marginals only)' : ` (${r.b.samples} samples)`}`,
    `edge marginals over ${r.variables.length} variables: RMSE ${f(r.rmse, 4)}, largest difference ${f(r.maxDifference, 4)}, correlation ${f(r.correlation, 4)}`,
    '',
    'largest disagreements (P in a, P in b):',
    ...r.disagreements.map((e) => `  ${e.from} → ${e.to}: ${e.a.toFixed(3)} vs ${e.b.toFixed(3)}`),
  ];
  if (r.exact) {
    lines.push('', 'against the exact posterior:');
    for (const [name, m] of [
      ['a', r.exact.a],
      ['b', r.exact.b],
    ] as const) {
      lines.push(
        `  ${name}: edge-marginal RMSE ${f(m.edgeMarginalRmse, 4)}, largest error ${f(m.edgeMarginalMaxError, 4)}${m.jsd === null ? '' : `, JSD ${m.jsd.toExponential(2)}`}`,
      );
    }
  }
  if (r.truth) {
    lines.push('', `against the true graph (${r.truth.edges} edges):`);
    const t = (m: TruthMetrics): string =>
      `E-SHD ${f(m.expectedShd, 2)}, AUROC ${f(m.auroc)}, AP ${f(m.averagePrecision)}, consensus SHD ${m.consensus.shd} (precision ${f(m.consensus.precision, 2)}, recall ${f(m.consensus.recall, 2)}), expected edges ${f(m.expectedEdges, 2)}`;
    lines.push(`  a: ${t(r.truth.a)}`, `  b: ${t(r.truth.b)}`);
  }
  return lines.join('\n');
}
