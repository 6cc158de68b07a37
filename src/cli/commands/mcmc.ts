/**
 * `dagflow mcmc`: structure MCMC (MC3), order MCMC or partition MCMC with several chains in
 * parallel worker threads. Writes DIR/samples.jsonl, DIR/edge_marginals.csv and
 * DIR/summary.json (with "diagnostics"), the same files as `dagflow train`; for at most five
 * variables the summary also compares the run with the exact posterior.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { empiricalDistribution } from '../../gflownet/exact/distribution.ts';
import { enumeratePosterior } from '../../gflownet/exact/posterior.ts';
import { MAX_CODE_NODES, codeFromEdges } from '../../gflownet/graph/dagCode.ts';
import { checkChainOptions, type ChainOptions, type ChainProgress } from '../../gflownet/mcmc/chains.ts';
import { describeChainSpace, summarizeChainSpace, type ChainSpaceSummary } from '../../gflownet/mcmc/candidateParents.ts';
import { combineChains } from '../../gflownet/mcmc/combine.ts';
import { RHAT_CAP } from '../../gflownet/mcmc/diagnostics.ts';
import { jensenShannon } from '../../gflownet/metrics/jsd.ts';
import { maxAbsDifference, rmse } from '../../gflownet/metrics/marginals.ts';
import { writeEdgeMarginalsCsv, writePosteriorSamplesFile } from '../../gflownet/samples/format.ts';
import { loadSamplerProblem } from '../../gflownet/problem/load.ts';
import { JobFailure, JobHost, runJob } from '../../jobs/host.ts';
import { errorOfJob } from '../../jobs/failure.ts';
import { runJobInProcess } from '../../jobs/inProcess.ts';
import type { McmcJobProgress, McmcJobResult } from '../../jobs/kinds/mcmc.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { knowledgeFlags } from '../knowledgeFlags.ts';
import { prepareOutputFolder } from '../outputFolder.ts';
import { dataFlags, problemSpecFromFlags } from '../dataFlags.ts';
import { recordRunProblem } from '../runProblem.ts';
import { DEFAULT_MCMC_CHAINS } from '../../shared/samplerDefaults.ts';

export const mcmcFlags = {
  ...dataFlags,
  ...knowledgeFlags,
  method: {
    type: 'enum',
    values: ['mc3', 'order', 'partition'],
    required: true,
    help: 'structure MCMC (MC3), order MCMC (biased toward DAGs that fit many orders) or partition MCMC (unbiased)',
  },
  iterations: {
    type: 'number',
    integer: true,
    min: 1,
    help: 'iterations per chain (required unless --time-limit is given; with both, the chains stop at whichever comes first)',
  },
  chains: {
    type: 'number',
    integer: true,
    min: 1,
    max: 64,
    default: DEFAULT_MCMC_CHAINS,
    help: 'independent chains, run in parallel worker threads',
  },
  'burn-in': { type: 'number', min: 0, max: 0.99, default: 0.2, help: 'fraction of each chain discarded at the start' },
  thin: {
    type: 'number',
    integer: true,
    min: 1,
    help: 'keep a DAG every T iterations (default: about 2500 kept per chain; order/partition at least every d)',
  },
  seed: { type: 'number', integer: true, min: 0, default: 0, help: 'random seed: same seed → same chains' },
  'time-limit': {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    help: 'stop the chains after this many seconds (all chains then run at once; the burn-in is that fraction of the iterations run)',
  },
  'new-edge-reversal': {
    type: 'number',
    min: 0,
    max: 1,
    default: 0,
    help: 'mc3: probability per iteration of a new-edge-reversal move (Grzegorczyk & Husmeier; 0.0667 is their choice; needs a small --max-parents)',
  },
  'table-max-parents': {
    type: 'number',
    integer: true,
    min: 0,
    help: 'order/partition: parent sets scored up to this size (default: --max-parents, in a candidate-parent space when every allowed set would exceed about 300,000 sets)',
  },
  'candidate-parents': {
    type: 'number',
    integer: true,
    min: 0,
    default: 0,
    help: 'order/partition: candidate parents per variable, chosen by forward selection on the score (0 = automatic: a space only when the parent-set tables would not fit); edges outside the space get probability 0',
  },
  out: {
    type: 'string',
    required: true,
    valueName: 'DIR',
    help: 'folder for samples.jsonl, edge_marginals.csv and summary.json (created if missing)',
  },
  workers: {
    type: 'boolean',
    negatable: true,
    default: true,
    help: 'run the chains in worker threads (--no-workers: one after another in this process)',
  },
  json: { type: 'boolean', help: 'print summary.json on stdout' },
} as const;

const summary = 'MCMC over DAGs (MC3, order or partition MCMC) with several chains and convergence diagnostics';

export const command: CliCommand = {
  name: 'mcmc',
  summary,
  help: formatHelp(
    'dagflow mcmc --data FILE [score, prior and knowledge flags as in dagflow exact, including --tiers FILE.csv] --method mc3|order|partition (--iterations N | --time-limit SEC) [--chains C] [--burn-in F] [--thin T] [--seed S] --out DIR [--json]',
    `${summary}. See docs/mcmc.md for the methods, the order-MCMC bias and how to read the diagnostics.`,
    mcmcFlags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, mcmcFlags);
    const method = opts.method as ChainOptions['method'];
    if (opts['new-edge-reversal'] > 0 && method !== 'mc3') {
      throw new DagflowError('BAD_OPTION', `applies to --method mc3 only, not ${method}`, { flag: '--new-edge-reversal' }, 'drop the flag');
    }
    if (opts['candidate-parents'] > 0 && method === 'mc3') {
      throw new DagflowError(
        'BAD_OPTION',
        'applies to --method order or partition only (MC3 needs no parent-set tables, so it moves in every allowed parent)',
        { flag: '--candidate-parents' },
        'drop the flag',
      );
    }
    if (opts['table-max-parents'] !== undefined && method === 'mc3') {
      throw new DagflowError(
        'BAD_OPTION',
        'applies to --method order or partition only (MC3 scores parent sets as it meets them)',
        { flag: '--table-max-parents' },
        'drop the flag',
      );
    }
    // A time limit alone is the budget: the chains run until it, however many iterations that is.
    if (opts.iterations === undefined && opts['time-limit'] === undefined) {
      throw new DagflowError(
        'BAD_OPTION',
        'is required without --time-limit',
        { flag: '--iterations' },
        'give --iterations N, --time-limit SEC, or both',
      );
    }
    const chainBase: Omit<ChainOptions, 'chain'> = {
      method,
      iterations: opts.iterations ?? Number.MAX_SAFE_INTEGER,
      burnIn: opts['burn-in'],
      thin: opts.thin,
      seed: opts.seed,
      timeLimitSeconds: opts['time-limit'],
      newEdgeReversalProbability: opts['new-edge-reversal'],
      tableMaxParents: opts['table-max-parents'],
      candidateParents: opts['candidate-parents'],
    };
    checkChainOptions(chainBase);

    // Load here too: bad flags and bad data fail before any thread starts or the output folder
    // exists, and d ≤ 5 gets the exact answer.
    const problem = problemSpecFromFlags(opts);
    const { dataset, scoreOptions, prior, knowledge, reward } = await loadSamplerProblem(problem);
    const columns = [...dataset.columns];
    const d = columns.length;
    for (const w of dataset.report.warnings) io.stderr(`warning: ${w}`);
    const out = await prepareOutputFolder(opts.out);

    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    const progress = new ProgressLine(opts.chains, opts.iterations, opts.json ? () => {} : io.stderr);
    const started = performance.now();
    let results: McmcJobResult[];
    try {
      const chain = (c: number) => ({ problem, chain: { ...chainBase, chain: c } });
      const options = { signal: abort.signal, onProgress: (p: McmcJobProgress) => progress.update(p), onLog: (m: string) => io.stderr(m) };
      if (opts.workers) {
        // With a time limit every chain runs at once, so the run ends when the limit says (the
        // chains share the cores); otherwise one thread per core and the rest wait.
        const host = new JobHost({
          maxConcurrent: opts['time-limit'] !== undefined ? opts.chains : Math.min(opts.chains, availableParallelism()),
        });
        try {
          results = await Promise.all(
            Array.from({ length: opts.chains }, (_, c) => runJob('mcmc', chain(c), { ...options, host }).catch((e: unknown) => rethrow(e))),
          );
        } finally {
          await host.shutdown();
        }
      } else {
        results = [];
        for (let c = 0; c < opts.chains; c++) results.push(await runJobInProcess('mcmc', chain(c), options));
      }
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    const seconds = (performance.now() - started) / 1000;

    const combined = combineChains(results, columns);
    const records = [];
    const codes: number[] = [];
    for (const s of combined.samples()) {
      records.push({ edges: s.edges.map(([i, j]) => [columns[i]!, columns[j]!] as [string, string]), logScore: s.logScore });
      if (d <= MAX_CODE_NODES) codes.push(codeFromEdges(s.edges, d));
    }
    await writePosteriorSamplesFile(path.join(out, 'samples.jsonl'), records);
    await writeEdgeMarginalsCsv(path.join(out, 'edge_marginals.csv'), columns, combined.edgeMarginals);

    let exact: McmcSummaryJson['exact'];
    if (d <= MAX_CODE_NODES) {
      const posterior = await enumeratePosterior(reward, knowledge);
      exact = {
        method: 'enumeration',
        edgeMarginalMaxError: maxAbsDifference(combined.edgeMarginals, posterior.edgeMarginals, d),
        edgeMarginalRmse: rmse(combined.edgeMarginals, posterior.edgeMarginals, d),
        jsd: codes.length > 0 ? jensenShannon(empiricalDistribution(d, codes), posterior.distribution) : null,
      };
    }
    const iterationsRun = results.map((r) => r.iterationsRun);
    const diag = combined.diagnostics;
    const summaryJson: McmcSummaryJson = {
      columns,
      method,
      score: scoreOptions.score,
      prior,
      maxParents: knowledge.maxParents,
      chains: opts.chains,
      iterations: opts.iterations ?? null,
      iterationsRun,
      stoppedBy: results.map((r) => r.stoppedBy),
      burnIn: opts['burn-in'],
      burnInIterations: results.map((r) => r.burnInIterations),
      thin: results[0]!.thin,
      seed: opts.seed,
      seconds: round(seconds, 3),
      iterationsPerSecond: round(iterationsRun.reduce((s, n) => s + n, 0) / seconds, 1),
      samples: combined.sampleCount,
      ...(results[0]!.tableMaxParents !== undefined
        ? { tableMaxParents: results[0]!.tableMaxParents, tableEntries: results[0]!.tableEntries }
        : {}),
      ...(results[0]!.candidateSpace ? { candidateSpace: summarizeChainSpace(results[0]!.candidateSpace, columns) } : {}),
      ...(method === 'mc3' ? { newEdgeReversal: opts['new-edge-reversal'] } : {}),
      diagnostics: diag,
      traces: results.map((r) => ({ chain: r.chain, iteration: Array.from(r.trace.iteration), logScore: Array.from(r.trace.logScore) })),
      ...(exact ? { exact } : {}),
      problem: recordRunProblem(opts),
    };
    const text = JSON.stringify(summaryJson, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
    await writeFile(path.join(out, 'summary.json'), JSON.stringify(JSON.parse(text), null, 2) + '\n');
    if (opts.json) io.stdout(text);
    else io.stdout(describe(summaryJson, out));
    return 0;
  },
};

export interface McmcSummaryJson {
  columns: string[];
  method: ChainOptions['method'];
  score: string;
  prior: { kind: string; edgesPerNode?: number; beta?: number };
  maxParents: number;
  chains: number;
  /** Iterations per chain asked for; null when a time limit alone was the budget. */
  iterations: number | null;
  iterationsRun: number[];
  stoppedBy: string[];
  burnIn: number;
  burnInIterations: number[];
  thin: number;
  seed: number;
  seconds: number;
  iterationsPerSecond: number;
  samples: number;
  tableMaxParents?: number;
  tableEntries?: number;
  /** Order/partition in a candidate-parent space: the space, by column name. */
  candidateSpace?: ChainSpaceSummary;
  newEdgeReversal?: number;
  diagnostics: ReturnType<typeof combineChains>['diagnostics'];
  traces: Array<{ chain: number; iteration: number[]; logScore: number[] }>;
  exact?: { method: 'enumeration'; edgeMarginalMaxError: number; edgeMarginalRmse: number; jsd: number | null };
  /** The data, score and knowledge flags (absolute paths), so `dagflow features|effects|hypothesis --run` can rebuild the problem. */
  problem: ReturnType<typeof recordRunProblem>;
}

