/**
 * `dagflow export`: one result of a run folder (what `dagflow train` / `dagflow mcmc` wrote),
 * or of a run saved in a `.dagflow` session, in a format other tools read. Written
 * atomically: the target is either untouched or whole.
 */
import { EXPORT_FILE_TYPES, EXPORT_FORMATS, exportRun, type ExportFormat, type ExportOptions } from '../../gflownet/export/renderExport.ts';
import { importGraphFile } from '../../gflownet/graphio/importGraph.ts';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { loadRunDirectory, type RunResults } from '../../gflownet/export/runDirectory.ts';
import { readSessionFile, resultsFromSessionRun } from '../../gflownet/session/sessionFile.ts';
import { readVersion } from '../../shared/version.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { refuseOwnInput } from '../ownInputs.ts';
import { DATA_EXPORTS } from '../../shared/exchange.ts';
import type { ExportProblem } from '../../gflownet/export/causalEffects.ts';
import { isDagflowError, userMessage } from '../../gflownet/core/errors.ts';
import { loadScoringProblem } from '../dataFlags.ts';
import { readRunProblem } from '../runProblem.ts';

const flags = {
  run: { type: 'string', valueName: 'DIR', help: 'the run folder (samples.jsonl, edge_marginals.csv, summary.json)' },
  session: { type: 'string', valueName: 'FILE.dagflow', help: 'instead of --run: a saved session …' },
  'run-id': { type: 'string', valueName: 'ID', help: '… and the id of one of its runs (default: its only run)' },
  format: { type: 'enum', values: EXPORT_FORMATS, required: true, help: 'what to write' },
  threshold: { type: 'number', min: 0, exclusiveMin: true, max: 1, default: 0.5, help: 'consensus graph: keep edges with P ≥ threshold' },
  out: { type: 'string', required: true, valueName: 'FILE', help: 'the file to write (replaced atomically)' },
  truth: {
    type: 'string',
    valueName: 'GRAPH',
    help: 'report only: a reference graph (edge-list CSV, DOT, GraphML or adjacency CSV) for metrics',
  },
  json: { type: 'boolean', help: 'print one JSON object: {format, out, bytes, threshold?, edges?}' },
} as const;

const summary =
  'export a run: samples (JSONL, CSV), arc strengths, edge marginals, causal answers, consensus graph (GraphML, DOT, Cytoscape, Tetrad, DAGitty, BIF, SVG, PNG) or an HTML report';

/**
 * The data a run folder records (dagflow train/mcmc write it), for the formats that use it:
 * required by causal-effects, BIF and XMLBIF; the report and causal-json add effects with it,
 * and go on without them (with a warning) when the data cannot be read.
 */
async function exportProblem(
  dir: string | undefined,
  run: RunResults,
  format: ExportFormat,
  warn: (t: string) => void,
): Promise<ExportProblem | undefined> {
  const required = DATA_EXPORTS.includes(format);
  if (!required && format !== 'report' && format !== 'causal-json') return undefined;
  const recorded = dir === undefined ? null : await readRunProblem(dir, run.summary);
  if (!recorded) {
    if (required)
      throw new DagflowError(
        'BAD_OPTION',
        `the ${format} export needs the data the run was scored on, and ${dir === undefined ? 'a session run' : `${dir}`} does not record it`,
        { flag: '--format' },
        'export from a run folder written by dagflow train or dagflow mcmc',
      );
    return undefined;
  }
  try {
    const { dataset, scoreOptions } = await loadScoringProblem(recorded.data);
    return { dataset, scoreOptions };
  } catch (e) {
    if (required || !isDagflowError(e)) throw e;
    warn(`warning: the effects are left out: the run's data cannot be read (${userMessage(e)})`);
    return undefined;
  }
}

const formatList = EXPORT_FORMATS.map((f) => `  ${f.padEnd(16)}${EXPORT_FILE_TYPES[f].description}`).join('\n');

async function loadRun(dir: string | undefined, session: string | undefined, runId: string | undefined): Promise<RunResults> {
  if ((dir === undefined) === (session === undefined))
    throw new DagflowError('BAD_OPTION', 'give either --run DIR or --session FILE', { flag: '--run' });
  if (dir !== undefined) {
    if (runId !== undefined) throw new DagflowError('BAD_OPTION', 'only goes with --session', { flag: '--run-id' });
    return loadRunDirectory(dir);
  }
  const { runs } = (await readSessionFile(session!)).session;
  const ids = runs.map((r) => r.id).join(', ') || 'none';
  if (runId === undefined && runs.length !== 1)
    throw new DagflowError('BAD_OPTION', `the session has ${runs.length} runs (${ids}); say which`, { flag: '--run-id' });
  const chosen = runId === undefined ? runs[0]! : runs.find((r) => r.id === runId);
  if (chosen?.status === 'interrupted')
    throw new DagflowError(
      'BAD_OPTION',
      `the run "${chosen.id}" was interrupted before it finished: it has no results to export`,
      { flag: '--run-id', file: session },
      'start it again in DAGFlow with its settings, or choose a finished run',
    );
  if (!chosen) throw new DagflowError('BAD_OPTION', `no run "${runId}" in the session (runs: ${ids})`, { flag: '--run-id', file: session });
  return resultsFromSessionRun(chosen, `${session}#${chosen.id}`);
}

export const command: CliCommand = {
  name: 'export',
  summary,
  help: `${formatHelp('dagflow export (--run DIR | --session FILE [--run-id ID]) --format F --out FILE [--threshold P] [--truth GRAPH] [--json]', summary, flags)}\n\nFormats:\n${formatList}`,
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    await refuseOwnInput(opts.out, '--out', [
      ...(opts.run === undefined ? [] : [{ path: opts.run, flag: '--run', folder: true }]),
      ...(opts.session === undefined ? [] : [{ path: opts.session, flag: '--session' }]),
      ...(opts.truth === undefined ? [] : [{ path: opts.truth, flag: '--truth' }]),
    ]);
    const run = await loadRun(opts.run, opts.session, opts['run-id']);
    const options: ExportOptions = { threshold: opts.threshold, generator: `DAGFlow ${readVersion()}` };
    if (opts.truth !== undefined) options.truth = (await importGraphFile(opts.truth, run.columns)).adjacency;
    const problem = await exportProblem(opts.run, run, opts.format as ExportFormat, io.stderr);
    if (problem) options.problem = problem;
    const result = await exportRun(run, opts.format as ExportFormat, opts.out, options);
    if (opts.json) io.stdout(JSON.stringify(result));
    else
      io.stdout(
        `wrote ${result.out} (${result.format}, ${result.bytes} bytes${result.edges === undefined ? '' : `, ${result.edges} edges with P ≥ ${result.threshold}`})`,
      );
    return 0;
  },
};
