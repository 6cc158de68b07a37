/**
 * `dagflow train`: train a DAG-GFlowNet on a data set, then draw samples from it. Writes
 * DIR/samples.jsonl, DIR/edge_marginals.csv, DIR/summary.json and DIR/checkpoint/ (and, for
 * at most five variables, compares the trained sampler with the exact posterior).
 */
import { describeCandidateSpace, type CandidateSpaceSummary } from '../../gflownet/mcmc/candidateCheck.ts';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { selectBackend, type BackendRequest } from '../../gflownet/backend/select.ts';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { writeEdgeMarginalsCsv, writePosteriorSamplesFile } from '../../gflownet/samples/format.ts';
import { loadCheckpoint } from '../../gflownet/train/checkpoint.ts';
import { loadSamplerProblem } from '../../gflownet/problem/load.ts';
import {
  DEFAULT_TRAIN_CONFIG,
  LARGE_PROBLEM_DEFAULTS,
  LAYERED_DEFAULTS,
  LAYERED_FROM,
  defaultSamplerFor,
  defaultTrainConfig,
  resolveTrainConfig,
  type SamplerSpace,
  type TrainConfig,
} from '../../gflownet/train/config.ts';
import { SUPERSET_MAX_D } from '../../gflownet/policy/shaping.ts';
import type { ObjectiveName } from '../../gflownet/train/objectives.ts';
import type { IntrinsicName } from '../../gflownet/train/intrinsic/intrinsicRewards.ts';
import { runJobInProcess } from '../../jobs/inProcess.ts';
import type { TrainJobProgress } from '../../jobs/kinds/train.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { knowledgeFlags } from '../knowledgeFlags.ts';
import { prepareOutputFolder } from '../outputFolder.ts';
import { dataFlags, problemSpecFromFlags } from '../dataFlags.ts';
import { recordRunProblem } from '../runProblem.ts';
import { sampleRecords, type CliCheckpointMeta } from './sample.ts';
import { DEFAULT_GFLOWNET_SAMPLES } from '../../shared/samplerDefaults.ts';

const D = DEFAULT_TRAIN_CONFIG;
const L = LARGE_PROBLEM_DEFAULTS;
const Y = LAYERED_DEFAULTS;

