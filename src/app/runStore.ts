/**
 * The runs of this session, by run id, on the Node side: what was asked, which jobs carry it,
 * and, once they finish, the posterior they produced. The renderer never holds samples; it asks
 * for the views it shows (posterior.ts, compare.ts) by run id.
 */
import type { JobEvent, JobHost, JobSummary } from '../jobs/host.ts';
import type { PosteriorRunResult } from '../jobs/kinds/posteriorResult.ts';
import type { RunStatus, RunSummaryView, SamplerMethod } from '../shared/workflow.ts';

export interface RunRecord {
  summary: RunSummaryView;
  /** Per job: its result once done. */
  partial: Map<string, unknown>;
  result?: PosteriorRunResult;
  /** Combines the jobs' results into one posterior (several MCMC chains → one run). */
  combine: (results: unknown[]) => PosteriorRunResult;
}

export interface NewRun {
  method: SamplerMethod;
  label: string;
  datasetName: string;
  variables: string[];
  jobIds: string[];
  combine: (results: unknown[]) => PosteriorRunResult;
}

export class RunStore {
  private readonly runs = new Map<string, RunRecord>();
  private readonly byJob = new Map<string, string>();
  private nextId = 1;
  private readonly off: () => void;

  constructor(private readonly host: JobHost) {
    this.off = host.onEvent((event) => this.onJobEvent(event));
  }

  add(run: NewRun): RunSummaryView {
    const runId = `run-${this.nextId++}`;
    const summary: RunSummaryView = {
      runId,
      jobIds: run.jobIds,
      method: run.method,
      label: run.label,
      datasetName: run.datasetName,
      variables: run.variables,
      status: 'queued',
      startedAt: Date.now(),
      hasSamples: false,
      facts: [],
    };
    this.runs.set(runId, { summary, partial: new Map(), combine: run.combine });
    for (const id of run.jobIds) this.byJob.set(id, runId);
    // Jobs may have moved on before the run was registered.
    for (const id of run.jobIds) {
      const job = this.host.get(id);
      if (job) this.onStatus(job);
    }
    return { ...summary };
  }

  /**
   * Runs read back from a session file replace the finished runs (running ones stay). A run keeps
   * its id unless a running run has it; `renamed` lists the ids that changed.
   */
  /** Runs back from a session: finished ones with their result, interrupted ones (no result) as failed with their reason. */
  restore(restored: Array<{ summary: RunSummaryView; result?: PosteriorRunResult }>): {
    summaries: RunSummaryView[];
    renamed: Record<string, string>;
  } {
    for (const [id, run] of [...this.runs]) {
      if (!isFinal(run.summary.status)) continue;
      this.runs.delete(id);
      for (const job of run.summary.jobIds) this.byJob.delete(job);
    }
    const renamed: Record<string, string> = {};
    const summaries: RunSummaryView[] = [];
    const numberOf = (id: string): number => Number(/^run-(\d+)$/.exec(id)?.[1] ?? 0);
    for (const { summary: stored, result } of restored) {
      let runId = stored.runId;
      if (!/^run-\d{1,9}$/.test(runId) || this.runs.has(runId)) {
        runId = `run-${this.nextId++}`;
        renamed[stored.runId] = runId;
      }
      this.nextId = Math.max(this.nextId, numberOf(runId) + 1);
      // The jobs that made it are gone: no job event may be taken for this run.
      const summary: RunSummaryView = result
        ? { ...stored, runId, jobIds: [], status: 'done', hasSamples: result.samples !== undefined, variables: [...result.variables] }
        : { ...stored, runId, jobIds: [], status: 'failed', hasSamples: false };
      this.runs.set(runId, {
        summary,
        partial: new Map(),
        ...(result ? { result } : {}),
        combine: () => {
          throw new Error(`run ${runId} has no jobs`);
        },
      });
      summaries.push({ ...summary });
    }
    return { summaries, renamed };
  }

  list(): RunSummaryView[] {
    return [...this.runs.values()].map((r) => ({ ...r.summary }));
  }

  get(runId: string): RunRecord | undefined {
    return this.runs.get(runId);
  }

  dispose(): void {
    this.off();
  }

  private onJobEvent(event: JobEvent): void {
    if (event.type === 'status') this.onStatus(event.job);
    else if (event.type === 'result') {
      const run = this.runOf(event.jobId);
      if (run) run.partial.set(event.jobId, event.result);
    }
  }

  private runOf(jobId: string): RunRecord | undefined {
    const runId = this.byJob.get(jobId);
    return runId ? this.runs.get(runId) : undefined;
  }

  private onStatus(job: JobSummary): void {
    const run = this.runOf(job.id);
    if (!run || isFinal(run.summary.status)) return;
    const jobs = run.summary.jobIds.map((id) => this.host.get(id));
    const statuses = jobs.map((j) => j?.status ?? 'failed');
    const failed = jobs.find((j) => j?.status === 'failed');
    let status: RunStatus;
    if (failed) status = 'failed';
    else if (statuses.includes('cancelled')) status = statuses.every(isFinal) ? 'cancelled' : 'running';
    else if (statuses.every((s) => s === 'done')) status = 'done';
    else if (statuses.some((s) => s !== 'queued')) status = 'running';
    else status = 'queued';

    if (status === 'failed') {
      // One chain failing spoils the run: stop the others.
      for (const id of run.summary.jobIds) this.host.cancel(id);
      run.summary.error = { message: failed!.error?.message ?? 'the job failed', code: failed!.error?.code ?? 'INTERNAL' };
    }
    if (status === 'done') {
      try {
        const result = run.combine(run.summary.jobIds.map((id) => run.partial.get(id)));
        run.result = result;
        run.summary.hasSamples = result.samples !== undefined;
        run.summary.facts = result.facts;
        run.summary.variables = result.variables;
      } catch (e) {
        status = 'failed';
        run.summary.error = { message: `the run finished but its results could not be read: ${(e as Error).message}`, code: 'INTERNAL' };
      }
      run.partial.clear();
    }
    run.summary.status = status;
    if (isFinal(status)) run.summary.endedAt = Date.now();
  }
}

function isFinal(status: RunStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
