/**
 * The `candidates` job kind: the candidate-parent space a layered GFlowNet run would sample in
 * (gflownet/layerflow/layerProblem.ts layerProblemFor: K screened candidates per node, or the
 * automatic space), computed before a run for the Model screen. In a worker: forward selection
 * scores tens of thousands of families at 60 variables, seconds of work; a cancel ends the
 * thread (the job host's grace period), since the screening itself does not poll.
 */
import type { JobContext } from '../../gflownet/core/job.ts';
import { buildConstraints } from '../../gflownet/env/constraints.ts';
import { LAYERED_MAX_TABLE_ENTRIES } from '../../gflownet/layerflow/layerProblem.ts';
import { automaticCandidateParents, rankCandidateParents, spaceFromRanking } from '../../gflownet/mcmc/candidateParents.ts';
import { chooseTableMaxParents, countTableEntries, DEFAULT_MAX_TABLE_ENTRIES } from '../../gflownet/mcmc/parentTables.ts';
import { parentMasks, type EdgeRules } from '../../gflownet/mcmc/rules.ts';
import { loadSamplerProblem } from '../../gflownet/problem/load.ts';
import type { ProblemSpec } from '../../gflownet/problem/spec.ts';
import { LAYERED_FROM } from '../../gflownet/train/config.ts';
import type { CandidateSpaceView } from '../../shared/candidateSpace.ts';

export interface CandidatesJobParams {
  problem: ProblemSpec;
  /** Candidates per node; 0 = automatic. */
  candidateParents: number;
}

/** Entries of the tables a layered run builds on these rules (buildLayerProblem: the parent bound cut to fit the MCMC budget). */
function tablesOf(rules: EdgeRules): { entries: number; maxParents: number } {
  const masks = parentMasks(rules);
  const maxParents = Math.min(chooseTableMaxParents(masks, DEFAULT_MAX_TABLE_ENTRIES), masks.maxParents);
  return { entries: countTableEntries(masks, maxParents), maxParents };
}

function countAllowed(rules: EdgeRules): number {
  let n = 0;
  for (let a = 0; a < rules.d * rules.d; a++) n += rules.allowed[a]!;
  return n;
}

export async function run(params: CandidatesJobParams, ctx: JobContext<never>): Promise<CandidateSpaceView> {
  const started = performance.now();
  const problem = await loadSamplerProblem(params.problem, { signal: ctx.signal });
  const columns = [...problem.dataset.columns];
  const d = columns.length;
  const rules = buildConstraints(d, problem.knowledge);
  const full = parentMasks(rules);
  const allowedEdges = countAllowed(rules);
  const fullTableEntries = countTableEntries(full, full.maxParents);
  const common = {
    variables: columns,
    fullTableEntries,
    tableBudget: LAYERED_MAX_TABLE_ENTRIES,
    knowledgeMaxParents: full.maxParents,
    allowedEdges,
    maxSize: d - 1,
    layeredFrom: LAYERED_FROM,
  };
  const fullView = (reason: string): CandidateSpaceView => {
    const tables = tablesOf(rules);
    return {
      ...common,
      kind: 'full',
      reason,
      nodes: [],
      tableEntries: tables.entries,
      tableMaxParents: tables.maxParents,
      outsideEdges: 0,
      seconds: (performance.now() - started) / 1000,
    };
  };
  if (d < LAYERED_FROM) return fullView(`up to ${LAYERED_FROM - 1} variables the edge GFlowNet samples every DAG the knowledge allows`);

  // As layerProblemFor chooses: K screened candidates, or automatically the widest space that fits.
  const K = params.candidateParents;
  const size = K > 0 ? K : automaticCandidateParents(problem.reward, rules, LAYERED_MAX_TABLE_ENTRIES)?.size;
  if (size === undefined)
    return fullView(
      `the tables of every allowed parent set (${fullTableEntries.toLocaleString('en')}) fit the budget of ${LAYERED_MAX_TABLE_ENTRIES.toLocaleString('en')}`,
    );
  // Forward selection is prefix-stable: the first k of a node's ranking are its k-space.
  const ranking = rankCandidateParents(problem.reward, rules, size);
  const space = spaceFromRanking(ranking, rules, size);
  const tables = tablesOf(space.rules);
  const nodes = space.parents.map((list, j) => {
    const screened = ranking[j]!.slice(0, size);
    return {
      name: columns[j]!,
      screened: screened.map((i) => columns[i]!),
      added: list.filter((i) => !screened.includes(i)).map((i) => columns[i]!),
    };
  });
  return {
    ...common,
    kind: K > 0 ? 'chosen' : 'automatic',
    size,
    nodes,
    tableEntries: tables.entries,
    tableMaxParents: tables.maxParents,
    outsideEdges: space.outsideCount,
    seconds: (performance.now() - started) / 1000,
  };
}
