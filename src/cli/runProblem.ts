/**
 * The problem a run folder was made from — data file, score flags, structure prior and prior
 * knowledge — so that commands reading a run (`dagflow features|effects|hypothesis --run DIR`)
 * never make the user repeat them. `dagflow mcmc` writes it into summary.json as "problem";
 * `dagflow train` stores the same flags in its checkpoint (checkpoint/checkpoint.json "meta").
 * Paths are absolute, so the run can be read from any folder.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { dataFlags, type DataFlagValues } from './dataFlags.ts';
import { knowledgeFlags, type KnowledgeFlagValues } from './knowledgeFlags.ts';

export interface RunProblem {
  data: DataFlagValues;
  knowledge: KnowledgeFlagValues;
}

/** The data and knowledge flags of a command, with file paths made absolute, for summary.json. */
export function recordRunProblem(opts: Record<string, unknown>): { data: Record<string, unknown>; knowledge: Record<string, unknown> } {
  const absolute = (v: unknown): unknown => (typeof v === 'string' ? path.resolve(v) : v);
  const data = Object.fromEntries(Object.keys(dataFlags).map((k) => [k, opts[k]]));
  const knowledge = Object.fromEntries(Object.keys(knowledgeFlags).map((k) => [k, opts[k]]));
  return {
    data: { ...data, data: absolute(data.data), int: absolute(data.int) },
    knowledge: {
      ...knowledge,
      forbid: absolute(knowledge.forbid),
      require: absolute(knowledge.require),
      tiers: absolute(knowledge.tiers),
      'edge-beliefs': absolute(knowledge['edge-beliefs']),
    },
  };
}

function isProblem(value: unknown): value is RunProblem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { data?: { data?: unknown }; knowledge?: unknown };
  return (
    typeof v.data === 'object' &&
    v.data !== null &&
    typeof v.data.data === 'string' &&
    typeof v.knowledge === 'object' &&
    v.knowledge !== null
  );
}

/** The recorded problem of a run folder, or null when the folder does not record one. */
export async function readRunProblem(dir: string, summary: Record<string, unknown>): Promise<RunProblem | null> {
  if (isProblem(summary.problem)) return summary.problem;
  const file = path.join(dir, 'checkpoint', 'checkpoint.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let meta: unknown;
  try {
    meta = (JSON.parse(text) as { meta?: unknown }).meta;
  } catch {
    throw new DagflowError(
      'BAD_OPTION',
      'checkpoint.json is not valid JSON',
      { file, flag: '--run' },
      'give the data again with --data and the score flags',
    );
  }
  return isProblem(meta) ? meta : null;
}