/** A job's failure as the error the chain threw (location and hint kept apart, so nothing is said twice). */
function rethrow(e: unknown): never {
  if (e instanceof JobFailure) throw errorOfJob(e.info);
  throw e;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** One stderr line every two seconds with the progress of all chains together. */
class ProgressLine {
  private readonly iteration: number[];
  private readonly rate: number[];
  private last = 0;
  constructor(
    chains: number,
    /** Per chain; undefined when a time limit alone is the budget. */
    private readonly iterations: number | undefined,
    private readonly write: (line: string) => void,
  ) {
    this.iteration = new Array<number>(chains).fill(0);
    this.rate = new Array<number>(chains).fill(0);
  }

  update(p: McmcJobProgress | ChainProgress): void {
    if (!('iteration' in p)) return;
    this.iteration[p.chain] = p.iteration;
    this.rate[p.chain] = p.iterationsPerSecond;
    const now = Date.now();
    if (now - this.last < 2000) return;
    this.last = now;
    const done = this.iteration.reduce((s, n) => s + n, 0);
    const total = this.iterations === undefined ? undefined : this.iterations * this.iteration.length;
    const rate = this.rate.reduce((s, n) => s + n, 0);
    const count =
      total === undefined
        ? `${done.toLocaleString('en')} iterations`
        : `${done.toLocaleString('en')} of ${total.toLocaleString('en')} iterations (${((100 * done) / total).toFixed(0)} %)`;
    this.write(
      `${count}, ${rate.toFixed(0)} it/s over ${this.iteration.length} chains, log score ${p.logScore.toFixed(2)} (chain ${p.chain + 1}), acceptance ${p.acceptanceRate.toFixed(3)}`,
    );
  }
}

function describe(s: McmcSummaryJson, out: string): string {
  const names: Record<string, string> = { mc3: 'structure MCMC (MC3)', order: 'order MCMC', partition: 'partition MCMC' };
  const diag = s.diagnostics;
  const lines = [
    `${names[s.method]}: ${s.chains} chain${s.chains === 1 ? '' : 's'} × ${s.iterationsRun.map((n) => n.toLocaleString('en')).join(' / ')} iterations in ${s.seconds} s (${s.iterationsPerSecond.toLocaleString('en')} it/s in all)`,
    `${s.samples} DAGs kept (burn-in ${s.burnIn}, every ${s.thin}) in ${path.join(out, 'samples.jsonl')}`,
    `acceptance ${diag.acceptanceRate.toFixed(3)} (${Object.entries(diag.acceptanceByMove)
      .map(([m, a]) => `${m} ${a.rate.toFixed(3)}`)
      .join(', ')})`,
    `R-hat max ${diag.rhatMax === null ? '–' : diag.rhatMax >= RHAT_CAP ? '≥ 10⁶ (chains stuck apart)' : diag.rhatMax.toFixed(3)}, largest edge-probability difference between chains ${diag.chainEdgeMarginalMaxDiff.toFixed(3)}`,
  ];
  if (s.tableMaxParents !== undefined && s.tableMaxParents < s.maxParents) {
    lines.push(
      `note: parent sets were scored up to ${s.tableMaxParents} parents (${s.tableEntries?.toLocaleString('en')} sets); the posterior is over DAGs within that bound`,
    );
  }
  if (s.candidateSpace)
    lines.push(
      `search space: ${describeChainSpace(s.candidateSpace)} — widen it with --candidate-parents K, or check it with --method mc3, which needs no tables`,
    );
  if (s.method === 'order')
    lines.push(
      'note: order MCMC favours DAGs compatible with many node orders; use --method partition for the unbiased posterior (docs/mcmc.md)',
    );
  if (s.exact)
    lines.push(
      `exact comparison: largest edge-marginal error ${s.exact.edgeMarginalMaxError.toFixed(4)}, RMSE ${s.exact.edgeMarginalRmse.toFixed(4)}${s.exact.jsd === null ? '' : `, JSD ${s.exact.jsd.toExponential(2)}`}`,
    );
  lines.push(diag.warning ? `WARNING: ${diag.warning}` : 'the chains agree (no convergence warning)');
  return lines.join('\n');
}
