/**
 * One entry point for every export of a run: the CLI (`dagflow export`) and the app call
 * `exportRun`, which renders the chosen format and writes it atomically. Formats and the
 * tools that read them are listed in docs/exports.md.
 */
import { DagflowError } from '../core/errors.ts';
import { formatEdgeMarginalsCsv, formatSampleLine } from '../samples/format.ts';
import { writeFileAtomic, type AtomicContent } from '../io/atomicWrite.ts';
import { writeCytoscapeJson } from '../graphio/cytoscape.ts';
import { writeDot } from '../graphio/dot.ts';
import { consensusAt, DEFAULT_CONSENSUS_THRESHOLD } from '../graphio/graph.ts';
import { writeGraphml } from '../graphio/graphml.ts';
import { renderPng } from '../render/png.ts';
import { renderReport } from '../report/report.ts';
import { requireSamples, type RunResults } from './runDirectory.ts';
import { renderSvg } from '../render/svg.ts';
import { writeTetradGraph } from '../graphio/tetrad.ts';
import { arcStrengthCsv, samplesCsvChunks } from './tables.ts';
import { causalFeaturesCsv } from './causalTable.ts';
import { writeDagitty } from '../graphio/dagitty.ts';
import { causalEffectsCsv, pairEffects, requireProblem, type ExportProblem } from './causalEffects.ts';
import { causalJson } from './causalJson.ts';
import { consensusNetwork } from './consensusNetwork.ts';
import { writeBif } from './bif.ts';
import { writeXmlbif } from './xmlbif.ts';
import { runPosterior } from '../causal/runPosterior.ts';
import { EXPORT_FORMAT_IDS, type ExportFormat } from '../../shared/exchange.ts';

/** The export formats: the API contract's list (one list for the engine, the CLI and the window). */
export const EXPORT_FORMATS = EXPORT_FORMAT_IDS;
export type { ExportFormat };

/** The usual file extension and media type of each format (for save dialogs and downloads). */
export const EXPORT_FILE_TYPES: Record<ExportFormat, { extension: string; mediaType: string; description: string }> = {
  'samples-jsonl': { extension: '.jsonl', mediaType: 'application/jsonl', description: 'posterior samples, one DAG per line (JSON Lines)' },
  'samples-csv': { extension: '.csv', mediaType: 'text/csv', description: 'posterior samples, one row per edge (sample,from,to)' },
  'arc-strength': { extension: '.csv', mediaType: 'text/csv', description: 'bnlearn-style arc strengths (from,to,strength,direction)' },
  'edge-marginals': { extension: '.csv', mediaType: 'text/csv', description: 'edge-marginal matrix P(row → column)' },
  'causal-features': {
    extension: '.csv',
    mediaType: 'text/csv',
    description: 'per pair: P(edge), P(directed path), P(Markov blanket), P(adjacent) with standard errors',
  },
  'causal-effects': {
    extension: '.csv',
    mediaType: 'text/csv',
    description: 'per pair: causal effect of do(cause) on effect averaged over the posterior, with intervals (needs the data)',
  },
  'causal-json': {
    extension: '.json',
    mediaType: 'application/json',
    description: 'features with standard errors and (with the data) effects, JSON',
  },
  graphml: { extension: '.graphml', mediaType: 'application/graphml+xml', description: 'consensus graph, GraphML' },
  dot: { extension: '.dot', mediaType: 'text/vnd.graphviz', description: 'consensus graph, Graphviz DOT' },
  cytoscape: { extension: '.cyjs', mediaType: 'application/json', description: 'consensus graph, Cytoscape JSON' },
  tetrad: { extension: '.txt', mediaType: 'text/plain', description: 'consensus graph, Tetrad text graph' },
  dagitty: { extension: '.dagitty', mediaType: 'text/plain', description: 'consensus graph, DAGitty model syntax' },
  bif: {
    extension: '.bif',
    mediaType: 'text/plain',
    description: 'consensus DAG with posterior-mean conditional tables, BIF (discrete data)',
  },
  xmlbif: {
    extension: '.xml',
    mediaType: 'application/xml',
    description: 'consensus DAG with posterior-mean conditional tables, XMLBIF 0.3 (discrete data)',
  },
  svg: { extension: '.svg', mediaType: 'image/svg+xml', description: 'consensus graph, SVG image' },
  png: { extension: '.png', mediaType: 'image/png', description: 'consensus graph, PNG image' },
  report: { extension: '.html', mediaType: 'text/html', description: 'run report, one self-contained HTML file' },
};

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface ExportOptions {
  /** Consensus threshold for the graph formats and the report (default 0.5; edges with P ≥ threshold). */
  threshold?: number;
  /** Reference graph (d·d adjacency over the run's columns) for the report's metrics. */
  truth?: Uint8Array;
  /** Footer of the report ("DAGFlow 0.1.0"). */
  generator?: string;
  /** The data the run was scored on: needed by causal-effects, bif and xmlbif; adds effects to causal-json and the report. */
  problem?: ExportProblem;
}

