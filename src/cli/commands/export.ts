/**
 * `dagflow export`: one result of a run folder (what `dagflow train` / `dagflow mcmc` wrote)
 * in a format other tools read. Written atomically: the target is either untouched or whole.
 */
import { EXPORT_FILE_TYPES, EXPORT_FORMATS, exportRun, type ExportFormat, type ExportOptions } from '../../gflownet/formats/exportRun.ts';
import { importGraphFile } from '../../gflownet/formats/importGraph.ts';
import { loadRunDirectory } from '../../gflownet/formats/runDirectory.ts';
import { readVersion } from '../../shared/version.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';

const flags = {
  run: { type: 'string', required: true, valueName: 'DIR', help: 'the run folder (samples.jsonl, edge_marginals.csv, summary.json)' },
  format: { type: 'enum', values: EXPORT_FORMATS, required: true, help: 'what to write' },
  threshold: { type: 'number', min: 0, exclusiveMin: true, max: 1, default: 0.5, help: 'consensus graph: keep edges with P ≥ threshold' },
  out: { type: 'string', required: true, valueName: 'FILE', help: 'the file to write (replaced atomically)' },
  truth: { type: 'string', valueName: 'GRAPH', help: 'report only: a reference graph (edge-list CSV, DOT, GraphML or adjacency CSV) for metrics' },
  json: { type: 'boolean', help: 'print one JSON object: {format, out, bytes, threshold?, edges?}' },
} as const;

const summary = 'export a run: samples (JSONL, CSV), arc strengths, edge marginals, consensus graph (GraphML, DOT, Cytoscape, SVG, PNG) or an HTML report';

const formatList = EXPORT_FORMATS.map((f) => `  ${f.padEnd(16)}${EXPORT_FILE_TYPES[f].description}`).join('\n');

export const command: CliCommand = {
  name: 'export',
  summary,
  help: `${formatHelp('dagflow export --run DIR --format F --out FILE [--threshold P] [--truth GRAPH] [--json]', summary, flags)}\n\nFormats:\n${formatList}`,
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const run = await loadRunDirectory(opts.run);
    const options: ExportOptions = { threshold: opts.threshold, generator: `DAGFlow ${readVersion()}` };
    if (opts.truth !== undefined) options.truth = (await importGraphFile(opts.truth, run.columns)).adjacency;
    const result = await exportRun(run, opts.format as ExportFormat, opts.out, options);
    if (opts.json) io.stdout(JSON.stringify(result));
    else io.stdout(`wrote ${result.out} (${result.format}, ${result.bytes} bytes${result.edges === undefined ? '' : `, ${result.edges} edges with P ≥ ${result.threshold}`})`);
    return 0;
  },
};
