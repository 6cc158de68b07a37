/**
 * A finished run in any export format (src/gflownet/export/renderExport.ts), from the run store:
 * rendered in memory for a browser download (binary formats as base64), or written atomically
 * where the desktop app's save dialog says. The threshold is the Posterior screen's.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import { EXPORT_FILE_TYPES, exportRun as writeExport, renderExport, type ExportOptions } from '../gflownet/export/renderExport.ts';
import type { AtomicContent } from '../gflownet/io/atomicWrite.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { ExportedFile, ExportFormat, ExportRequest, SavedExport } from '../shared/exchange.ts';
import { SAMPLE_EXPORTS } from '../shared/exchange.ts';
import type { RunSummaryView } from '../shared/workflow.ts';
import { runResultsFromPosterior } from './session/appRuns.ts';
import type { ExportProblem } from '../gflownet/export/causalEffects.ts';

/** The file-name ending of each format; edge marginals and samples keep the names `dagflow` writes. */
const SUFFIX: Record<ExportFormat, string> = {
  'samples-jsonl': 'samples.jsonl',
  'samples-csv': 'samples.csv',
  'arc-strength': 'arc_strength.csv',
  'edge-marginals': 'edge_marginals.csv',
  'causal-features': 'causal_features.csv',
  'causal-effects': 'causal_effects.csv',
  'causal-json': 'causal.json',
  graphml: 'consensus.graphml',
  dot: 'consensus.dot',
  cytoscape: 'consensus.cyjs',
  tetrad: 'consensus-tetrad.txt',
  dagitty: 'consensus.dagitty',
  bif: 'consensus.bif',
  xmlbif: 'consensus.xml',
  svg: 'consensus.svg',
  png: 'consensus.png',
  report: 'report.html',
};

export function exportFileName(run: RunSummaryView, format: ExportFormat): string {
  return `${run.datasetName.replace(/\.[^.]*$/, '')}-${run.method}-${run.runId}-${SUFFIX[format]}`;
}

/** The window's threshold 0 means "every edge with P > 0"; the engine takes thresholds in (0, 1]. */
function options(threshold: number | undefined, generator: string, problem?: ExportProblem): ExportOptions {
  return {
    threshold: threshold === undefined ? undefined : Math.max(threshold, Number.MIN_VALUE),
    generator,
    ...(problem ? { problem } : {}),
  };
}

function checkSamples(run: RunSummaryView, result: PosteriorRunResult, format: ExportFormat): void {
  if (SAMPLE_EXPORTS.includes(format) && !result.samples) {
    throw new DagflowError(
      'BAD_OPTION',
      `${run.label} has no DAG samples (the exact posterior gives edge probabilities)`,
      {},
      'export its edge marginals, arc strengths or the consensus graph instead',
    );
  }
}

async function collect(content: AtomicContent): Promise<Uint8Array | string> {
  if (typeof content === 'string' || content instanceof Uint8Array) return content;
  const parts: Array<string | Uint8Array> = [];
  for await (const chunk of content as AsyncIterable<string | Uint8Array>) parts.push(chunk);
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

export async function renderRunExport(
  run: RunSummaryView,
  result: PosteriorRunResult,
  request: ExportRequest,
  generator: string,
  problem?: ExportProblem,
): Promise<ExportedFile> {
  checkSamples(run, result, request.format);
  const rendered = renderExport(runResultsFromPosterior(run, result), request.format, options(request.threshold, generator, problem));
  const content = await collect(rendered.content);
  const file: ExportedFile = { fileName: exportFileName(run, request.format), mimeType: EXPORT_FILE_TYPES[request.format].mediaType };
  if (typeof content === 'string') file.text = content;
  else file.base64 = Buffer.from(content).toString('base64');
  if (rendered.edges !== undefined) file.edges = rendered.edges;
  return file;
}

export async function saveRunExport(
  run: RunSummaryView,
  result: PosteriorRunResult,
  request: ExportRequest,
  target: string,
  generator: string,
  problem?: ExportProblem,
): Promise<SavedExport> {
  checkSamples(run, result, request.format);
  const written = await writeExport(
    runResultsFromPosterior(run, result),
    request.format,
    target,
    options(request.threshold, generator, problem),
  );
  const saved: SavedExport = { fileName: target.split(/[\\/]/).pop() ?? target, bytes: written.bytes };
  if (written.edges !== undefined) saved.edges = written.edges;
  return saved;
}