export const trainFlags = {
  ...dataFlags,
  ...knowledgeFlags,
  out: {
    type: 'string',
    required: true,
    valueName: 'DIR',
    help: 'folder for samples.jsonl, edge_marginals.csv, summary.json and checkpoint/ (created if missing)',
  },
  sampler: {
    type: 'enum',
    values: ['auto', 'layers', 'edges'],
    default: 'auto',
    help: `layers: the layered GFlowNet (builds a DAG's layers, then its parents; learns from partition- and order-MCMC teachers; importance-weighted estimates); edges: the edge-by-edge DAG-GFlowNet; auto: layers from ${LAYERED_FROM} variables on`,
  },
  'teacher-steps': {
    type: 'number',
    integer: true,
    min: 1,
    default: D.teacherSteps,
    help: 'layers: partition-MCMC moves of the teacher chain per training iteration',
  },
  'candidate-parents': {
    type: 'number',
    integer: true,
    min: 0,
    default: D.candidateParents,
    help: 'layers: candidate parents per variable, chosen by forward selection on the score (0 = automatic: every allowed parent when the parent-set tables fit, else the widest space that fits); edges outside the space get probability 0, and a short MCMC check reports how often the posterior leaves it',
  },
  objective: {
    type: 'enum',
    values: ['mdb', 'tb', 'subtb', 'fm'],
    default: D.objective,
    help: 'modified detailed balance (target network, Huber), trajectory balance (learned log Z), sub-trajectory balance (every segment of whole trajectories) or flow matching (in-flow from all parents = out-flow + reward)',
  },
  intrinsic: {
    type: 'enum',
    values: ['none', 'rnd'],
    default: D.intrinsic,
    help: 'edges: augmented flows (GAFlowNet) with a novelty reward from random network distillation, added to the terminal rewards and to every edge; none: off',
  },
  'intrinsic-weight': {
    type: 'number',
    min: 0,
    default: D.intrinsicWeight,
    help: 'rnd: weight β of the novelty reward, as a fraction of the best reward found so far',
  },
  'intrinsic-decay': {
    type: 'number',
    min: 0,
    max: 1,
    default: D.intrinsicDecay,
    help: 'rnd: the weight falls linearly to 0 over this fraction of the training budget (0: it stays)',
  },
  'subtb-lambda': {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    max: 1,
    default: D.subTbLambda,
    help: 'subtb: weight λ^k of a segment of k edges',
  },
  shaping: {
    type: 'enum',
    values: ['superset', 'delta', 'none'],
    default: D.shapingBaseline,
    help: 'baseline of the edge logits: superset (log-flow without the acyclicity constraint, up to 12 variables, else delta), delta (log R) or none',
  },
  iterations: {
    type: 'number',
    integer: true,
    min: 1,
    help: `training iterations (one acting step of every environment + one gradient step); default ${D.iterations}, or no bound when --time-limit is given`,
  },
  'time-limit': {
    type: 'number',
    min: 0,
    default: 0,
    help: 'stop training after this many seconds (0 = no limit); the exploration and learning-rate schedules follow whichever budget is nearer its end',
  },
  'batch-size': {
    type: 'number',
    integer: true,
    min: 1,
    help: `transitions (mdb), trajectories (tb, subtb) or teacher layerings (layers) per gradient step (default ${D.batchSize}; ${Y.batchSize} for layers)`,
  },
  lr: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    help: `initial Adam learning rate (default ${D.learningRate}; ${L.learningRate} beyond ${SUPERSET_MAX_D} variables; ${Y.learningRate} for layers)`,
  },
  'lr-end': {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    help: `final learning rate, geometric decay (default ${D.learningRateEnd}; ${L.learningRateEnd} beyond ${SUPERSET_MAX_D} variables; ${Y.learningRateEnd} for layers)`,
  },
  environments: { type: 'number', integer: true, min: 1, default: D.environments, help: 'parallel environments' },
  hidden: {
    type: 'number',
    integer: true,
    min: 1,
    help: `width of the node representations (default ${D.hidden}; ${Y.hidden} for layers)`,
  },
  'target-every': {
    type: 'number',
    integer: true,
    min: 1,
    default: D.targetUpdateEvery,
    help: 'mdb: copy the network to the target network every this many steps',
  },
  'epsilon-end': {
    type: 'number',
    min: 0,
    max: 1,
    help: `final ε of the ε-uniform exploration, which falls linearly over the first half of training from 1 (default end ${D.epsilonEnd}), or from ${L.epsilonStart} (end ${L.epsilonEnd}) beyond ${SUPERSET_MAX_D} variables`,
  },
  prefill: {
    type: 'number',
    integer: true,
    min: 0,
    default: D.prefillIterations,
    help: 'iterations of uniform-random play before learning',
  },
  'replay-capacity': {
    type: 'number',
    integer: true,
    min: 1,
    default: D.replayCapacity,
    help: 'mdb: transitions kept in the replay buffer',
  },
  seed: { type: 'number', integer: true, min: 0, default: 0, help: 'random seed: same seed and backend → identical samples' },
  samples: { type: 'number', integer: true, min: 1, default: DEFAULT_GFLOWNET_SAMPLES, help: 'DAGs to draw after training' },
  backend: { type: 'enum', values: ['auto', 'tensorflow', 'wasm', 'cpu'], default: 'auto', help: 'TensorFlow.js backend' },
  resume: { type: 'string', valueName: 'DIR', help: 'continue from a checkpoint directory (same data and options)' },
  json: { type: 'boolean', help: 'print summary.json on stdout' },
} as const;

const summary = 'train a DAG-GFlowNet and sample DAGs from it';

