/**
 * `dagflow generate`: synthetic data with a known graph — DIR/data.csv, DIR/truth.csv
 * (from,to) and, for Gaussian data, DIR/weights.csv (from,to,weight). Same seed, same bytes.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError, isDagflowError } from '../../gflownet/core/errors.ts';
import { writeFileAtomic } from '../../gflownet/io/atomicWrite.ts';
import { formatDataCsv, formatTruthCsv, formatWeightsCsv, generateSynthetic } from '../../gflownet/synth/generate.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';

const flags = {
  nodes: { type: 'number', integer: true, min: 1, max: 1000, required: true, help: 'number of variables D' },
  'edges-per-node': {
    type: 'number',
    min: 0,
    required: true,
    help: 'expected edges per node E of the Erdős–Rényi graph (at most (D − 1)/2)',
  },
  rows: { type: 'number', integer: true, min: 1, max: 10_000_000, required: true, help: 'number of data rows N' },
  'noise-std': { type: 'number', min: 0, exclusiveMin: true, default: 0.1, help: 'Gaussian noise standard deviation' },
  discrete: { type: 'boolean', help: 'discrete variables with Dirichlet(0.5) conditional tables instead of linear-Gaussian' },
  levels: {
    type: 'string',
    valueName: 'MIN-MAX',
    help: 'discrete: levels per variable, drawn from this range (default 2-3; a single number fixes it)',
  },
  seed: { type: 'number', integer: true, min: 0, required: true, help: 'random seed (same seed → same files)' },
  out: {
    type: 'string',
    required: true,
    valueName: 'DIR',
    help: 'folder to write data.csv, truth.csv and weights.csv into (created if missing)',
  },
  json: { type: 'boolean', help: 'print one JSON object: {out, files, kind, nodes, rows, edges}' },
} as const;

const summary = 'synthetic data on a random Erdős–Rényi DAG (linear-Gaussian or discrete) with the true graph';

export const command: CliCommand = {
  name: 'generate',
  summary,
  help: formatHelp(
    'dagflow generate --nodes D --edges-per-node E --rows N [--noise-std S] [--discrete [--levels 2-3]] --seed K --out DIR [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    if (opts.levels !== undefined && !opts.discrete)
      throw new DagflowError('BAD_OPTION', 'applies to discrete data only', { flag: '--levels' }, 'add --discrete or drop the flag');
    if (opts.discrete && argv.some((a) => a === '--noise-std' || a.startsWith('--noise-std='))) {
      throw new DagflowError('BAD_OPTION', 'applies to Gaussian data only', { flag: '--noise-std' }, 'drop the flag or drop --discrete');
    }
    const data = generateSynthetic({
      nodes: opts.nodes,
      edgesPerNode: opts['edges-per-node'],
      rows: opts.rows,
      seed: opts.seed,
      noiseStd: opts['noise-std'],
      discrete: opts.discrete,
      levels: opts.levels === undefined ? undefined : parseLevels(opts.levels),
    });
    const files: Record<string, string> = { 'data.csv': formatDataCsv(data), 'truth.csv': formatTruthCsv(data) };
    if (data.weights) files['weights.csv'] = formatWeightsCsv(data);
    try {
      await mkdir(opts.out, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFileAtomic(path.join(opts.out, name), text);
    } catch (e) {
      if (isDagflowError(e)) throw e;
      throw new DagflowError(
        'IO',
        `cannot write the files: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        { file: opts.out },
        'choose a folder you can write to',
      );
    }
    const edges = data.truth.reduce((s, v) => s + v, 0);
    const written = Object.keys(files).map((f) => path.join(opts.out, f));
    if (opts.json) {
      io.stdout(JSON.stringify({ out: opts.out, files: written, kind: data.kind, nodes: opts.nodes, rows: opts.rows, edges }));
    } else {
      io.stdout(
        `${data.kind === 'continuous' ? 'linear-Gaussian' : 'discrete'} data: ${opts.nodes} variables, ${opts.rows} rows, ${edges} true edges\n${written.map((f) => `  wrote ${f}`).join('\n')}`,
      );
    }
    return 0;
  },
};

function parseLevels(text: string): [number, number] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!m) throw new DagflowError('BAD_OPTION', `expects a range such as 2-3 or a single number, got "${text}"`, { flag: '--levels' });
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 2 || hi < lo || hi > 100)
    throw new DagflowError('BAD_OPTION', `levels must satisfy 2 ≤ MIN ≤ MAX ≤ 100, got "${text}"`, { flag: '--levels' });
  return [lo, hi];
}
