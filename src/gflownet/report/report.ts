/**
 * The run report: one self-contained HTML file (inline CSS and SVG, no scripts, no external
 * resources) with the settings, a data summary, the edge-marginal heat map, the consensus
 * graph, plots of the samples, the most frequent DAGs and — when a reference graph is given —
 * the metrics against it. No clock or random value goes in, so the same run gives the same
 * bytes.
 */
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { compareGraphs } from '../metrics/consensus.ts';
import { expectedEdgesFromMarginals } from '../metrics/marginals.ts';
import { edgeAuroc, edgeAveragePrecision } from '../metrics/roc.ts';
import { expectedShd } from '../metrics/shd.ts';
import { samplesToAdjacencies } from '../samples/format.ts';
import { adjacencyOf, consensusAt, formatNumber, DEFAULT_CONSENSUS_THRESHOLD } from '../graphio/graph.ts';
import { barChartSvg, heatmapSvg, lineChartSvg, type Series } from './plots.ts';
import type { RunResults } from '../export/runDirectory.ts';
import { renderSvg } from '../render/svg.ts';
import { escapeXml } from '../graphio/xml.ts';
import { groupByCpdag } from '../graph/cpdagGroups.ts';
import type { ExportProblem } from '../export/causalEffects.ts';
import { causalSection } from './causalSection.ts';

export interface ReportOptions {
  threshold?: number;
  /** A reference ("true") graph over the run's columns, d·d adjacency. */
  truth?: Uint8Array;
  /** Shown in the footer, e.g. "DAGFlow 0.1.0". */
  generator?: string;
  /** How many of the most frequent DAGs to list (default 10). */
  topDags?: number;
  /** The run's data and score: the "Causal answers" section then lists effects too. */
  problem?: ExportProblem;
}

const html = escapeXml;

function settingValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatNumber(v, 6);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? Number(formatNumber(x, 6)) : x));
}

const LONG_VALUE = 100;

/**
 * summary.json as rows: scalars as they are, nested objects one level deep with dotted keys,
 * long lists and deep structures replaced by a pointer to the file (the traces are plotted).
 */
function settingRows(summary: Record<string, unknown>): string[][] {
  const rows: string[][] = [];
  const add = (key: string, value: unknown, depth: number): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth === 0) {
      for (const k of Object.keys(value).sort()) add(`${key}.${k}`, (value as Record<string, unknown>)[k], depth + 1);
      return;
    }
    const text = settingValue(value);
    const short = typeof value === 'string' || text.length <= LONG_VALUE;
    rows.push([key, short ? text : `(${Array.isArray(value) ? `${value.length} items` : 'nested data'}; see summary.json)`]);
  };
  for (const key of Object.keys(summary).sort())
    if (key !== 'columns' && key !== 'traces' && key !== 'trust' && key !== 'trust evidence') add(key, summary[key], 0);
  return rows;
}

/** MCMC chains' log-score traces as written in summary.json: [{chain, iteration: [...], logScore: [...]}]. */
function chainTraces(summary: Record<string, unknown>): Series[] {
  const traces = summary.traces;
  if (!Array.isArray(traces)) return [];
  const series: Series[] = [];
  for (const t of traces) {
    const { chain, iteration, logScore } = (t ?? {}) as { chain?: unknown; iteration?: unknown; logScore?: unknown };
    if (!Array.isArray(logScore) || !logScore.every((v) => typeof v === 'number')) continue;
    const s: Series = { name: typeof chain === 'number' ? `chain ${chain + 1}` : `trace ${series.length + 1}`, y: logScore as number[] };
    if (Array.isArray(iteration) && iteration.length === logScore.length && iteration.every((v) => typeof v === 'number'))
      s.x = iteration as number[];
    series.push(s);
  }
  return series;
}

