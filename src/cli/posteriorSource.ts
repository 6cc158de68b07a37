/**
 * Where `dagflow features|effects|hypothesis` get their posterior over DAGs:
 *
 * - `--run DIR`: the samples of a `dagflow train` (independent GFlowNet draws) or
 *   `dagflow mcmc` run (chains, told apart by summary.json's diagnostics), with the data, score
 *   and prior read from the folder (runProblem.ts);
 * - `--data FILE [score flags] --exact`: the exact posterior by enumeration (≤ 5 variables).
 *
 * `--forbid/--require/--tiers/--max-parents` are what-ifs: the posterior is conditioned on them
 * (causal/weightedDags.ts), which is exact for the exact posterior and, for samples, leaves
 * fewer effective samples; below --min-ess the command refuses and says to rerun.
 */
import { DagflowError } from '../gflownet/core/errors.ts';
import type { PriorKnowledge } from '../gflownet/core/types.ts';
import { readEdgeBeliefsCsv } from '../gflownet/causal/beliefCsv.ts';
import { reweightByBeliefs, type EdgeBelief } from '../gflownet/causal/edgeBeliefs.ts';
import { conditionOnKnowledge, fromDistribution, type WeightedDags } from '../gflownet/causal/weightedDags.ts';
import { MAX_ENUMERATION_NODES } from '../gflownet/exact/enumerate.ts';
import { enumeratePosterior } from '../gflownet/exact/posterior.ts';
import { loadRunDirectory } from '../gflownet/export/runDirectory.ts';
import { runPosterior } from '../gflownet/causal/runPosterior.ts';
import { createRewardModel, type RewardModel } from '../gflownet/scores/reward.ts';
import type { ParsedFlags } from './flags.ts';
import { knowledgeFlags, loadKnowledge, type KnowledgeFlagValues, type LoadedKnowledge } from './knowledgeFlags.ts';
import { dataFlags, loadScoringProblem, type DataFlagValues, type ScoringProblem } from './dataFlags.ts';
import { readRunProblem } from './runProblem.ts';
import { maskedDraws } from './maskedWhatIf.ts';

export const sourceFlags = {
  run: {
    type: 'string',
    valueName: 'DIR',
    help: 'a run folder written by dagflow train or dagflow mcmc (its data, score and prior are read from it)',
  },
  exact: { type: 'boolean', help: `use the exact posterior of --data by enumeration (at most ${MAX_ENUMERATION_NODES} variables)` },
  ...dataFlags,
  data: { ...dataFlags.data, required: false },
  prior: knowledgeFlags.prior,
  'edges-per-node': knowledgeFlags['edges-per-node'],
  beta: knowledgeFlags.beta,
  'edge-beliefs': {
    ...knowledgeFlags['edge-beliefs'],
    help: 'soft edge beliefs that were part of the prior (with --exact: the exact posterior under them; a run folder records its own)',
  },
  'max-parents': { ...knowledgeFlags['max-parents'], help: 'what-if: keep only DAGs with at most this many parents per node' },
  forbid: { ...knowledgeFlags.forbid, help: 'what-if: keep only DAGs without these edges (from,to CSV by column name)' },
  require: { ...knowledgeFlags.require, help: 'what-if: keep only DAGs with these edges (from,to CSV by column name)' },
  tiers: { ...knowledgeFlags.tiers, help: 'what-if: keep only DAGs with no edge from a later tier to an earlier one (node,tier CSV)' },
  'edge-belief': {
    type: 'string',
    valueName: 'FILE.csv',
    help: 'what-if: soft prior beliefs per edge (from,to,probability); the posterior is re-weighted as if they had been part of the prior',
  },
  'min-ess': { type: 'number', min: 1, default: 100, help: 'what-if on samples: refuse when fewer effective samples than this are left' },
  'masked-samples': {
    type: 'number',
    integer: true,
    min: 10,
    valueName: 'N',
    help: 'what-if on a GFlowNet run: draw N new DAGs from its trained policy with the ruled-out edges masked (importance-weighted) instead of keeping the samples that satisfy the constraints',
  },
  'masked-seed': { type: 'number', integer: true, min: 0, default: 1, help: 'seed of the --masked-samples draws' },
} as const;

export type SourceFlagValues = ParsedFlags<typeof sourceFlags>;

export interface LoadedProblem extends ScoringProblem, LoadedKnowledge {
  reward: RewardModel;
}

