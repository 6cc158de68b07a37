/**
 * `dagflow sample --checkpoint DIR/checkpoint --samples K --out FILE.jsonl`: draw DAGs from a
 * trained GFlowNet, with their log scores, rebuilding the reward from the options stored in
 * the checkpoint.
 */
import * as path from 'node:path';
import { selectBackend, type BackendRequest } from '../../gflownet/backend/select.ts';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { buildConstraints } from '../../gflownet/env/constraints.ts';
import { paramLayout } from '../../gflownet/policy/network.ts';
import { sampleDags, type SampledDags } from '../../gflownet/sampling/sampler.ts';
import { createRewardModel } from '../../gflownet/scores/reward.ts';
import { writePosteriorSamplesFile } from '../../gflownet/samples/format.ts';
import { isLayerState, loadCheckpoint } from '../../gflownet/train/checkpoint.ts';
import { layerLayout } from '../../gflownet/layerflow/layerNetwork.ts';
import { layerProblemFor } from '../../gflownet/layerflow/layerProblem.ts';
import { sampleLayered } from '../../gflownet/layerflow/layerSampler.ts';
import { variableFrom } from '../../gflownet/train/adam.ts';
import type { PosteriorSampleRecord } from '../../gflownet/core/types.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { refuseOwnInput } from '../ownInputs.ts';
import { loadKnowledge, type KnowledgeFlagValues } from '../knowledgeFlags.ts';
import { loadScoringProblem, type DataFlagValues } from '../dataFlags.ts';

/** What `dagflow train` stores in its checkpoint to rebuild the problem. */
export interface CliCheckpointMeta {
  kind: 'cli';
  columns: string[];
  /** The data and score flags, with the data path made absolute. */
  data: Record<string, unknown>;
  knowledge: Record<string, unknown>;
  backend?: string;
}

const flags = {
  checkpoint: { type: 'string', required: true, valueName: 'DIR', help: 'checkpoint directory written by dagflow train (OUT/checkpoint)' },
  samples: { type: 'number', integer: true, min: 1, default: 1000, help: 'DAGs to draw' },
  out: {
    type: 'string',
    required: true,
    valueName: 'FILE.jsonl',
    help: 'sample file to write (JSON Lines: {"edges": [[from, to], …], "logScore": …})',
  },
  seed: { type: 'number', integer: true, min: 0, default: 1, help: 'random seed of the sampler' },
  backend: { type: 'enum', values: ['auto', 'tensorflow', 'wasm', 'cpu'], default: 'auto', help: 'TensorFlow.js backend' },
  json: { type: 'boolean', help: 'print {out, samples, backend, columns, seconds}' },
} as const;

const summary = 'draw DAGs from a trained GFlowNet checkpoint';

/** One record per sample; `logWeights` (the layered sampler's importance weights) go with them. */
export function sampleRecords(samples: SampledDags, columns: readonly string[], logWeights?: ArrayLike<number>): PosteriorSampleRecord[] {
  const d = samples.d;
  const records: PosteriorSampleRecord[] = [];
  for (let k = 0; k < samples.count; k++) {
    const edges: Array<[string, string]> = [];
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) if (samples.adjacency[k * d * d + i * d + j]) edges.push([columns[i]!, columns[j]!]);
    records.push({ edges, logScore: samples.logReward[k]!, ...(logWeights ? { logWeight: logWeights[k]! } : {}) });
  }
  return records;
}

export const command: CliCommand = {
  name: 'sample',
  summary,
  help: formatHelp('dagflow sample --checkpoint DIR --samples K --out FILE.jsonl [--seed S] [--backend B] [--json]', summary, flags),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    // The samples must not land on the checkpoint they are drawn from.
    await refuseOwnInput(opts.out, '--out', [{ path: opts.checkpoint, flag: '--checkpoint', folder: true }]);
    const started = performance.now();
    const checkpoint = loadCheckpoint<CliCheckpointMeta>(opts.checkpoint);
    const meta = checkpoint.meta;
    if (meta?.kind !== 'cli') {
      throw new DagflowError(
        'BAD_OPTION',
        'this checkpoint was not written by dagflow train',
        { flag: '--checkpoint' },
        'open it in the app, or train with dagflow train',
      );
    }
    const { dataset, model } = await loadScoringProblem(meta.data as unknown as DataFlagValues).catch((e: unknown) => {
      if (e instanceof DagflowError && e.code === 'IO')
        e.message += ` (the data file the checkpoint was trained on: ${String(meta.data.data)})`;
      throw e;
    });
    const columns = [...dataset.columns];
    if (columns.join('\u0000') !== meta.columns.join('\u0000')) {
      throw new DagflowError(
        'BAD_OPTION',
        `the data file now has columns ${columns.join(', ')}, but the checkpoint was trained on ${meta.columns.join(', ')}`,
        { flag: '--checkpoint' },
      );
    }
    const { priorTable, knowledge, edgeLogPrior } = await loadKnowledge(meta.knowledge as unknown as KnowledgeFlagValues, columns);
    const backend = await selectBackend(opts.backend as BackendRequest);
    const state = checkpoint.state;
    const reward = createRewardModel(model, priorTable, edgeLogPrior);
    const constraints = buildConstraints(state.d, knowledge);
    const out = path.resolve(opts.out);
    if (isLayerState(state)) {
      const layout = layerLayout({ d: state.d, hidden: state.config.hidden });
      const theta = variableFrom(state.theta, false);
      try {
        const drawn = await sampleLayered(
          theta,
          layout,
          layerProblemFor(reward, constraints, state.config.candidateParents ?? 0).problem,
          opts.samples,
          { seed: opts.seed },
        );
        const samples: SampledDags = { d: drawn.d, count: drawn.count, adjacency: drawn.adjacency, logReward: drawn.logReward };
        await writePosteriorSamplesFile(out, sampleRecords(samples, columns, drawn.logWeight));
        const ess = drawn.effectiveSampleSize;
        const result = {
          out,
          samples: samples.count,
          backend: backend.backend,
          columns,
          seconds: Math.round(performance.now() - started) / 1000,
          effectiveSampleSize: ess,
        };
        io.stdout(
          opts.json
            ? JSON.stringify(result)
            : `${samples.count} samples written to ${out} (backend ${backend.backend}); their importance weights have an effective sample size of ${ess.toFixed(0)}`,
        );
      } finally {
        theta.dispose();
      }
      return 0;
    }
    const layout = paramLayout({ d: state.d, hidden: state.config.hidden });
    const theta = variableFrom(state.theta, false);
    try {
      const samples = await sampleDags(theta, layout, constraints, reward, opts.samples, { seed: opts.seed, shaping: state.config });
      await writePosteriorSamplesFile(out, sampleRecords(samples, columns));
      const result = {
        out,
        samples: samples.count,
        backend: backend.backend,
        columns,
        seconds: Math.round(performance.now() - started) / 1000,
      };
      io.stdout(opts.json ? JSON.stringify(result) : `${samples.count} samples written to ${out} (backend ${backend.backend})`);
    } finally {
      theta.dispose();
    }
    return 0;
  },
};
