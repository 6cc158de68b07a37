/**
 * The inputs of `dagflow compare` from files: two run folders (what `dagflow train`,
 * `dagflow mcmc` or an export wrote), an optional true graph (from,to CSV by name) and an
 * optional exact posterior (the JSON of `dagflow exact --json`), all put in the first run's
 * variable order.
 */
import { readFile } from 'node:fs/promises';
import { DagflowError } from '../core/errors.ts';
import { loadRunDirectory } from '../export/runDirectory.ts';
import { adjacencyFromEdges } from '../graph/dag.ts';
import { readEdgeListCsv } from '../graph/edgeList.ts';
import { samplesToAdjacencies } from '../samples/format.ts';
import { compareRuns, type ComparableRun, type ExactReference, type RunComparison } from './compareRuns.ts';

export async function loadComparableRun(dir: string, flag: string): Promise<ComparableRun> {
  let run;
  try {
    run = await loadRunDirectory(dir);
  } catch (e) {
    if (e instanceof DagflowError && e.location.flag === '--run') e.location.flag = flag;
    throw e;
  }
  return {
    label: dir,
    variables: run.columns,
    edgeMarginals: run.marginals,
    samples: run.samples ? samplesToAdjacencies(run.samples, run.columns, dir) : undefined,
    diagnostics: run.summary.diagnostics ?? null,
  };
}

/** Reads `dagflow exact --json` output and puts it in the given variable order. */
export async function readExactReference(file: string, variables: readonly string[]): Promise<ExactReference> {
  let value: { columns?: unknown; edgeMarginals?: unknown; posterior?: { codes?: unknown; logPosterior?: unknown } };
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DagflowError(
      code ? 'IO' : 'BAD_OPTION',
      code ? `cannot read the file (${code})` : 'not valid JSON',
      { file, flag: '--exact' },
      'give the output of dagflow exact --json',
    );
  }
  const columns = value.columns;
  const rows = value.edgeMarginals;
  const d = variables.length;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string') || !Array.isArray(rows)) {
    throw new DagflowError(
      'BAD_OPTION',
      'has no "columns" and "edgeMarginals"',
      { file, flag: '--exact' },
      'give the output of dagflow exact --json',
    );
  }
  const index = new Map((columns as string[]).map((c, k) => [c, k]));
  if (columns.length !== d || variables.some((v) => !index.has(v))) {
    throw new DagflowError(
      'BAD_OPTION',
      `is over the variables ${columns.join(', ')}, the runs over ${variables.join(', ')}`,
      { file, flag: '--exact' },
      'compute the exact posterior on the same data and columns',
    );
  }
  const perm = variables.map((v) => index.get(v)!);
  const edgeMarginals = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const x = (rows[perm[i]!] as unknown[] | undefined)?.[perm[j]!];
      if (typeof x !== 'number' || !(x >= 0 && x <= 1))
        throw new DagflowError('BAD_OPTION', `edgeMarginals[${perm[i]}][${perm[j]}] is not a probability`, { file, flag: '--exact' });
      edgeMarginals[i * d + j] = x;
    }
  }
  const reference: ExactReference = { edgeMarginals };
  const p = value.posterior;
  const identity = perm.every((k, i) => k === i);
  // DAG codes index edges by the exact file's column order: usable as they are only in the same order.
  if (p && Array.isArray(p.codes) && Array.isArray(p.logPosterior) && identity) {
    reference.posterior = { codes: p.codes as number[], logProb: p.logPosterior as number[] };
  }
  return reference;
}

export async function compareRunDirectories(
  dirA: string,
  dirB: string,
  options: { truth?: string; exact?: string } = {},
): Promise<RunComparison> {
  const [a, b] = await Promise.all([loadComparableRun(dirA, '--a'), loadComparableRun(dirB, '--b')]);
  const truth =
    options.truth === undefined ? undefined : adjacencyFromEdges(a.variables.length, await readEdgeListCsv(options.truth, a.variables));
  const exact = options.exact === undefined ? undefined : await readExactReference(options.exact, a.variables);
  return compareRuns(a, b, { truth, exact });
}