export interface WhatIf {
  /** Whether forbidden/required edges, tiers or a parent bound were added. */
  constraints: boolean;
  /** Posterior probability (exact) or share of the samples that satisfy the added constraints (1 without constraints). */
  keptMass: number;
  keptDags: number;
  effectiveSampleSize: number;
  /** With --edge-belief: Z'/Z, the evidence for the beliefs relative to neutral ones (> 1: the data favour them). */
  beliefEvidenceRatio?: number;
  /** How the what-if was answered: by keeping the samples that satisfy it, or by new masked draws from the trained GFlowNet. */
  method?: 'conditioning' | 'masked-sampling';
}

export interface PosteriorSource {
  columns: string[];
  posterior: WeightedDags;
  /** One line saying where the posterior came from. */
  label: string;
  /** The sampler's own warning (MCMC chains that have not converged): the answers inherit it. */
  warning?: string;
  kind: 'exact' | 'gflownet' | 'mcmc';
  whatIf: WhatIf | null;
  /** log R(G) of every DAG of `posterior` (prior included). */
  logRewards: Float64Array;
  /** Exact only: log Z of the posterior after any what-if. */
  logZ: number | null;
  /** The knowledge the posterior obeys (the run's own, plus any what-if). */
  knowledge: Partial<PriorKnowledge>;
  /** Data set, score, prior and reward; loaded on demand (features need none of it). */
  problem(): Promise<LoadedProblem>;
}

const DATA_KEYS = Object.keys(dataFlags);
const PRIOR_KEYS = ['prior', 'edges-per-node', 'beta', 'edge-beliefs'];
const WHAT_IF_KEYS = ['forbid', 'require', 'tiers', 'max-parents'] as const;

/** Flags the user typed (as opposed to defaults), from the raw argument list. */
function givenFlags(argv: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const token of argv) {
    if (!token.startsWith('--')) continue;
    const name = token.slice(2).split('=')[0]!;
    out.add(name.startsWith('no-') ? name.slice(3) : name);
  }
  return out;
}

export async function loadPosteriorSource(opts: SourceFlagValues, argv: readonly string[]): Promise<PosteriorSource> {
  const given = givenFlags(argv);
  if (opts.run !== undefined && opts.exact)
    throw new DagflowError(
      'BAD_OPTION',
      'cannot be combined with --run',
      { flag: '--exact' },
      'use --run DIR for a sampled run, or --data FILE --exact for the exact posterior',
    );
  if (opts.run === undefined && !opts.exact)
    throw new DagflowError(
      'BAD_OPTION',
      'say which posterior to read',
      { flag: '--run' },
      'give --run DIR (a dagflow train or mcmc folder), or --data FILE --exact',
    );
  const whatIfGiven = WHAT_IF_KEYS.some((k) => given.has(k));
  return opts.exact ? exactSource(opts, whatIfGiven) : runSource(opts, given, whatIfGiven);
}

async function exactSource(opts: SourceFlagValues, whatIfGiven: boolean): Promise<PosteriorSource> {
  if (opts.data === undefined) throw new DagflowError('BAD_OPTION', 'is required with --exact', { flag: '--data' });
  const scoring = await loadScoringProblem(opts as DataFlagValues);
  const columns = [...scoring.dataset.columns];
  const d = columns.length;
  if (d > MAX_ENUMERATION_NODES) {
    throw new DagflowError(
      'TOO_LARGE',
      `the exact posterior over whole DAGs is enumerated for at most ${MAX_ENUMERATION_NODES} variables; the data has ${d}`,
      { flag: '--exact', file: opts.data },
      'sample it with dagflow mcmc or dagflow train and pass --run DIR, or --exclude columns',
    );
  }
  if (d < 2) throw new DagflowError('TOO_FEW_COLUMNS', `the data has ${d} variable; a DAG needs at least 2`, { file: opts.data });
  const loaded = await loadKnowledge(opts as KnowledgeFlagValues, columns);
  const beliefs = await readBeliefs(opts, columns);
  const reward = createRewardModel(scoring.model, loaded.priorTable, loaded.edgeLogPrior);
  // Enumerate without the what-if, then condition: the same posterior (P(G | D, C) ∝ R(G)·1[G ∈ C])
  // and, on the way, P(C | D), the posterior probability of the constraint itself.
  const full = await enumeratePosterior(reward);
  let posterior = fromDistribution(full.distribution);
  let whatIf: WhatIf | null = null;
  let logZ = full.logZ;
  if (whatIfGiven) {
    const c = conditionOnKnowledge(posterior, loaded.knowledge);
    if (c.keptDags === 0 || !(c.keptMass > 0))
      throw new DagflowError('BAD_GRAPH', 'no DAG satisfies the what-if constraints', { flag: '--require' });
    posterior = c.posterior;
    whatIf = { constraints: true, keptMass: c.keptMass, keptDags: c.keptDags, effectiveSampleSize: c.effectiveSampleSize };
    logZ += Math.log(c.keptMass);
  }
  if (beliefs) {
    // Exact re-weighting: only the prior changes. log Z is then that of another prior, so the
    // hypothesis command refuses beliefs rather than mix the two.
    const r = reweightByBeliefs(posterior, beliefs);
    posterior = r.posterior;
    whatIf = {
      constraints: whatIf !== null,
      keptMass: whatIf?.keptMass ?? 1,
      keptDags: whatIf?.keptDags ?? full.numDags,
      effectiveSampleSize: r.effectiveSampleSize,
      beliefEvidenceRatio: r.keptMass,
    };
  }
  return {
    columns,
    posterior,
    label: `exact posterior by enumeration of ${full.numDags} DAGs (${scoring.scoreOptions.score}, ${loaded.prior.kind} prior)`,
    kind: 'exact',
    whatIf,
    logRewards: full.logJoint,
    logZ,
    knowledge: whatIfGiven ? loaded.knowledge : {},
    problem: async () => ({ ...scoring, ...loaded, reward }),
  };
}

