/**
 * Engine messages in the window's words. Engine text refers to a setting by its key
 * (`{{knowledge.maxParents}}`, `{{data.missing=drop}}`, src/shared/fields.ts): here each key is
 * the control that sets it, and a key with a value the choice to make in that control.
 */
import { renderFields, type FieldKey, type FieldWords } from '../../../shared/fields.ts';

const LABELS: Record<FieldKey, string> = {
  'data.file': 'the data file',
  'data.columnTypes': 'Type menu',
  'data.exclude': 'Use (on the Import screen)',
  'data.missing': 'Missing values (on the Import screen)',
  'data.missingTokens': 'the missing-value markers',
  'data.mixed': 'Mixed columns',
  'data.bins': 'Quantile bins',
  'data.maxDiscreteLevels': 'the discrete-level threshold',
  'data.interventionColumn': 'Intervention column',
  'data.interventionFile': 'Intervention sidecar file',
  score: 'Score (on the Model screen)',
  'score.alphaMu': 'α_μ',
  'score.alphaW': 'α_w',
  'score.mean': 'Prior mean ν',
  'score.ess': 'Equivalent sample size',
  prior: 'Structure prior',
  'prior.edgesPerNode': 'Expected edges per node',
  'prior.beta': 'β',
  'knowledge.forbidden': 'the forbidden edges',
  'knowledge.required': 'the required edges',
  'knowledge.tiers': 'the tiers',
  'knowledge.edgeBeliefs': 'the edge beliefs',
  'knowledge.maxParents': 'Maximum parents',
  'sampler.method': 'Sampler',
  'sampler.iterations': 'Iterations',
  'sampler.timeLimit': 'the time limit',
  'sampler.seed': 'Seed',
  'sampler.samples': 'DAGs to sample',
  'sampler.burnIn': 'Burn-in fraction',
  'sampler.thin': 'Thinning',
  'sampler.newEdgeReversal': 'the new-edge-reversal move',
  'sampler.tableMaxParents': 'the parent-set table bound',
  'sampler.resume': 'the checkpoint',
  'train.sampler': 'the GFlowNet sampler',
  'train.teacherSteps': 'the teacher steps',
  'train.candidateParents': 'the candidate parents per variable',
  'train.objective': 'the training objective',
  'train.intrinsic': 'the exploration bonus',
  'train.intrinsicWeight': 'the exploration-bonus weight',
  'train.intrinsicDecay': 'the exploration-bonus decay',
  'train.batchSize': 'the batch size',
  'train.learningRate': 'the learning rate',
  backend: 'the compute backend',
  'synth.nodes': 'nodes',
  'synth.rows': 'rows',
  'synth.edgesPerNode': 'edges per node',
  'synth.noiseStd': 'noise',
  'synth.levels': 'levels',
};

/** Choices worth their own words; any other is "control › value". */
const SETTINGS: Record<string, string> = {
  'data.missing=drop': 'Missing values › drop incomplete rows, on the Import screen',
  'data.mixed=discretize': 'Mixed columns › discretize',
  'data.mixed=exclude-continuous': 'Mixed columns › leave out the continuous columns',
  'data.mixed=exclude-discrete': 'Mixed columns › leave out the discrete columns',
  'score=bdeu': 'the BDeu score',
  'score=bge': 'the BGe score',
  'sampler.method=partition': 'partition MCMC',
  'sampler.method=mc3': 'MC3',
  'sampler.method=dp': 'the dynamic programme',
  'prior=erdos-renyi': 'the Erdős–Rényi prior',
  'prior=edge': 'the edge prior',
};

export const WINDOW_WORDS: FieldWords = {
  field: (key) => LABELS[key],
  setting: (key, value) => SETTINGS[`${key}=${value}`] ?? `${LABELS[key]} › ${value}`,
};

/**
 * The MCMC convergence warning is written once for both front ends (it is stored in the run's
 * summary) and names command-line flags; the window says the same with its controls.
 */
const WARNING_WORDS: Array<[RegExp, string]> = [
  [/\(or a longer --time-limit\)/g, '(or a longer time limit)'],
  [/try --method partition/g, 'try partition MCMC'],
  [/try --method mc3 with --new-edge-reversal/g, 'try MC3 with the new-edge-reversal move'],
  [/lower --thin/g, 'lower the thinning'],
];

export function inWindowWords(message: string): string {
  let out = renderFields(message, WINDOW_WORDS);
  for (const [pattern, words] of WARNING_WORDS) out = out.replace(pattern, words);
  return out;
}
