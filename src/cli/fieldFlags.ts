/**
 * The command line's words for the settings an engine message refers to (src/shared/fields.ts):
 * each key is the flag that sets it, and a key with a value is the flag followed by the value.
 */
import type { FieldKey, FieldWords } from '../shared/fields.ts';
import { renderFields } from '../shared/fields.ts';

const FLAGS: Record<FieldKey, string> = {
  'data.file': '--data',
  'data.columnTypes': '--type',
  'data.exclude': '--exclude',
  'data.missing': '--missing',
  'data.missingTokens': '--na-values',
  'data.mixed': '--mixed',
  'data.bins': '--bins',
  'data.maxDiscreteLevels': '--max-levels',
  'data.interventionColumn': '--int-column',
  'data.interventionFile': '--int',
  score: '--score',
  'score.alphaMu': '--alpha-mu',
  'score.alphaW': '--alpha-w',
  'score.mean': '--mean',
  'score.ess': '--ess',
  prior: '--prior',
  'prior.edgesPerNode': '--edges-per-node',
  'prior.beta': '--beta',
  'knowledge.forbidden': '--forbid',
  'knowledge.required': '--require',
  'knowledge.tiers': '--tiers',
  'knowledge.edgeBeliefs': '--edge-beliefs',
  'knowledge.maxParents': '--max-parents',
  'sampler.method': '--method',
  'sampler.iterations': '--iterations',
  'sampler.timeLimit': '--time-limit',
  'sampler.seed': '--seed',
  'sampler.samples': '--samples',
  'sampler.burnIn': '--burn-in',
  'sampler.thin': '--thin',
  'sampler.newEdgeReversal': '--new-edge-reversal',
  'sampler.tableMaxParents': '--table-max-parents',
  'sampler.resume': '--resume',
  'train.sampler': '--sampler',
  'train.teacherSteps': '--teacher-steps',
  'train.candidateParents': '--candidate-parents',
  'train.objective': '--objective',
  'train.intrinsic': '--intrinsic',
  'train.intrinsicWeight': '--intrinsic-weight',
  'train.intrinsicDecay': '--intrinsic-decay',
  'train.batchSize': '--batch-size',
  'train.learningRate': '--lr',
  backend: '--backend',
  'synth.nodes': '--nodes',
  'synth.rows': '--rows',
  'synth.edgesPerNode': '--edges-per-node',
  'synth.noiseStd': '--noise-std',
  'synth.levels': '--levels',
};

export const CLI_WORDS: FieldWords = {
  field: (key) => FLAGS[key],
  setting: (key, value) => `${FLAGS[key]} ${value}`,
};

/** Engine text as the command line says it: settings by their flags. */
export function inCliWords(text: string): string {
  return renderFields(text, CLI_WORDS);
}
