/**
 * Expected information gain of one experiment per candidate target (docs/design.md §2):
 *
 *   gain(t) = U(P(· | D)) − E_{G ~ P(G | D), D' ~ p(· | G, θ̄_G, do(t))} [ U(P(· | D, D')) ],
 *
 * U the query's uncertainty (query.ts), D' n rows under do(t) simulated from the DAG G with its
 * posterior-mean parameters θ̄_G (simulate.ts). The posterior after D' re-weights the same DAGs:
 *
 *   P(G | D, D') ∝ P(G | D) · p(D' | G, D),  log p(D' | G, D) = Σ_{j ≠ t} [s_j(Pa_j; D ∪ D') − s_j(Pa_j; D)],
 *
 * because the scores are marginal likelihoods (the structure prior cancels) and, under a perfect
 * intervention on t, node t's score ignores the new rows. Only the distinct families of the
 * posterior are scored, with the project's own score code on the pooled data (pooled.ts). For
 * the exact posterior this is exactly the exact posterior after D' (exactGain.ts checks it); for
 * samples it is the self-normalised importance estimate, with fewer effective samples.
 *
 * The outer expectation is a Monte Carlo mean over S seeded (G, D') draws; its standard error is
 * sd/√S. Outer draw s uses the random stream Rng(seed).fork(s) for every target, so targets are
 * compared on the same DAGs (common random numbers) and their differences are less noisy.
 */
import { DagflowError } from '../core/errors.ts';
import { jobCancelled, quietJobContext, type JobContext } from '../core/job.ts';
import { Rng } from '../core/rng.ts';
import type { Dataset, LocalScoreModel } from '../core/types.ts';
import { MeanTables } from '../causal/bdeuEffects.ts';
import { BgeFamilies } from '../causal/bgeEffects.ts';
import { parentsOfDag, type WeightedDags } from '../causal/weightedDags.ts';
import { yieldToEventLoop } from '../exact/familyTable.ts';
import { bgePosterior } from '../scores/bge.ts';
import { createScoreModel, type ScoreOptions } from '../scores/scoreModel.ts';
import { pooledDataset } from './pooled.ts';
import { featureProbabilities, queryFeatures, type DesignQuery, type QueryFeatures } from './query.ts';
import { bdeuSimulator, bgeSimulator, continuousMoments, type SimulatedRows, type Simulator } from './simulate.ts';

export interface DesignOptions {
  query: DesignQuery;
  /** Rows per experiment (the cost model: every candidate costs the same n rows). */
  rows: number;
  /** Candidate targets (variable indices); default every variable. */
  targets?: readonly number[];
  /** Outer Monte Carlo draws per target (default 64). */
  outerSamples?: number;
  seed?: number;
}

export interface DesignProgress {
  done: number;
  total: number;
}

export interface TargetGain {
  target: number;
  /** Expected reduction of the query's uncertainty, nats. */
  expectedGain: number;
  /** Monte Carlo standard error of expectedGain over the outer draws. */
  standardError: number;
  /** E[U after the experiment], nats. */
  expectedUncertaintyAfter: number;
  /** Edges query: the unordered pair whose uncertainty is expected to fall most, and by how much (nats). */
  mainPair?: { a: number; b: number; gain: number };
  /** Samples only: mean Kish effective sample size of the re-weighted posterior (how much of it is left). */
  meanEffectiveSamples?: number;
}

export interface DesignResult {
  query: DesignQuery;
  rows: number;
  outerSamples: number;
  seed: number;
  /** U before the experiment, nats. */
  priorUncertainty: number;
  /** The query's feature probabilities before (edges: d·d marginals; edge: [P(X→Y), P(Y→X)]; effect: [P(X⇝Y)]). */
  probabilitiesBefore: number[];
  /** Highest expected gain first. */
  ranking: TargetGain[];
}

export const DEFAULT_OUTER_SAMPLES = 64;

/** Distinct (node, parent mask) families of the DAGs with positive weight, and each DAG's family indices. */
interface FamilyIndex {
  node: Int32Array;
  parents: number[][];
  /** of[k·d + j] = family index of node j in DAG k (−1 for zero-weight DAGs). */
  of: Int32Array;
}

