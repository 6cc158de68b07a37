/**
 * The bridge between the app's runs (RunSummaryView + PosteriorRunResult in the run store)
 * and the engine's session and export shapes, both ways, so that saving a session and
 * reopening it gives the run store back exactly what it had — and every view computed from it
 * (posterior, top DAGs, comparisons, exports) is the same.
 */
import type { RunResults } from '../../gflownet/export/runDirectory.ts';
import { packSampleMatrices, unpackSampleMatrices } from '../../gflownet/session/packedSamples.ts';
import type { JsonObject, JsonValue, SessionRun } from '../../gflownet/session/schema.ts';
import type { PosteriorRunResult } from '../../jobs/kinds/posteriorResult.ts';
import type { RunSummaryView } from '../../shared/workflow.ts';

function json<T>(value: T): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** Samples as name pairs (what the session and the JSON Lines export store). */
function sampleRecords(
  result: PosteriorRunResult,
): Array<{ edges: Array<[string, string]>; logScore: number; logWeight?: number }> | undefined {
  const samples = result.samples;
  if (!samples) return undefined;
  const d = result.variables.length;
  const dd = d * d;
  return Array.from({ length: samples.count }, (_, s) => {
    const edges: Array<[string, string]> = [];
    for (let k = 0; k < dd; k++)
      if (samples.adjacency[s * dd + k]) edges.push([result.variables[Math.floor(k / d)]!, result.variables[k % d]!]);
    return { edges, logScore: samples.logScores[s]!, ...(samples.logWeights ? { logWeight: samples.logWeights[s]! } : {}) };
  });
}

/** A finished app run in the shape every exporter takes (export/renderExport.ts). */
export function runResultsFromPosterior(summary: RunSummaryView, result: PosteriorRunResult): RunResults {
  const facts: Record<string, string> = {};
  for (const f of summary.facts.length > 0 ? summary.facts : result.facts) facts[f.label] = f.value;
  return {
    source: summary.label,
    columns: [...result.variables],
    summary: {
      method: summary.method,
      run: summary.runId,
      dataset: summary.datasetName,
      ...facts,
      ...(result.logZ === undefined ? {} : { logZ: result.logZ }),
    },
    samples: sampleRecords(result) ?? null,
    marginals: result.edgeMarginals,
    marginalsFrom: result.samples ? 'samples.jsonl' : 'edge_marginals.csv',
  };
}

/**
 * A finished app run as a session run. `settings` is what the UI sent to start it
 * (StartRunRequest: data options, model, sampler with its seed).
 */
export function sessionRunFromPosterior(summary: RunSummaryView, result: PosteriorRunResult, request: object): SessionRun {
  const settings = json(request) as JsonObject;
  const run: SessionRun = {
    id: summary.runId,
    label: summary.label,
    method: summary.method,
    columns: [...result.variables],
    settings,
    summary: {
      view: json(summary),
      facts: json(result.facts),
      ...(result.ranked ? { ranked: json(result.ranked) } : {}),
      ...(result.logZ === undefined ? {} : { logZ: result.logZ }),
      ...(result.diagnostics ? { diagnostics: json(result.diagnostics) } : {}),
      ...(result.traces ? { traces: json(result.traces) } : {}),
    },
    edgeMarginals: Array.from(result.edgeMarginals),
    marginalsFrom: result.samples ? 'samples.jsonl' : 'edge_marginals.csv',
  };
  const sampler = (settings.sampler ?? null) as { seed?: unknown } | null;
  if (sampler && typeof sampler.seed === 'number') run.seed = sampler.seed;
  // Packed, not named: 46,000 samples at 60 variables are ~0.5 MB instead of ~150 MB of JSON, which every autosave wrote on the main thread.
  if (result.samples) run.packedSamples = packSampleMatrices(result.samples, result.variables.length);
  return run;
}

/** The error an interrupted run shows in the run list (and is recognised by when the session is written again). */
export const INTERRUPTED_CODE = 'INTERRUPTED';

/**
 * A run still going (or queued) when the session is written: its settings and what the window
 * showed of it, marked interrupted, so a crash leaves a trace of it and of how to start it again.
 */
