/**
 * The Answers view of a finished run (src/shared/answers.ts): structural features with error
 * bars, the effect of do(cause) on the effect, and a hypothesis's place, from the run's
 * posterior — the exact distribution when the run has one (≤ 5 variables), its samples
 * otherwise — optionally conditioned on a what-if. The same engine as `dagflow features |
 * effects | hypothesis` (src/gflownet/causal).
 */
import { bdeuInterventionalEffect } from '../gflownet/causal/bdeuEffects.ts';
import { bgeTotalEffect } from '../gflownet/causal/bgeEffects.ts';
import { structuralFeatures } from '../gflownet/causal/features.ts';
import { reweightByBeliefs } from '../gflownet/causal/edgeBeliefs.ts';
import { estimateLogZFromSamples, locateHypothesis, type LogZMethod } from '../gflownet/causal/hypothesis.ts';
import { conditionOnKnowledge, fromDistribution, fromSamples, type WeightedDags } from '../gflownet/causal/weightedDags.ts';
import { DagflowError } from '../gflownet/core/errors.ts';
import type { Dataset, PriorKnowledge } from '../gflownet/core/types.ts';
import { compileConstraints, familyAllowed, hasCycle } from '../gflownet/exact/constraints.ts';
import { dpPosterior } from '../gflownet/exact/dp.ts';
import { bgePosterior } from '../gflownet/scores/bge.ts';
import type { RewardModel } from '../gflownet/scores/reward.ts';
import type { ScoreOptions } from '../gflownet/scores/scoreModel.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { AnswersRequest, AnswersView, HypothesisView } from '../shared/answers.ts';

/** Refuse a what-if on samples below this effective sample size. */
export const MIN_WHAT_IF_ESS = 100;
/** log Z of a sampled run by the subset DP up to this many variables. */
const DP_LOG_Z_NODES = 16;
const EFFECT_DRAWS = { continuous: 20000, discrete: 2000 } as const;

/** What effects and hypotheses need beyond the samples: the data, the score and the prior. */
export interface AnswersProblem {
  dataset: Dataset;
  scoreOptions: ScoreOptions;
  reward: RewardModel;
  /** The knowledge the run obeyed. */
  knowledge: PriorKnowledge;
}

export interface AnswersInput {
  runId: string;
  result: PosteriorRunResult;
  /** MCMC runs: kept DAGs per chain when known; the samples count as one chain otherwise. */
  sampledBy: 'exact' | 'gflownet' | 'mcmc';
  chainLengths?: number[];
  /** null with the reason when the run's data cannot be read (effects and hypotheses need it). */
  problem: AnswersProblem | { unavailable: string };
}

export function weightedPosterior(input: AnswersInput): WeightedDags {
  const { result } = input;
  const d = result.variables.length;
  if (result.distribution) return fromDistribution({ d, codes: result.distribution.codes, logProb: result.distribution.logProb });
  const samples = result.samples;
  if (!samples || samples.count === 0) {
    throw new DagflowError(
      'BAD_OPTION',
      'this run has edge probabilities only (the exact posterior of more than 5 variables), no DAGs to answer from',
      {},
      'sample the posterior with MCMC or the GFlowNet',
    );
  }
  const dd = d * d;
  const adjacencies = Array.from({ length: samples.count }, (_, s) => samples.adjacency.subarray(s * dd, (s + 1) * dd));
  if (input.sampledBy !== 'mcmc') return fromSamples(adjacencies, d, undefined, samples.logWeights);
  const lengths =
    input.chainLengths && input.chainLengths.reduce((a, n) => a + n, 0) === samples.count ? input.chainLengths : [samples.count];
  return fromSamples(adjacencies, d, lengths);
}

function logRewardsOf(input: AnswersInput): Float64Array {
  const { result } = input;
  if (result.distribution) {
    if (result.logZ === undefined) throw new DagflowError('INTERNAL', 'an exact run without log Z');
    return result.distribution.logProb.map((lp) => lp + result.logZ!);
  }
  return Float64Array.from(result.samples!.logScores);
}