function table(header: readonly string[] | null, rows: ReadonlyArray<readonly string[]>): string {
  const head = header === null ? '' : `<tr>${header.map((h) => `<th>${html(h)}</th>`).join('')}</tr>\n`;
  return `<table>\n${head}${rows.map((r) => `<tr>${r.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('\n')}\n</table>`;
}

interface DagFrequency {
  key: string;
  edges: Array<[string, string]>;
  count: number;
  logScore: number;
}

function topDags(run: RunResults, k: number): DagFrequency[] {
  const byKey = new Map<string, DagFrequency>();
  for (const s of run.samples ?? []) {
    const edges = [...s.edges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const key = JSON.stringify(edges);
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { key, edges, count: 1, logScore: s.logScore });
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, k);
}

/** The samples' equivalence classes (CPDAGs) by frequency: what the data can tell apart. */
function classesSection(run: RunResults, k: number): string {
  const samples = run.samples ?? [];
  const d = run.columns.length;
  const index = new Map(run.columns.map((c, i) => [c, i]));
  const dags = topDags(run, Number.MAX_SAFE_INTEGER).map((t) => ({
    edges: t.edges.map(([a, b]): [number, number] => [index.get(a)!, index.get(b)!]),
    weight: t.count,
    logScore: t.logScore,
  }));
  const classes = groupByCpdag(dags, d);
  const name = (i: number): string => run.columns[i]!;
  const rows = classes
    .slice(0, k)
    .map((c, r) => [
      String(r + 1),
      formatNumber(c.weight / samples.length, 4),
      String(c.members.length),
      formatNumber(c.logScore, 3),
      [...c.directed.map(([a, b]) => `${name(a)}→${name(b)}`), ...c.undirected.map(([a, b]) => `${name(a)}—${name(b)}`)].join(', ') ||
        '(empty graph)',
    ]);
  return `<h2>Most frequent equivalence classes</h2>\n<p>${classes.length} Markov equivalence classes (CPDAGs) among the samples; DAGs in one class score the same under BGe or BDeu, so only the class is identified by the data. — marks a reversible edge.</p>\n${table(['rank', 'frequency', 'DAGs in the class', 'log score', 'edges'], rows)}`;
}

export function renderReport(run: RunResults, options: ReportOptions = {}): string {
  const threshold = options.threshold ?? DEFAULT_CONSENSUS_THRESHOLD;
  const { columns, marginals } = run;
  const d = columns.length;
  if (options.truth && options.truth.length !== d * d) throw new DagflowError('INTERNAL', `reference graph must be ${d}×${d}`);
  const graph = {
    ...consensusAt(columns, marginals, threshold),
    title: `Consensus graph: edges with posterior probability ≥ ${formatNumber(threshold)}`,
  };
  const samples = run.samples;
  const sections: string[] = [];

  // How far to trust the run (the window's badge, metrics/trust.ts), before anything else.
  const trust = run.summary.trust;
  const evidence = run.summary['trust evidence'];
  if (typeof trust === 'string' && trust !== '')
    sections.push(
      `<p class="trust"><strong>Trust:</strong> ${html(trust)}${typeof evidence === 'string' && evidence !== '' ? `<br><small>${html(evidence)}</small>` : ''}</p>`,
    );
  const warning = (run.summary.diagnostics as { warning?: unknown } | undefined)?.warning;
  if (typeof warning === 'string' && warning !== '') sections.push(`<p class="warning"><strong>Convergence:</strong> ${html(warning)}</p>`);
  const settings = settingRows(run.summary);
  sections.push(`<h2>Settings</h2>\n${settings.length > 0 ? table(['setting', 'value'], settings) : '<p>No summary.json was found.</p>'}`);

  const dataRows: string[][] = [
    ['variables', String(d)],
    ['columns', columns.join(', ')],
    ['posterior samples', samples ? String(samples.length) : 'none (marginals only)'],
    ['edge marginals from', run.marginalsFrom],
    ['expected number of edges', formatNumber(expectedEdgesFromMarginals(marginals), 3)],
    [`edges in the consensus graph (p ≥ ${formatNumber(threshold)})`, String(graph.edges.length)],
  ];
  for (const key of ['data', 'dataset', 'rows', 'score']) if (key in run.summary) dataRows.push([key, settingValue(run.summary[key])]);
  if (samples)
    dataRows.push([
      'distinct DAGs among the samples',
      String(new Set(samples.map((s) => JSON.stringify([...s.edges].map((e) => e.join('\u0000')).sort()))).size),
    ]);
  sections.push(`<h2>Data and posterior</h2>\n${table(null, dataRows)}`);

  sections.push(
    `<h2>Edge marginals</h2>\n<p>P(row → column). Darker is more probable.</p>\n<figure>${heatmapSvg(columns, marginals)}</figure>`,
  );
  sections.push(`<h2>Consensus graph</h2>\n<figure>${renderSvg(graph, undefined, { idPrefix: 'report-graph' }).trimEnd()}</figure>`);

  if (samples) {
    const edgeCounts = new Array<number>(samples.reduce((m, s) => Math.max(m, s.edges.length + 1), 1)).fill(0);
    for (const s of samples) edgeCounts[s.edges.length]!++;
    const traces = chainTraces(run.summary);
    const traceFigure =
      traces.length > 0 ? `\n<figure>${lineChartSvg(traces, 'Log-score trace of each chain', 'iteration', 'log score')}</figure>` : '';
    sections.push(
      `<h2>Plots</h2>\n<figure>${lineChartSvg([{ y: samples.map((s) => s.logScore) }], 'Log score of each sample (log R(G), prior included)', 'sample', 'log score')}</figure>\n<figure>${barChartSvg(edgeCounts, 'Edges per sampled DAG', 'number of edges', 'samples')}</figure>${traceFigure}`,
    );
    const top = topDags(run, options.topDags ?? 10);
    sections.push(classesSection(run, options.topDags ?? 10));
    sections.push(
      `<h2>Most frequent DAGs</h2>\n${table(
        ['rank', 'frequency', 'log score', 'edges'],
        top.map((t, k) => [
          String(k + 1),
          formatNumber(t.count / samples.length, 4),
          formatNumber(t.logScore, 3),
          t.edges.length === 0 ? '(empty graph)' : t.edges.map(([a, b]) => `${a}→${b}`).join(', '),
        ]),
      )}`,
    );
    sections.push(causalSection(run, options.problem));
  }

  if (options.truth) {
    const truth = options.truth;
    const cmp = compareGraphs(adjacencyOf(graph), truth, d);
    const rows: string[][] = [
      ['edges in the reference graph', String(truth.reduce((s, v) => s + (v ? 1 : 0), 0))],
      ['AUROC of edge marginals (diagonal excluded)', formatNumber(edgeAuroc(marginals, truth, d), 4)],
      ['average precision of edge marginals', formatNumber(edgeAveragePrecision(marginals, truth, d), 4)],
      [`SHD of the consensus graph`, String(cmp.shd)],
      [
        'precision / recall / F1 of the consensus graph',
        `${formatNumber(cmp.precision, 3)} / ${formatNumber(cmp.recall, 3)} / ${formatNumber(cmp.f1, 3)}`,
      ],
    ];
    if (samples)
      rows.splice(1, 0, [
        'E-SHD (mean SHD of the samples to the reference)',
        formatNumber(expectedShd(samplesToAdjacencies(samples, columns), truth, d), 3),
      ]);
    sections.push(`<h2>Metrics against the reference graph</h2>\n${table(['metric', 'value'], rows)}`);
  }

  const title = `DAGFlow run report — ${path.basename(path.resolve(run.source))}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.9em; } td, th { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } .trust { background: #eef3fb; border-left: 4px solid #2f6fde; padding: 0.5em 0.8em; } .warning { background: #fff4e0; border-left: 4px solid #d68a1a; padding: 0.5em 0.8em; } figure { margin: 1em 0; overflow-x: auto; } footer { margin-top: 3em; color: #777; font-size: 0.8em; }
</style>
</head>
<body>
<h1>${html(title)}</h1>
${sections.join('\n')}
<footer>Written by ${html(options.generator ?? 'DAGFlow')}. Probabilities are posterior edge marginals; the consensus graph holds every edge with P ≥ ${formatNumber(threshold)}.</footer>
</body>
</html>
`;
}
