/**
 * `causal-json`: every structural feature of a sampled run with its standard error, the
 * v-structures, and (when the run's data are available) every ordered pair's causal effect —
 * the numbers of `dagflow features --json` and `dagflow effects --json` in one file, so that
 * Python or R read them without DAGFlow. Matrices are d×d, row = from, column = to.
 */
import { structuralFeatures } from '../causal/features.ts';
import { runPosterior } from '../causal/runPosterior.ts';
import { effectsJson, pairEffects, type ExportProblem } from './causalEffects.ts';
import type { RunResults } from './runDirectory.ts';

function matrix(m: Float64Array, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from(m.subarray(i * d, (i + 1) * d)));
}

export function causalJson(run: RunResults, problem: ExportProblem | undefined): string {
  const fromRun = runPosterior(run, 'causal-json');
  const post = fromRun.posterior;
  const f = structuralFeatures(post);
  const d = run.columns.length;
  const se = f.standardErrors;
  const out = {
    columns: run.columns,
    posterior: { kind: post.kind, dags: post.count, importanceWeighted: fromRun.importanceWeighted },
    ...(fromRun.warning ? { warning: fromRun.warning } : {}),
    edge: matrix(f.edge, d),
    path: matrix(f.path, d),
    markovBlanket: matrix(f.markovBlanket, d),
    adjacent: matrix(f.adjacent, d),
    ...(se
      ? {
          standardErrors: {
            edge: matrix(se.edge, d),
            path: matrix(se.path, d),
            markovBlanket: matrix(se.markovBlanket, d),
            adjacent: matrix(se.adjacent, d),
          },
        }
      : {}),
    vStructures: f.vStructures.map((v) => ({
      parents: v.parents.map((k) => run.columns[k]),
      collider: run.columns[v.collider],
      probability: v.probability,
      ...(v.standardError !== undefined ? { standardError: v.standardError } : {}),
    })),
    effects: problem ? effectsJson(run.columns, pairEffects(post, problem)) : null,
    ...(problem ? {} : { effectsUnavailable: "the run's data are not available, so the effects were left out" }),
  };
  return JSON.stringify(out, null, 1) + '\n';
}
