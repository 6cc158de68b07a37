/**
 * `dagflow evaluate`: how good is a set of posterior samples? Always the expected number of
 * edges and the edge marginals; against a true graph (--truth) the E-SHD, AUROC, average
 * precision, the expected SHD between CPDAGs and the consensus graph's SHD/precision/recall/F1; against the exact posterior
 * (--exact, the JSON of `dagflow exact`) the RMSE and largest error of the edge marginals
 * and, for d ≤ 5, the Jensen–Shannon divergence of the sample distribution to the exact one.
 */
import { readFile } from 'node:fs/promises';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { streamCsv } from '../../gflownet/data/csv.ts';
import { empiricalDistribution } from '../../gflownet/exact/distribution.ts';
import { MAX_CODE_NODES, codeFromAdjacency } from '../../gflownet/graph/dagCode.ts';
import { expectedCpdagShd } from '../../gflownet/graph/cpdag.ts';
import { adjacencyFromEdges } from '../../gflownet/graph/dag.ts';
import { readEdgeListCsv } from '../../gflownet/graph/edgeList.ts';
import { compareGraphs, consensusGraph } from '../../gflownet/metrics/consensus.ts';
import { jensenShannon } from '../../gflownet/metrics/jsd.ts';
import { edgeFrequencies, maxAbsDifference, meanEdgeCount, rmse } from '../../gflownet/metrics/marginals.ts';
import { edgeAuroc, edgeAveragePrecision } from '../../gflownet/metrics/roc.ts';
import { expectedShd } from '../../gflownet/metrics/shd.ts';
import { nodeNamesInSamples, readPosteriorSamplesFile, samplesToAdjacencies } from '../../gflownet/samples/format.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import type { ExactJson } from './exact.ts';

const flags = {
  samples: {
    type: 'string',
    required: true,
    valueName: 'FILE.jsonl',
    help: 'posterior samples, one {"edges": [["from","to"], …], "logScore": x} per line',
  },
  truth: { type: 'string', valueName: 'EDGES.csv', help: 'the true graph: a from,to CSV by node name' },
  exact: { type: 'string', valueName: 'EXACT.json', help: 'the output of dagflow exact --json for the same data and prior' },
  columns: {
    type: 'string',
    valueName: 'NAMES',
    help: 'comma-separated variable names in order (default: from --exact, else the names in the samples and the truth, in natural order)',
  },
  'include-diagonal': {
    type: 'boolean',
    help: 'AUROC/AP over all d² entries, diagonal included (the reference definition); default off-diagonal only',
  },
  threshold: { type: 'number', min: 0, max: 1, default: 0.5, help: 'consensus graph: edges with marginal above this' },
  json: { type: 'boolean', help: 'print one JSON object' },
} as const;

const summary = 'metrics of posterior samples against a true graph and/or the exact posterior';

export const command: CliCommand = {
  name: 'evaluate',
  summary,
  help: formatHelp(
    'dagflow evaluate --samples FILE.jsonl [--truth EDGES.csv] [--exact EXACT.json] [--columns NAMES] [--include-diagonal] [--threshold P] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const records = await readPosteriorSamplesFile(opts.samples);
    const exact = opts.exact === undefined ? undefined : await readExactJson(opts.exact);
    const columns = await resolveColumns(opts.columns, exact, records, opts.truth);
    const d = columns.length;
    const graphs = samplesToAdjacencies(records, columns, opts.samples);
    const marginals = edgeFrequencies(graphs, d);
    const out: Record<string, unknown> = {
      columns,
      samples: graphs.length,
      expectedEdges: meanEdgeCount(graphs),
      edgeMarginals: toMatrix(marginals, d),
    };
    if (opts.truth !== undefined) {
      const truth = adjacencyFromEdges(d, await readEdgeListCsv(opts.truth, columns));
      const ranking = { includeDiagonal: opts['include-diagonal'] };
      out.expectedShd = expectedShd(graphs, truth, d);
      out.expectedCpdagShd = expectedCpdagShd(graphs, truth, d);
      out.auroc = edgeAuroc(marginals, truth, d, ranking);
      out.averagePrecision = edgeAveragePrecision(marginals, truth, d, ranking);
      out.aurocIncludesDiagonal = opts['include-diagonal'];
      out.consensus = {
        threshold: opts.threshold,
        ...compareGraphs(consensusGraph(marginals, d, Math.min(opts.threshold, 0.999999)), truth, d),
      };
    }
    if (exact) {
      const exactMarginals = Float64Array.from(exact.edgeMarginals.flat());
      out.edgeMarginalRmse = rmse(marginals, exactMarginals, d);
      out.edgeMarginalMaxError = maxAbsDifference(marginals, exactMarginals, d);
      if (d <= MAX_CODE_NODES && exact.posterior) {
        const empirical = empiricalDistribution(
          d,
          graphs.map((g) => codeFromAdjacency(g, d)),
        );
        out.jsd = jensenShannon(empirical, { codes: exact.posterior.codes, logProb: exact.posterior.logPosterior });
      } else {
        io.stderr(
          `note: no JSD — it needs the full exact distribution, which dagflow exact gives by enumeration (≤ ${MAX_CODE_NODES} variables)`,
        );
      }
    }
    if (opts.json) {
      // JSON has no NaN (an AUROC with no true edges): null says "undefined" plainly.
      io.stdout(JSON.stringify(out, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
      return 0;
    }
    io.stdout(describe(out, columns));
    return 0;
  },
};

async function readExactJson(file: string): Promise<ExactJson> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DagflowError(
      'IO',
      code ? `cannot read the file: ${code}` : 'is not valid JSON',
      { file, flag: '--exact' },
      'give the output of dagflow exact --json',
    );
  }
  const x = parsed as Partial<ExactJson>;
  const d = Array.isArray(x.columns) ? x.columns.length : -1;
  const square =
    Array.isArray(x.edgeMarginals) &&
    x.edgeMarginals.length === d &&
    x.edgeMarginals.every((r) => Array.isArray(r) && r.length === d && r.every((p) => typeof p === 'number' && p >= 0 && p <= 1));
  if (d < 1 || !x.columns!.every((c) => typeof c === 'string') || !square) {
    throw new DagflowError(
      'BAD_OPTION',
      'does not look like the output of dagflow exact --json (needs "columns" and a square "edgeMarginals")',
      { file, flag: '--exact' },
    );
  }
  if (x.posterior !== undefined) {
    const ok =
      Array.isArray(x.posterior.codes) &&
      Array.isArray(x.posterior.logPosterior) &&
      x.posterior.codes.length === x.posterior.logPosterior.length;
    if (!ok)
      throw new DagflowError('BAD_OPTION', '"posterior" needs "codes" and "logPosterior" lists of the same length', {
        file,
        flag: '--exact',
      });
  }
  return x as ExactJson;
}