export async function answersView(input: AnswersInput, request: AnswersRequest): Promise<AnswersView> {
  const { result } = input;
  let posterior = weightedPosterior(input);
  const exact = posterior.kind === 'exact';
  let whatIf: AnswersView['whatIf'];
  if (request.tiers && request.tiers.length !== posterior.d)
    throw new DagflowError('BAD_OPTION', `the what-if gives tiers for ${request.tiers.length} variables, the run has ${posterior.d}`);
  const whatIfKnowledge: Partial<PriorKnowledge> | null =
    (request.forbidden?.length ?? 0) + (request.required?.length ?? 0) > 0 || request.tiers
      ? { forbidden: request.forbidden ?? [], required: request.required ?? [], ...(request.tiers ? { tiers: request.tiers } : {}) }
      : null;
  let logZShift = 0;
  if (whatIfKnowledge) {
    const c = conditionOnKnowledge(posterior, whatIfKnowledge);
    if (c.keptDags === 0)
      throw new DagflowError('BAD_OPTION', 'no DAG of this posterior satisfies the what-if', {}, 'remove a required or forbidden edge');
    if (!exact && c.effectiveSampleSize < MIN_WHAT_IF_ESS) {
      throw new DagflowError(
        'BAD_OPTION',
        `too few samples left: rerun. ${c.keptDags} of ${posterior.count} samples satisfy the what-if (effective sample size ${c.effectiveSampleSize.toFixed(0)} < ${MIN_WHAT_IF_ESS})`,
        {},
        'start a new run with these edges as prior knowledge on the Model screen',
      );
    }
    posterior = c.posterior;
    whatIf = { keptMass: c.keptMass, keptDags: c.keptDags, effectiveSampleSize: c.effectiveSampleSize };
    logZShift = Math.log(c.keptMass);
  }
  // Beliefs re-weight the (possibly conditioned) posterior exactly by the prior ratio; the
  // posterior without them is kept to show which answers depend on them.
  let withoutBeliefs: WeightedDags | null = null;
  let beliefWeights: { evidenceRatio: number; effectiveSampleSize: number } | null = null;
  if (request.beliefs && request.beliefs.length > 0) {
    const r = reweightByBeliefs(posterior, request.beliefs);
    if (!exact && r.effectiveSampleSize < MIN_WHAT_IF_ESS) {
      throw new DagflowError(
        'BAD_OPTION',
        `too few samples left: rerun. Re-weighted by the beliefs, the ${posterior.count} samples have an effective sample size of ${r.effectiveSampleSize.toFixed(0)} < ${MIN_WHAT_IF_ESS}`,
        {},
        'soften the belief, or start a new run with the beliefs on the Model screen',
      );
    }
    withoutBeliefs = posterior;
    posterior = r.posterior;
    beliefWeights = { evidenceRatio: r.keptMass, effectiveSampleSize: r.effectiveSampleSize };
  }

  const f = structuralFeatures(posterior);
  // The layered GFlowNet weights its draws; without the weights the samples describe the sampler.
  const weightedSampler = result.facts.some((fact) => /importance-weighted/.test(fact.value));
  const view: AnswersView = {
    runId: input.runId,
    variables: result.variables,
    posterior: posterior.kind,
    dags: posterior.count,
    ...(weightedSampler && !result.samples?.logWeights
      ? {
          warning:
            "this run's sampler weights its draws, but the weights did not reach this screen: the answers describe the sampler's own distribution, not the importance-corrected posterior",
        }
      : {}),
    ...(whatIf ? { whatIf } : {}),
    features: {
      edge: Array.from(f.edge),
      path: Array.from(f.path),
      markovBlanket: Array.from(f.markovBlanket),
      adjacent: Array.from(f.adjacent),
      ...(f.standardErrors
        ? {
            standardErrors: {
              edge: Array.from(f.standardErrors.edge),
              path: Array.from(f.standardErrors.path),
              markovBlanket: Array.from(f.standardErrors.markovBlanket),
              adjacent: Array.from(f.standardErrors.adjacent),
            },
          }
        : {}),
      vStructures: f.vStructures.slice(0, 50),
    },
  };

  if (request.cause !== undefined && request.effect !== undefined) {
    const problem = input.problem;
    if ('unavailable' in problem) view.effect = { kind: 'unavailable', reason: problem.unavailable };
    else view.effect = effectView(posterior, problem, request.cause, request.effect, request.seed ?? 1);
  }

  if (withoutBeliefs && beliefWeights) {
    const base = structuralFeatures(withoutBeliefs);
    const without: NonNullable<AnswersView['beliefs']>['without'] = { edge: Array.from(base.edge), path: Array.from(base.path) };
    const problem = input.problem;
    if (request.cause !== undefined && request.effect !== undefined && !('unavailable' in problem)) {
      // Means and P(no path) are exact sums over the DAGs: a few draws suffice here.
      const o = problem.scoreOptions;
      if (o.score === 'bge') {
        const e = bgeTotalEffect(
          withoutBeliefs,
          bgePosterior(problem.dataset, { alphaMu: o.alphaMu, alphaW: o.alphaW, mean: o.mean }),
          request.cause,
          request.effect,
          { draws: 200, seed: 1 },
        );
        without.effectMean = e.mean;
        without.probabilityNoPath = e.probabilityNoPath;
      } else {
        const e = bdeuInterventionalEffect(withoutBeliefs, problem.dataset, o.ess ?? 1, request.cause, request.effect, {
          draws: 100,
          seed: 1,
        });
        without.probabilityNoPath = e.probabilityNoPath;
      }
    }
    view.beliefs = { ...beliefWeights, without };
  }

  if (request.hypothesis && beliefWeights) {
    view.hypothesisUnavailable = "a hypothesis is placed under the run's own prior; clear the beliefs to test it";
  } else if (request.hypothesis) {
    const problem = input.problem;
    if ('unavailable' in problem) throw new DagflowError('BAD_OPTION', `cannot place a hypothesis: ${problem.unavailable}`);
    view.hypothesis = await hypothesisView(
      input,
      posterior,
      problem,
      request.hypothesis,
      whatIfKnowledge,
      exact ? result.logZ! + logZShift : null,
      f.edge,
    );
  }
  return view;
}

