/**
 * The settings a user gives — how the data is read, the model, the sampler and its budget —
 * by one key each, so that an engine message can say which setting a problem is about without
 * knowing who asked: the command line names the key by its flag (`--max-parents`), the window
 * by its control ("Maximum parents"). An engine error carries the key in its location
 * (`field`); message and hint text refer to a setting as `{{key}}`, or to a setting with a
 * value as `{{key=value}}`, and each front end renders those with renderFields.
 */
export const FIELD_KEYS = [
  'data.file',
  'data.columnTypes',
  'data.exclude',
  'data.missing',
  'data.missingTokens',
  'data.mixed',
  'data.bins',
  'data.maxDiscreteLevels',
  'data.interventionColumn',
  'data.interventionFile',
  'score',
  'score.alphaMu',
  'score.alphaW',
  'score.mean',
  'score.ess',
  'prior',
  'prior.edgesPerNode',
  'prior.beta',
  'knowledge.forbidden',
  'knowledge.required',
  'knowledge.tiers',
  'knowledge.edgeBeliefs',
  'knowledge.maxParents',
  'sampler.method',
  'sampler.iterations',
  'sampler.timeLimit',
  'sampler.seed',
  'sampler.samples',
  'sampler.burnIn',
  'sampler.thin',
  'sampler.newEdgeReversal',
  'sampler.tableMaxParents',
  'sampler.resume',
  'train.sampler',
  'train.teacherSteps',
  'train.candidateParents',
  'train.objective',
  'train.intrinsic',
  'train.intrinsicWeight',
  'train.intrinsicDecay',
  'train.batchSize',
  'train.learningRate',
  'backend',
  'synth.nodes',
  'synth.rows',
  'synth.edgesPerNode',
  'synth.noiseStd',
  'synth.levels',
] as const;

export type FieldKey = (typeof FIELD_KEYS)[number];

/** How a front end names a setting, and a setting with a value, in its own words. */
export interface FieldWords {
  field(key: FieldKey): string;
  setting(key: FieldKey, value: string): string;
}

/** `{{key}}` or `{{key=value}}`: how engine text refers to a setting. */
export function fieldRef(key: FieldKey, value?: string): string {
  return value === undefined ? `{{${key}}}` : `{{${key}=${value}}}`;
}

const KNOWN = new Set<string>(FIELD_KEYS);
const REF = /\{\{([a-zA-Z.]+)(?:=([^{}]*))?\}\}/g;

/** Engine text with every `{{key}}` and `{{key=value}}` in the front end's words (unknown keys are left as they are). */
export function renderFields(text: string, words: FieldWords): string {
  return text.replace(REF, (whole, key: string, value: string | undefined) => {
    if (!KNOWN.has(key)) return whole;
    return value === undefined ? words.field(key as FieldKey) : words.setting(key as FieldKey, value);
  });
}