function indexFamilies(post: WeightedDags): FamilyIndex {
  const { d, count } = post;
  const byKey = new Map<number, number>();
  const node: number[] = [];
  const parents: number[][] = [];
  const of = new Int32Array(count * d).fill(-1);
  for (let k = 0; k < count; k++) {
    if (post.weights[k] === 0) continue;
    const pa = parentsOfDag(post, k);
    for (let j = 0; j < d; j++) {
      const key = pa[j]! * 32 + j;
      let f = byKey.get(key);
      if (f === undefined) {
        f = node.length;
        byKey.set(key, f);
        node.push(j);
        const list: number[] = [];
        for (let i = 0, m = pa[j]!; m !== 0; i++, m >>>= 1) if (m & 1) list.push(i);
        parents.push(list);
      }
      of[k * d + j] = f;
    }
  }
  return { node: Int32Array.from(node), parents, of };
}

export function checkDesignOptions(d: number, options: DesignOptions): void {
  if (!Number.isInteger(options.rows) || options.rows < 1 || options.rows > 1_000_000)
    throw new DagflowError('BAD_OPTION', `the rows per experiment must be a whole number 1..1000000, got ${options.rows}`);
  const outer = options.outerSamples ?? DEFAULT_OUTER_SAMPLES;
  if (!Number.isInteger(outer) || outer < 2 || outer > 100_000)
    throw new DagflowError('BAD_OPTION', `the outer samples must be a whole number 2..100000, got ${outer}`);
  const targets = options.targets ?? [];
  if (options.targets && targets.length === 0) throw new DagflowError('BAD_OPTION', 'the list of candidate targets is empty');
  const seen = new Set<number>();
  for (const t of targets) {
    if (!Number.isInteger(t) || t < 0 || t >= d)
      throw new DagflowError('BAD_OPTION', `candidate target ${t} is not a variable 0..${d - 1}`);
    if (seen.has(t)) throw new DagflowError('BAD_OPTION', `candidate target ${t} is listed twice`);
    seen.add(t);
  }
}

/** The simulator of the data set's score: BGe posterior-mean regressions, or BDeu posterior-mean tables. */
export function simulatorFor(dataset: Dataset, scoreOptions: ScoreOptions): Simulator {
  if (scoreOptions.score === 'bge') {
    const bge = bgePosterior(dataset, { alphaMu: scoreOptions.alphaMu, alphaW: scoreOptions.alphaW, mean: scoreOptions.mean });
    return bgeSimulator(new BgeFamilies(bge), continuousMoments(dataset));
  }
  return bdeuSimulator(new MeanTables(dataset, scoreOptions.ess ?? 1));
}

/** One draw of a DAG index from the weights (inverse CDF on one uniform). */
export function drawDag(weights: ArrayLike<number>, rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  let last = 0;
  for (let k = 0; k < weights.length; k++) {
    if (weights[k]! > 0) last = k;
    acc += weights[k]!;
    if (u < acc) return k;
  }
  return last;
}

/**
 * The re-weighting of a posterior by new data: given the old data's family scores, scores the
 * distinct families on the pooled data and returns the normalised new weights with their Kish
 * effective sample size.
 */
export class Reweighter {
  private readonly families: FamilyIndex;
  private readonly oldScores: Float64Array;
  private readonly delta: Float64Array;
  private readonly logWeights: Float64Array;

  constructor(
    readonly post: WeightedDags,
    oldModel: LocalScoreModel,
  ) {
    this.families = indexFamilies(post);
    const nf = this.families.node.length;
    this.oldScores = new Float64Array(nf);
    for (let f = 0; f < nf; f++) this.oldScores[f] = oldModel.localScore(this.families.node[f]!, this.families.parents[f]!);
    this.delta = new Float64Array(nf);
    this.logWeights = new Float64Array(post.count);
  }

  /** New weights (into out) after the rows of `pooledModel` beyond the old data; `target` the intervened variable. */
  reweight(pooledModel: LocalScoreModel, target: number, out: Float64Array): { effectiveSamples: number } {
    const { node, parents, of } = this.families;
    const { d, count, weights } = this.post;
    for (let f = 0; f < node.length; f++)
      this.delta[f] = node[f] === target ? 0 : pooledModel.localScore(node[f]!, parents[f]!) - this.oldScores[f]!;
    let max = -Infinity;
    for (let k = 0; k < count; k++) {
      if (weights[k] === 0) {
        this.logWeights[k] = -Infinity;
        continue;
      }
      let s = Math.log(weights[k]!);
      for (let j = 0; j < d; j++) s += this.delta[of[k * d + j]!]!;
      this.logWeights[k] = s;
      if (s > max) max = s;
    }
    if (!Number.isFinite(max)) throw new DagflowError('INTERNAL', 'the re-weighted posterior has no finite weight');
    let total = 0;
    for (let k = 0; k < count; k++) total += out[k] = Math.exp(this.logWeights[k]! - max);
    let sumSq = 0;
    for (let k = 0; k < count; k++) {
      out[k]! /= total;
      sumSq += out[k]! * out[k]!;
    }
    return { effectiveSamples: 1 / sumSq };
  }
}