export interface TrainSummaryJson {
  columns: string[];
  backend: string;
  sampler: SamplerSpace;
  objective: string;
  /** Edge sampler: the augmented flows' intrinsic reward (none or rnd), its weight and decay fraction. */
  intrinsic?: { kind: string; weight: number; decay: number };
  iterations: number;
  seconds: number;
  stepsPerSecond: number;
  seed: number;
  finalLoss: number;
  samples: number;
  exact?: { jsd: number; edgeMarginalRmse: number };
  /** layers: the samples' importance weights (edge_marginals.csv holds the weighted estimates). */
  importance?: { effectiveSampleSize: number; logZ: number };
  /** Wall-clock seconds of the whole run. */
  wallSeconds?: number;
  /** layers: the candidate-parent space the run sampled in, and its MCMC check. */
  candidateParents?: CandidateSpaceSummary;
}

export const command: CliCommand = {
  name: 'train',
  summary,
  help: formatHelp(
    'dagflow train --data FILE [score, prior and knowledge flags as in dagflow exact] --out DIR [--objective mdb|tb|subtb|fm] [--intrinsic none|rnd [--intrinsic-weight X] [--intrinsic-decay F]] [--shaping superset|delta|none] [--iterations N] [--time-limit SEC] [--batch-size B] [--lr X] [--seed S] [--samples K] [--backend auto|tensorflow|wasm|cpu] [--json]',
    summary,
    trainFlags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, trainFlags);
    const problem = problemSpecFromFlags(opts);
    // Read here first: bad flags and bad data fail before the output folder exists.
    const { dataset } = await loadSamplerProblem(problem);
    const columns = [...dataset.columns];
    await selectBackend(opts.backend as BackendRequest);
    const resume = opts.resume ? loadCheckpoint<CliCheckpointMeta>(opts.resume) : undefined;
    if (resume && resume.state.d !== columns.length) {
      throw new DagflowError(
        'BAD_OPTION',
        `the checkpoint is for ${resume.state.d} variables, the data has ${columns.length}`,
        { flag: '--resume' },
        'resume with the same data and options',
      );
    }
    const sampler: SamplerSpace = opts.sampler === 'auto' ? defaultSamplerFor(columns.length) : (opts.sampler as SamplerSpace);
    const sized = defaultTrainConfig(columns.length, sampler);
    const learningRate = opts.lr ?? sized.learningRate;
    const overrides: Partial<TrainConfig> = {
      sampler,
      teacherSteps: opts['teacher-steps'],
      candidateParents: opts['candidate-parents'],
      objective: opts.objective as ObjectiveName,
      subTbLambda: opts['subtb-lambda'],
      intrinsic: opts.intrinsic as IntrinsicName,
      intrinsicWeight: opts['intrinsic-weight'],
      intrinsicDecay: opts['intrinsic-decay'],
      rewardShaping: opts.shaping !== 'none',
      shapingBaseline: opts.shaping === 'delta' ? 'delta' : 'superset',
      batchSize: opts['batch-size'],
      learningRate,
      learningRateEnd: Math.min(opts['lr-end'] ?? sized.learningRateEnd, learningRate),
      environments: opts.environments,
      hidden: opts.hidden,
      targetUpdateEvery: opts['target-every'],
      epsilonEnd: opts['epsilon-end'],
      prefillIterations: opts.prefill,
      replayCapacity: opts['replay-capacity'],
      seed: opts.seed,
    };
    // Checked here too, so that a bad value fails before the output folder exists.
    resolveTrainConfig({ ...overrides, iterations: opts.iterations, timeLimitSeconds: opts['time-limit'] }, columns.length);
    for (const w of dataset.report.warnings) io.stderr(`warning: ${w}`);
    const out = await prepareOutputFolder(opts.out);
    let lastLine = 0;
    // The budget as the job reads it: a time limit alone is the budget.
    const budget = { iterations: opts.iterations, timeLimitSeconds: opts['time-limit'], seed: opts.seed, samples: opts.samples };
    const { posterior, training } = await runJobInProcess(
      'train',
      {
        problem,
        sampler: budget,
        backend: opts.backend as BackendRequest,
        train: overrides,
        checkpointDir: path.join(out, 'checkpoint'),
        checkpointMeta: { ...cliCheckpointMeta(opts, columns) },
        resume: resume?.state,
      },
      {
        onLog: (m) => io.stderr(m),
        onProgress: (p: TrainJobProgress) => {
          if (p.phase === 'reading the data' || opts.json || Date.now() - lastLine < 2000) return;
          lastLine = Date.now();
          io.stderr(describeProgress(p));
        },
      },
    );
    const samples = posterior.samples!;
    const records = sampleRecords(
      { d: columns.length, adjacency: samples.adjacency, logReward: samples.logScores, count: samples.count },
      columns,
      samples.logWeights,
    );
    await writePosteriorSamplesFile(path.join(out, 'samples.jsonl'), records);
    await writeEdgeMarginalsCsv(path.join(out, 'edge_marginals.csv'), columns, posterior.edgeMarginals);
    const summaryJson: TrainSummaryJson = {
      columns,
      backend: training.backend,
      sampler: training.sampler,
      objective: training.sampler === 'layers' ? 'likelihood of teacher layerings' : training.objective,
      ...(training.sampler === 'layers' ? {} : { intrinsic: training.intrinsic }),
      iterations: training.iterations,
      seconds: round(training.seconds, 3),
      stepsPerSecond: round(training.stepsPerSecond, 2),
      seed: training.seed,
      finalLoss: training.finalLoss,
      samples: samples.count,
      ...(training.exact ? { exact: training.exact } : {}),
      ...(training.importance ? { importance: training.importance } : {}),
      ...(training.wallSeconds !== undefined ? { wallSeconds: round(training.wallSeconds, 3) } : {}),
      ...(training.candidateParents ? { candidateParents: training.candidateParents } : {}),
    };
    await writeFile(path.join(out, 'summary.json'), JSON.stringify(summaryJson, null, 2) + '\n');
    if (opts.json) io.stdout(JSON.stringify(summaryJson));
    else {
      const lines = [
        `trained ${summaryJson.iterations} iterations in ${summaryJson.seconds} s (${summaryJson.stepsPerSecond} it/s) on ${training.backendReason}`,
        `final loss ${summaryJson.finalLoss.toPrecision(4)}; ${summaryJson.samples} samples in ${path.join(out, 'samples.jsonl')}`,
      ];
      if (summaryJson.importance)
        lines.push(
          `importance weights: effective sample size ${summaryJson.importance.effectiveSampleSize.toFixed(0)} of ${summaryJson.samples} (edge_marginals.csv holds the weighted estimates)`,
        );
      if (summaryJson.candidateParents)
        lines.push(
          `search space: ${describeCandidateSpace(summaryJson.candidateParents)} — widen it with --candidate-parents K (more per variable)`,
        );
      if (summaryJson.exact)
        lines.push(
          `exact comparison: JSD ${summaryJson.exact.jsd.toExponential(3)}, edge-marginal RMSE ${summaryJson.exact.edgeMarginalRmse.toExponential(3)}`,
        );
      io.stdout(lines.join('\n'));
    }
    return 0;
  },
};

/** What the checkpoint records so that `dagflow sample` (and features/effects/hypothesis --run) can rebuild the problem from any folder. */
function cliCheckpointMeta(opts: Record<string, unknown>, columns: string[]): CliCheckpointMeta {
  return { kind: 'cli', columns, ...recordRunProblem(opts) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function describeProgress(p: Exclude<TrainJobProgress, { phase: 'reading the data' }>): string {
  switch (p.phase) {
    case 'training':
      return `iteration ${p.iteration}: loss ${Number.isFinite(p.lossAverage) ? p.lossAverage.toPrecision(3) : '–'}, ${p.stepsPerSecond.toFixed(0)} it/s, ε ${p.epsilon.toFixed(2)}, replay ${(100 * p.replayFill).toFixed(0)} %, ETA ${Number.isFinite(p.etaSeconds) ? p.etaSeconds.toFixed(0) + ' s' : '–'}`;
    case 'sampling':
      return `sampled ${p.sampled} of ${p.total}`;
    case 'evaluating':
      return `exact evaluation: ${p.statesEvaluated} of ${p.states} states`;
  }
}