async function resolveColumns(
  given: string | undefined,
  exact: ExactJson | undefined,
  records: Parameters<typeof nodeNamesInSamples>[0],
  truthFile: string | undefined,
): Promise<string[]> {
  if (given !== undefined) {
    const names = given.split(',').map((s) => s.trim());
    if (names.some((n) => n === '') || new Set(names).size !== names.length)
      throw new DagflowError('BAD_OPTION', 'needs distinct, non-empty names', { flag: '--columns' });
    if (exact && exact.columns.join('\u0000') !== names.join('\u0000'))
      throw new DagflowError('BAD_OPTION', `differ from the columns of the exact posterior (${exact.columns.join(', ')})`, {
        flag: '--columns',
      });
    return names;
  }
  if (exact) return [...exact.columns];
  const names = nodeNamesInSamples(records);
  if (truthFile !== undefined) {
    // Names only; readEdgeListCsv does the full check afterwards.
    let fromCol = -1;
    let toCol = -1;
    const seen = new Set(names);
    await streamCsv(
      truthFile,
      (header) => {
        fromCol = header.findIndex((h) => h.trim().toLowerCase() === 'from');
        toCol = header.findIndex((h) => h.trim().toLowerCase() === 'to');
      },
      (fields) => {
        for (const k of [fromCol, toCol]) {
          const name = k >= 0 ? fields[k]?.trim() : undefined;
          if (name && !seen.has(name)) {
            seen.add(name);
            names.push(name);
          }
        }
      },
    ).catch((e: unknown) => {
      if (!(e instanceof DagflowError && e.code === 'HEADER_ONLY')) throw e;
    });
  }
  // Natural order (X2 before X10) reads better than order of first appearance.
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0)
    throw new DagflowError(
      'BAD_OPTION',
      'cannot tell the variables: every sample is the empty graph',
      { flag: '--columns' },
      'name them with --columns A,B,C or pass --exact',
    );
  return names;
}

function toMatrix(m: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(m.subarray(i * d, (i + 1) * d)));
}

function describe(out: Record<string, unknown>, columns: string[]): string {
  const num = (k: string, digits = 4): string => (typeof out[k] === 'number' ? (out[k] as number).toFixed(digits) : 'n/a');
  const lines = [`${out.samples} samples over ${columns.length} variables`, `expected number of edges: ${num('expectedEdges')}`];
  if ('expectedShd' in out) {
    const c = out.consensus as ReturnType<typeof compareGraphs> & { threshold: number };
    lines.push(
      `against the true graph: E-SHD ${num('expectedShd')} (between equivalence classes ${num('expectedCpdagShd')}), AUROC ${num('auroc')}, average precision ${num('averagePrecision')} (${out.aurocIncludesDiagonal ? 'diagonal included' : 'off-diagonal'})`,
      `consensus graph (P > ${c.threshold}): SHD ${c.shd}, precision ${c.precision.toFixed(3)}, recall ${c.recall.toFixed(3)}, F1 ${c.f1.toFixed(3)}`,
    );
  }
  if ('edgeMarginalRmse' in out) {
    lines.push(
      `against the exact posterior: edge-marginal RMSE ${num('edgeMarginalRmse', 5)}, largest error ${num('edgeMarginalMaxError', 5)}${'jsd' in out ? `, JSD ${num('jsd', 5)} nats` : ''}`,
    );
  }
  return lines.join('\n');
}
