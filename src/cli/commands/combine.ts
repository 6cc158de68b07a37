/**
 * `dagflow combine DIR` (a sweep folder) or `dagflow combine RUN RUN …` (run folders of
 * `train`/`mcmc`): the finished runs of one problem as one posterior per grid cell — pooled
 * samples, edge and feature probabilities with between-run standard errors, between-run
 * diagnostics naming the runs that disagree, and for a grid the sensitivity table. Runs of
 * different problems are refused. The engine part is gflownet/sweep/combination.ts.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { RHAT_WARNING } from '../../gflownet/mcmc/diagnostics.ts';
import { cellFolder, combinationJson, combineRunFolders, writeCombination, type Combination } from '../../gflownet/sweep/combination.ts';
import { SWEEP_FILES } from '../../gflownet/sweep/manifest.ts';
import { SENSITIVITY_CHANGE } from '../../gflownet/sweep/sensitivity.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { prepareOutputFolder } from '../outputFolder.ts';

export const combineFlags = {
  out: {
    type: 'string',
    valueName: 'DIR',
    help: 'folder for combined.json, edge_marginals.csv and samples.jsonl (default: DIR/combined for a sweep; required for run folders)',
  },
  top: { type: 'number', integer: true, min: 1, default: 15, help: 'edges listed per grid cell' },
  json: { type: 'boolean', help: 'print combined.json on stdout' },
} as const;

const summary = 'merge finished runs of one problem (a sweep folder or run folders) into one posterior, with between-run diagnostics';

/** Folders (positional) and flags: a token after a flag that takes a value is that value. */
function splitPositional(argv: readonly string[]): { folders: string[]; flags: string[] } {
  const folders: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (!t.startsWith('--')) folders.push(t);
    else {
      flags.push(t);
      const name = t.slice(2).split('=')[0]!;
      if (
        !t.includes('=') &&
        Object.hasOwn(combineFlags, name) &&
        combineFlags[name as keyof typeof combineFlags].type !== 'boolean' &&
        i + 1 < argv.length
      )
        flags.push(argv[++i]!);
    }
  }
  return { folders, flags };
}

async function isSweep(dir: string): Promise<boolean> {
  try {
    return (await stat(path.join(dir, SWEEP_FILES.manifest))).isFile();
  } catch {
    return false;
  }
}

const f3 = (x: number): string => x.toFixed(3);

export function describeCombination(c: Combination, out: string, top: number): string {
  const lines: string[] = [];
  const d = c.columns.length;
  lines.push(
    `combined ${c.runs} run${c.runs === 1 ? '' : 's'} (${c.methods.join(', ')}) over ${d} variables${c.cells.length > 1 ? ` in ${c.cells.length} grid cells` : ''}`,
  );
  if (c.unfinished.length > 0)
    lines.push(
      `left out ${c.unfinished.length} unfinished task${c.unfinished.length === 1 ? '' : 's'}: ${c.unfinished
        .slice(0, 10)
        .map((u) => `${u.id} (${u.state})`)
        .join(', ')}${c.unfinished.length > 10 ? ', …' : ''}`,
    );
  c.cells.forEach((cell, k) => {
    lines.push('');
    lines.push(
      `${cell.label ? `[${cell.label}] ` : ''}${cell.runs.length} runs, ${cell.samples.toLocaleString('en')} samples → ${path.join(out, cellFolder(c, k))}`,
    );
    const edges: Array<{ e: number; p: number }> = [];
    for (let e = 0; e < d * d; e++) if (Math.floor(e / d) !== e % d) edges.push({ e, p: cell.edge.mean[e]! });
    edges.sort((a, b) => b.p - a.p);
    const spread = cell.spread;
    lines.push(`  edge            P(edge)  ± SE     spread over seeds`);
    for (const { e, p } of edges.slice(0, top)) {
      const se = cell.edge.standardError ? `± ${f3(cell.edge.standardError[e]!)}` : '±   –  ';
      const name = `${c.columns[Math.floor(e / d)]} → ${c.columns[e % d]}`;
      lines.push(
        `  ${name.padEnd(16)}${f3(p)}  ${se}  ${f3(spread[e]!)}${cell.bootstrapSd ? `  (bootstrap sd ${f3(cell.bootstrapSd[e]!)})` : ''}`,
      );
    }
    const rhat =
      cell.rhatMax === null
        ? 'R-hat across runs: – (needs 2 runs with samples)'
        : `R-hat across runs max ${cell.rhatMax >= 100 ? cell.rhatMax.toExponential(1) : f3(cell.rhatMax)}`;
    lines.push(`  ${rhat}; largest spread of an edge over seeds ${f3(cell.maxSpread)}`);
    lines.push(
      cell.warning
        ? `  WARNING: ${cell.warning}`
        : `  the runs agree (R-hat ≤ ${RHAT_WARNING}, no run differs from the rest by more than 0.1 on an edge)`,
    );
  });
  if (c.cells.length > 1) {
    lines.push('');
    if (c.sensitivity.length === 0) lines.push(`sensitivity: no edge changes by more than ${SENSITIVITY_CHANGE} with any grid setting`);
    else {
      lines.push(`sensitivity: edges whose probability changes by more than ${SENSITIVITY_CHANGE} with one grid setting`);
      for (const r of c.sensitivity.slice(0, 30))
        lines.push(
          `  ${`${c.columns[r.from]} → ${c.columns[r.to]}`.padEnd(16)}${r.setting}: ${r.values.map((v) => `${v.value} ${f3(v.probability)}`).join(', ')}${r.at ? ` (at ${r.at})` : ''}`,
        );
    }
  }
  lines.push('');
  lines.push(`written: ${path.join(out, 'combined.json')}`);
  return lines.join('\n');
}

export const command: CliCommand = {
  name: 'combine',
  summary,
  help: formatHelp(
    'dagflow combine SWEEP_DIR [--out DIR] [--json]\n       dagflow combine RUN_DIR RUN_DIR … --out DIR [--json]',
    `${summary}. See docs/cluster.md.`,
    combineFlags,
  ),
  async run(argv, io) {
    const { folders, flags } = splitPositional(argv);
    const opts = parseFlags(flags, combineFlags);
    if (folders.length === 0)
      throw new DagflowError('BAD_OPTION', 'give a sweep folder or run folders to combine', {}, 'dagflow combine DIR (see --help)');
    const sweep = folders.length === 1 && (await isSweep(folders[0]!)) ? path.resolve(folders[0]!) : undefined;
    if (folders.length > 1)
      for (const f of folders)
        if (await isSweep(f))
          throw new DagflowError('BAD_OPTION', 'is a sweep folder: combine one sweep at a time', { file: f }, `dagflow combine ${f}`);
    if (!sweep && opts.out === undefined)
      throw new DagflowError(
        'BAD_OPTION',
        'is required when combining run folders',
        { flag: '--out' },
        'give the folder for the combined posterior',
      );
    const combination = await combineRunFolders(sweep ? { sweep } : { runs: folders.map((f) => path.resolve(f)) });
    const out = await prepareOutputFolder(opts.out ?? path.join(sweep!, 'combined'));
    await writeCombination(out, combination);
    if (opts.json)
      io.stdout(JSON.stringify(combinationJson(combination), (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    else io.stdout(describeCombination(combination, out, opts.top));
    return 0;
  },
};