function effectView(
  posterior: WeightedDags,
  problem: AnswersProblem,
  cause: number,
  effect: number,
  seed: number,
): NonNullable<AnswersView['effect']> {
  const names = problem.dataset.columns;
  const o = problem.scoreOptions;
  if (o.score === 'bge') {
    const e = bgeTotalEffect(
      posterior,
      bgePosterior(problem.dataset, { alphaMu: o.alphaMu, alphaW: o.alphaW, mean: o.mean }),
      cause,
      effect,
      { draws: EFFECT_DRAWS.continuous, seed },
    );
    return {
      kind: 'continuous',
      units: problem.dataset.standardized
        ? `SD of ${names[effect]} per SD of ${names[cause]}`
        : `units of ${names[effect]} per unit of ${names[cause]}`,
      mean: e.mean,
      interval: e.interval,
      structuralInterval: e.structuralInterval,
      probabilityNoPath: e.probabilityNoPath,
      sd: e.sd,
      structuralSd: e.structuralSd,
      parameterSd: e.parameterSd,
      histogram: e.histogram,
      ...(e.standardErrors ? { standardErrors: e.standardErrors } : {}),
    };
  }
  const e = bdeuInterventionalEffect(posterior, problem.dataset, o.ess ?? 1, cause, effect, { draws: EFFECT_DRAWS.discrete, seed });
  return {
    kind: 'discrete',
    units: `P(${names[effect]} = y | do(${names[cause]} = x))`,
    causeLevels: e.causeLevels,
    effectLevels: e.effectLevels,
    probabilityNoPath: e.probabilityNoPath,
    cells: e.cells.map((c) => ({
      mean: c.mean,
      interval: c.interval,
      structuralSd: c.structuralSd,
      parameterSd: c.parameterSd,
      ...(c.standardError !== undefined ? { standardError: c.standardError } : {}),
    })),
  };
}

async function hypothesisView(
  input: AnswersInput,
  posterior: WeightedDags,
  problem: AnswersProblem,
  edges: Array<[number, number]>,
  whatIf: Partial<PriorKnowledge> | null,
  exactLogZ: number | null,
  edgeMarginals: Float64Array,
): Promise<HypothesisView> {
  const d = posterior.d;
  const masks = new Int32Array(d);
  const adjacency = new Uint8Array(d * d);
  for (const [i, j] of edges) {
    if (i >= d || j >= d || i === j)
      throw new DagflowError('BAD_GRAPH', `the hypothesis names an edge ${i} → ${j} outside the run's ${d} variables`);
    masks[j]! |= 1 << i;
    adjacency[i * d + j] = 1;
  }
  if (hasCycle(masks)) throw new DagflowError('BAD_GRAPH', 'the hypothesis has a directed cycle', {}, 'remove or reverse an edge');
  const knowledge: Partial<PriorKnowledge> = {
    ...problem.knowledge,
    forbidden: [...problem.knowledge.forbidden, ...(whatIf?.forbidden ?? [])],
    required: [...problem.knowledge.required, ...(whatIf?.required ?? [])],
    // The what-if's tiers replace the run's (they cannot contradict them without emptying the posterior).
    ...(whatIf?.tiers ? { tiers: whatIf.tiers } : {}),
  };
  const c = compileConstraints(d, knowledge);
  const allowed = Array.from(masks).every((m, j) => familyAllowed(c, j, m));
  const logReward = allowed ? problem.reward.logReward(adjacency) : -Infinity;
  const logRewards = logRewardsOf(input);
  let logZ: { value: number; method: LogZMethod };
  if (exactLogZ !== null) logZ = { value: exactLogZ, method: 'enumeration' };
  else if (d <= DP_LOG_Z_NODES) logZ = { value: (await dpPosterior(problem.reward, knowledge)).logZ, method: 'dp' };
  else logZ = { value: estimateLogZFromSamples(posterior, logRewards), method: 'sample-estimate' };
  const r = locateHypothesis(posterior, logRewards, edgeMarginals, masks, logReward, logZ);
  return {
    logPosterior: Number.isFinite(r.logPosterior) ? r.logPosterior : null,
    logZMethod: r.logZMethod,
    rank: r.rank,
    distinctDags: r.distinctDags,
    percentile: r.percentile,
    equivalenceClassProbability: r.equivalenceClassProbability,
    edges: r.edges,
    disagreements: r.disagreements
      .slice(0, 10)
      .map((g) => ({ from: g.from, to: g.to, hypothesis: g.hypothesis, probability: g.probability })),
  };
}