export interface RenderedExport {
  format: ExportFormat;
  content: AtomicContent;
  /** Edges in the exported consensus graph (graph formats only). */
  edges?: number;
}

/** The JSON Lines file in chunks of 4096 samples (one write per chunk, not per line). */
function* jsonlChunks(run: RunResults): Generator<string> {
  const batch: string[] = [];
  for (const record of requireSamples(run, 'samples-jsonl')) {
    batch.push(formatSampleLine(record) + '\n');
    if (batch.length === 4096) yield batch.splice(0).join('');
  }
  if (batch.length > 0) yield batch.join('');
}

/** The file content of one export. Large sample files are produced lazily, as chunks. */
export function renderExport(run: RunResults, format: ExportFormat, options: ExportOptions = {}): RenderedExport {
  const threshold = options.threshold ?? DEFAULT_CONSENSUS_THRESHOLD;
  const graph = () => consensusAt(run.columns, run.marginals, threshold);
  switch (format) {
    case 'samples-jsonl':
      requireSamples(run, format);
      return { format, content: jsonlChunks(run) };
    case 'samples-csv':
      return { format, content: samplesCsvChunks(requireSamples(run, format)) };
    case 'arc-strength':
      return { format, content: arcStrengthCsv(run.columns, run.marginals) };
    case 'edge-marginals':
      return { format, content: formatEdgeMarginalsCsv(run.columns, run.marginals) };
    case 'causal-features':
      return { format, content: causalFeaturesCsv(run) };
    case 'causal-effects': {
      const problem = requireProblem(options.problem, format);
      return { format, content: causalEffectsCsv(run.columns, pairEffects(runPosterior(run, format).posterior, problem)) };
    }
    case 'causal-json':
      return { format, content: causalJson(run, options.problem) };
    case 'bif':
    case 'xmlbif': {
      const { dataset, scoreOptions } = requireProblem(options.problem, format);
      const net = consensusNetwork(run.columns, run.marginals, threshold, dataset, scoreOptions.ess ?? 1);
      const edges = net.variables.reduce((n, v) => n + v.parents.length, 0);
      return { format, content: format === 'bif' ? writeBif(net) : writeXmlbif(net), edges };
    }
    case 'graphml': {
      const g = graph();
      return { format, content: writeGraphml(g), edges: g.edges.length };
    }
    case 'dot': {
      const g = graph();
      return { format, content: writeDot(g), edges: g.edges.length };
    }
    case 'cytoscape': {
      const g = graph();
      return { format, content: writeCytoscapeJson(g), edges: g.edges.length };
    }
    case 'tetrad': {
      const g = graph();
      return { format, content: writeTetradGraph(g), edges: g.edges.length };
    }
    case 'dagitty': {
      const g = graph();
      return { format, content: writeDagitty(g), edges: g.edges.length };
    }
    case 'svg': {
      const g = graph();
      return { format, content: renderSvg(g), edges: g.edges.length };
    }
    case 'png': {
      const g = graph();
      return { format, content: renderPng(g), edges: g.edges.length };
    }
    case 'report': {
      const reportOptions: Parameters<typeof renderReport>[1] = { threshold };
      if (options.truth) reportOptions.truth = options.truth;
      if (options.generator) reportOptions.generator = options.generator;
      if (options.problem) reportOptions.problem = options.problem;
      return { format, content: renderReport(run, reportOptions), edges: graph().edges.length };
    }
    default:
      throw new DagflowError(
        'BAD_OPTION',
        `unknown export format "${String(format)}"`,
        { flag: '--format' },
        `use one of ${EXPORT_FORMATS.join(', ')}`,
      );
  }
}

export interface ExportResult {
  format: ExportFormat;
  out: string;
  bytes: number;
  threshold?: number;
  edges?: number;
}

/** Render and write atomically: the target is either untouched or complete. */
export async function exportRun(run: RunResults, format: ExportFormat, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const rendered = renderExport(run, format, options);
  const bytes = await writeFileAtomic(out, rendered.content);
  const result: ExportResult = { format, out, bytes };
  if (rendered.edges !== undefined) {
    result.threshold = options.threshold ?? DEFAULT_CONSENSUS_THRESHOLD;
    result.edges = rendered.edges;
  }
  return result;
}