export async function expectedInformationGain(
  post: WeightedDags,
  dataset: Dataset,
  scoreOptions: ScoreOptions,
  options: DesignOptions,
  ctx: JobContext<DesignProgress> = quietJobContext(),
): Promise<DesignResult> {
  const { d } = post;
  if (dataset.columns.length !== d)
    throw new DagflowError('INTERNAL', `the data set has ${dataset.columns.length} variables, the posterior ${d}`);
  checkDesignOptions(d, options);
  const outer = options.outerSamples ?? DEFAULT_OUTER_SAMPLES;
  const seed = options.seed ?? 1;
  const targets = options.targets ? [...options.targets] : Array.from({ length: d }, (_, j) => j);
  const features = queryFeatures(post, options.query);
  const before = featureProbabilities(features, post.weights);
  const priorUncertainty = features.uncertainty(before);
  const pairsBefore = new Float64Array(d * d);
  features.pairUncertainty?.(before, pairsBefore);

  const simulator = simulatorFor(dataset, scoreOptions);
  const reweighter = new Reweighter(post, createScoreModel(dataset, scoreOptions));
  const weights = new Float64Array(post.count);
  const after = new Float64Array(features.width);
  const pairsAfter = new Float64Array(d * d);
  const total = targets.length * outer;
  let done = 0;
  let lastYield = Date.now();
  const ranking: TargetGain[] = [];
  for (const target of targets) {
    let sum = 0;
    let sumSq = 0;
    let ess = 0;
    const pairGain = new Float64Array(d * d);
    for (let s = 0; s < outer; s++) {
      if (ctx.signal.aborted) throw jobCancelled();
      const rng = new Rng(seed).fork(s);
      const k = drawDag(post.weights, rng);
      const rows: SimulatedRows = simulator.simulate(parentsOfDag(post, k), target, options.rows, rng);
      const pooled = createScoreModel(pooledDataset(dataset, rows, target), scoreOptions);
      ess += reweighter.reweight(pooled, target, weights).effectiveSamples;
      featureProbabilities(features, weights, after);
      const gain = priorUncertainty - features.uncertainty(after);
      sum += gain;
      sumSq += gain * gain;
      if (features.pairUncertainty) {
        features.pairUncertainty(after, pairsAfter);
        for (let p = 0; p < d * d; p++) pairGain[p]! += (pairsBefore[p]! - pairsAfter[p]!) / outer;
      }
      done++;
      if (Date.now() - lastYield > 200) {
        ctx.progress({ done, total });
        // Let a cancel message in (the job host delivers it on the event loop).
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    const mean = sum / outer;
    const variance = Math.max(0, (sumSq - outer * mean * mean) / (outer - 1));
    ranking.push({
      target,
      expectedGain: mean,
      standardError: Math.sqrt(variance / outer),
      expectedUncertaintyAfter: priorUncertainty - mean,
      ...(features.pairUncertainty ? { mainPair: mainPair(pairGain, d) } : {}),
      ...(post.kind === 'exact' ? {} : { meanEffectiveSamples: ess / outer }),
    });
  }
  ctx.progress({ done, total });
  ranking.sort((a, b) => b.expectedGain - a.expectedGain || a.target - b.target);
  return {
    query: options.query,
    rows: options.rows,
    outerSamples: outer,
    seed,
    priorUncertainty,
    probabilitiesBefore: [...before],
    ranking,
  };
}

function mainPair(pairGain: Float64Array, d: number): { a: number; b: number; gain: number } {
  let best = { a: 0, b: 1, gain: -Infinity };
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) if (pairGain[a * d + b]! > best.gain) best = { a, b, gain: pairGain[a * d + b]! };
  return best;
}

/** Shared by the exact reference: the features of a query and the uncertainty under given weights. */
export function uncertaintyUnder(features: QueryFeatures, weights: ArrayLike<number>): number {
  return features.uncertainty(featureProbabilities(features, weights));
}