async function runSource(opts: SourceFlagValues, given: Set<string>, whatIfGiven: boolean): Promise<PosteriorSource> {
  const dir = opts.run!;
  const run = await loadRunDirectory(dir);
  const fromRun = runPosterior(run, 'this command');
  const columns = run.columns;
  let posterior = fromRun.posterior;
  let logRewards = fromRun.logRewards;

  const recorded = await readRunProblem(dir, run.summary);
  const dataGiven = DATA_KEYS.filter((k) => given.has(k));
  if (recorded && dataGiven.length > 0) {
    throw new DagflowError(
      'BAD_OPTION',
      `the run folder records its data and score (${recorded.data.data}); --run reads them from there`,
      { flag: `--${dataGiven[0]}` },
      'drop the flag',
    );
  }
  const priorGiven = PRIOR_KEYS.filter((k) => given.has(k));
  if (recorded && priorGiven.length > 0) {
    throw new DagflowError(
      'BAD_OPTION',
      'the run folder records its structure prior; --run reads it from there',
      { flag: `--${priorGiven[0]}` },
      'drop the flag',
    );
  }
  const beliefs = await readBeliefs(opts, columns);
  const whatIfKnowledge = whatIfGiven
    ? (await loadKnowledge({ ...(opts as KnowledgeFlagValues), prior: 'uniform', 'edges-per-node': undefined, beta: undefined }, columns))
        .knowledge
    : null;
  let whatIf: WhatIf | null = null;
  const masked = opts['masked-samples'];
  if ((whatIfKnowledge || beliefs) && masked === undefined) {
    const conditioned = whatIfKnowledge ? conditionOnKnowledge(posterior, whatIfKnowledge) : null;
    const reweighted = beliefs ? reweightByBeliefs(conditioned?.posterior ?? posterior, beliefs) : null;
    const c = reweighted ?? conditioned!;
    whatIf = {
      constraints: conditioned !== null,
      keptMass: conditioned?.keptMass ?? 1,
      keptDags: conditioned?.keptDags ?? posterior.count,
      effectiveSampleSize: c.effectiveSampleSize,
      ...(reweighted ? { beliefEvidenceRatio: reweighted.keptMass } : {}),
    };
    if (c.effectiveSampleSize < opts['min-ess']) {
      throw new DagflowError(
        'BAD_OPTION',
        `too few samples left: rerun. ${whatIf.keptDags} of ${posterior.count} samples satisfy the what-if constraints and the effective sample size is ${c.effectiveSampleSize.toFixed(1)} < --min-ess ${opts['min-ess']}`,
        { flag: '--min-ess' },
        'rerun the sampler with the constraints as prior knowledge (dagflow train or dagflow mcmc with --forbid/--require/--tiers), or lower --min-ess to accept a noisier answer',
      );
    }
    posterior = c.posterior;
  }

  let cached: Promise<LoadedProblem> | null = null;
  const problem = (): Promise<LoadedProblem> =>
    (cached ??= (async () => {
      const dataOpts = recorded ? recorded.data : dataGiven.length > 0 ? (opts as DataFlagValues) : null;
      if (!dataOpts || dataOpts.data === undefined) {
        throw new DagflowError(
          'BAD_OPTION',
          `${dir} does not record the data it was run on`,
          { flag: '--data' },
          'give --data FILE and the score flags the run used',
        );
      }
      const scoring = await loadScoringProblem(dataOpts);
      if (scoring.dataset.columns.join('\u0000') !== columns.join('\u0000')) {
        throw new DagflowError(
          'BAD_OPTION',
          `the data now has columns ${scoring.dataset.columns.join(', ')}, but the run has ${columns.join(', ')}`,
          { file: dataOpts.data, flag: '--run' },
        );
      }
      const knowledgeOpts = recorded ? recorded.knowledge : (opts as KnowledgeFlagValues);
      const loaded = await loadKnowledge(
        recorded ? knowledgeOpts : { ...knowledgeOpts, forbid: undefined, require: undefined, tiers: undefined, 'max-parents': undefined },
        columns,
      );
      return { ...scoring, ...loaded, reward: createRewardModel(scoring.model, loaded.priorTable, loaded.edgeLogPrior) };
    })());

  const runKnowledge = recorded ? await problemKnowledge(recorded, columns) : {};
  const kind = fromRun.sampler;
  let label =
    kind === 'mcmc'
      ? `${posterior.count} DAGs from ${fromRun.chains} MCMC chains in ${dir}`
      : `${posterior.count} GFlowNet samples${fromRun.importanceWeighted ? ' (importance-weighted)' : ''} in ${dir}`;
  if (masked !== undefined) {
    if (!whatIfKnowledge)
      throw new DagflowError(
        'BAD_OPTION',
        'needs a what-if to mask',
        { flag: '--masked-samples' },
        'add --forbid, --require, --tiers or --max-parents',
      );
    if (kind !== 'gflownet')
      throw new DagflowError(
        'BAD_OPTION',
        'needs a GFlowNet run (its trained policy draws the new DAGs); this is an MCMC run',
        { flag: '--masked-samples' },
        'drop it: the MCMC samples are conditioned on the what-if instead',
      );
    const share = conditionOnKnowledge(posterior, whatIfKnowledge);
    const draws = await maskedDraws(
      dir,
      (await problem()).reward,
      mergeKnowledge(runKnowledge, whatIfKnowledge),
      masked,
      opts['masked-seed'],
    );
    const reweighted = beliefs ? reweightByBeliefs(draws.posterior, beliefs) : null;
    posterior = reweighted?.posterior ?? draws.posterior;
    logRewards = draws.logRewards;
    const ess = reweighted?.effectiveSampleSize ?? draws.effectiveSampleSize;
    whatIf = {
      constraints: true,
      keptMass: share.keptMass,
      keptDags: posterior.count,
      effectiveSampleSize: ess,
      method: 'masked-sampling',
      ...(reweighted ? { beliefEvidenceRatio: reweighted.keptMass } : {}),
    };
    label = `${posterior.count} importance-weighted DAGs drawn from the trained GFlowNet (${draws.sampler === 'layers' ? 'layered' : 'edge-by-edge'}) in ${dir} with the what-if masked`;
    if (ess < opts['min-ess'])
      throw new DagflowError(
        'BAD_OPTION',
        `too few samples left: rerun. The ${posterior.count} masked draws have an effective sample size of ${ess.toFixed(1)} < --min-ess ${opts['min-ess']}`,
        { flag: '--min-ess' },
        'draw more with a larger --masked-samples, or rerun the sampler with the constraints as prior knowledge',
      );
  }
  return {
    ...(fromRun.warning ? { warning: fromRun.warning } : {}),
    columns,
    posterior,
    label,
    kind,
    whatIf,
    logRewards,
    logZ: null,
    knowledge: mergeKnowledge(runKnowledge, whatIfKnowledge ?? {}),
    problem,
  };
}

async function problemKnowledge(recorded: { knowledge: KnowledgeFlagValues }, columns: readonly string[]): Promise<PriorKnowledge> {
  return (await loadKnowledge(recorded.knowledge, columns)).knowledge;
}

async function readBeliefs(opts: SourceFlagValues, columns: readonly string[]): Promise<EdgeBelief[] | null> {
  return opts['edge-belief'] === undefined ? null : readEdgeBeliefsCsv(opts['edge-belief'], columns);
}

/** Both sets of constraints at once (tiers: the what-if's replace the run's, which they cannot contradict without emptying the posterior). */
export function mergeKnowledge(a: Partial<PriorKnowledge>, b: Partial<PriorKnowledge>): Partial<PriorKnowledge> {
  const maxParents = Math.min(a.maxParents ?? Infinity, b.maxParents ?? Infinity);
  const tiers = b.tiers ?? a.tiers;
  return {
    forbidden: [...(a.forbidden ?? []), ...(b.forbidden ?? [])],
    required: [...(a.required ?? []), ...(b.required ?? [])],
    ...(Number.isFinite(maxParents) ? { maxParents } : {}),
    ...(tiers ? { tiers } : {}),
  };
}