export function interruptedSessionRun(summary: RunSummaryView, request: object): SessionRun {
  const settings = json(request) as JsonObject;
  const shown: RunSummaryView = {
    ...summary,
    jobIds: [],
    status: 'failed',
    hasSamples: false,
    error:
      summary.error?.code === INTERRUPTED_CODE
        ? summary.error
        : {
            code: INTERRUPTED_CODE,
            message: 'interrupted: DAGFlow stopped while this run was going; start it again with the same settings',
          },
  };
  const run: SessionRun = {
    id: summary.runId,
    label: summary.label,
    method: summary.method,
    columns: [...summary.variables],
    settings,
    summary: { view: json(shown) },
    status: 'interrupted',
  };
  const sampler = (settings.sampler ?? null) as { seed?: unknown } | null;
  if (sampler && typeof sampler.seed === 'number') run.seed = sampler.seed;
  return run;
}

/** Whether a run in the run store is an interrupted run restored from a session. */
export function isInterrupted(summary: RunSummaryView): boolean {
  return summary.status === 'failed' && summary.error?.code === INTERRUPTED_CODE;
}

/** Back from the session: what the run store held for this run (no result for an interrupted run). */
export function posteriorFromSessionRun(run: SessionRun): { summary: RunSummaryView; result?: PosteriorRunResult } {
  if (run.status === 'interrupted') {
    const view = (run.summary as { view?: RunSummaryView }).view;
    const summary: RunSummaryView = {
      runId: run.id,
      method: run.method as RunSummaryView['method'],
      label: run.label ?? run.id,
      datasetName: '',
      startedAt: 0,
      facts: [],
      ...(view ?? {}),
      variables: [...run.columns],
      jobIds: [],
      status: 'failed',
      hasSamples: false,
      error:
        view?.error?.code === INTERRUPTED_CODE
          ? view.error
          : {
              code: INTERRUPTED_CODE,
              message: 'interrupted: DAGFlow stopped while this run was going; start it again with the same settings',
            },
    };
    return { summary };
  }
  const d = run.columns.length;
  const stored = run.summary as {
    view?: unknown;
    facts?: unknown;
    ranked?: unknown;
    logZ?: unknown;
    diagnostics?: unknown;
    traces?: unknown;
  };
  const result: PosteriorRunResult = {
    variables: [...run.columns],
    edgeMarginals: Float64Array.from(run.edgeMarginals ?? []),
    facts: (stored.facts as PosteriorRunResult['facts'] | undefined) ?? [],
  };
  if (run.packedSamples) result.samples = unpackSampleMatrices(run.packedSamples, d);
  else if (run.samples) {
    // A version-1 file's named edge lists.
    const index = new Map(run.columns.map((c, k) => [c, k]));
    const adjacency = new Uint8Array(run.samples.length * d * d);
    run.samples.forEach((s, k) => {
      for (const [from, to] of s.edges) adjacency[k * d * d + index.get(from)! * d + index.get(to)!] = 1;
    });
    const weighted = run.samples.length > 0 && run.samples.every((s) => typeof s.logWeight === 'number');
    result.samples = {
      adjacency,
      logScores: Float64Array.from(run.samples.map((s) => s.logScore)),
      ...(weighted ? { logWeights: Float64Array.from(run.samples.map((s) => s.logWeight!)) } : {}),
      count: run.samples.length,
    };
  }
  if (stored.ranked !== undefined) result.ranked = stored.ranked as PosteriorRunResult['ranked'];
  if (typeof stored.logZ === 'number') result.logZ = stored.logZ;
  if (stored.diagnostics !== undefined) result.diagnostics = stored.diagnostics as PosteriorRunResult['diagnostics'];
  if (stored.traces !== undefined) result.traces = stored.traces as PosteriorRunResult['traces'];
  const summary = (stored.view as RunSummaryView | undefined) ?? {
    runId: run.id,
    jobIds: [],
    method: run.method as RunSummaryView['method'],
    label: run.label ?? run.id,
    datasetName: '',
    variables: [...run.columns],
    status: 'done',
    startedAt: 0,
    hasSamples: run.samples !== undefined || run.packedSamples !== undefined,
    facts: result.facts,
  };
  return { summary, result };
}
