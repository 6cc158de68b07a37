/**
 * The window's state for one session: the opened data set and how to read it, the model, the
 * sampler, the runs and their live progress. Screens read and write it; all engine work goes
 * through the API contract, and job events flow in here.
 */
import {
  api,
  ApiError,
  type ReferenceGraphView,
  type ApiErrorInfo,
  type AppInfo,
  type Capabilities,
  type DataOptions,
  type DataPreview,
  type DataReport,
  type JobEvent,
  type ModelSpec,
  type OpenDataRequest,
  type RunSummaryView,
  type SamplerSpec,
} from '../api/index.ts';
import { inWindowWords } from './errorText.ts';
import {
  DEFAULT_GFLOWNET_SAMPLES,
  DEFAULT_MCMC_BURN_IN,
  DEFAULT_MCMC_CHAINS,
  DEFAULT_SEED,
  WINDOW_MCMC_ITERATIONS,
  WINDOW_TIME_LIMIT_SECONDS,
} from '../../../shared/samplerDefaults.ts';
import { readProgress, type ProgressSample } from './progress.ts';
import { marginalHistory } from './marginalHistory.svelte.ts';

export type Screen = 'import' | 'model' | 'run' | 'posterior' | 'answers' | 'compare' | 'sweep';
export const SCREENS: Array<{ id: Screen; title: string }> = [
  { id: 'import', title: 'Import' },
  { id: 'model', title: 'Model' },
  { id: 'run', title: 'Run' },
  { id: 'posterior', title: 'Posterior' },
  { id: 'answers', title: 'Answers' },
  { id: 'compare', title: 'Compare' },
  { id: 'sweep', title: 'Sweep' },
];

export function messageOf(e: unknown): string {
  return inWindowWords(e instanceof ApiError || e instanceof Error ? e.message : String(e));
}

export function defaultModel(kind: 'continuous' | 'discrete' = 'continuous'): ModelSpec {
  return {
    score: kind === 'discrete' ? 'bdeu' : 'bge',
    mean: 'zero',
    ess: 1,
    prior: { kind: 'uniform', edgesPerNode: 1, beta: 0.5 },
    knowledge: { forbidden: [], required: [] },
  };
}

export function defaultSampler(method: SamplerSpec['method'] = 'gflownet'): SamplerSpec {
  switch (method) {
    // The command line's defaults (shared/samplerDefaults.ts), but for the window's time limit: a
    // window run ends by itself. No GFlowNet iteration count: it trains until the time is up, as
    // `dagflow train --time-limit` does; MCMC thinning is the engine's (about 2,500 kept per chain).
    case 'gflownet':
      return { method, timeLimitSeconds: WINDOW_TIME_LIMIT_SECONDS, seed: DEFAULT_SEED, samples: DEFAULT_GFLOWNET_SAMPLES };
    case 'exact':
      return { method };
    default:
      return {
        method,
        iterations: WINDOW_MCMC_ITERATIONS,
        timeLimitSeconds: WINDOW_TIME_LIMIT_SECONDS,
        seed: DEFAULT_SEED,
        chains: DEFAULT_MCMC_CHAINS,
        burnIn: DEFAULT_MCMC_BURN_IN,
      };
  }
}

class Session {
  screen = $state<Screen>('import');
  info = $state<AppInfo | undefined>();
  caps = $state<Capabilities | undefined>();
  preview = $state<DataPreview | undefined>();
  report = $state<DataReport | undefined>();
  dataOptions = $state<DataOptions>({ standardize: true, missing: 'refuse' });
  sidecarName = $state<string | undefined>();
  model = $state<ModelSpec>(defaultModel());
  sampler = $state<SamplerSpec>(defaultSampler('exact'));
  runs = $state<RunSummaryView[]>([]);
  /** Progress history per job id (newest last), for bars and live charts. */
  progress = $state<Record<string, ProgressSample[]>>({});
  /** Latest edge-marginal estimate per job id, while it runs. */
  liveMarginals = $state<Record<string, number[]>>({});
  selectedRun = $state<string | undefined>();
  error = $state<string | undefined>();
  busy = $state<string | undefined>();
  /** File › Export… was chosen; the Posterior screen saves the shown run. */
  exportRequested = $state(false);
  /** The Posterior screen's consensus threshold (kept in session files, used by exports). */
  threshold = $state(0.5);
  /** The Posterior screen's graph layout (kept in session files). */
  graphLayout = $state<'layered' | 'circle' | 'cose'>('layered');
  /** A reference ("true") graph imported on the Compare screen, by variable names. */
  reference = $state<ReferenceGraphView | null>(null);

  /** A data file being opened, and why the last one could not be. */
  openBusy = $state(false);
  openError = $state<string | undefined>();
  /** The last data error's code and location (Import screen: where it is, in the preview's numbering; what to offer). */
  dataErrorInfo = $state<ApiErrorInfo | undefined>();

  private started = false;
  /** The data options the current report was read with. */
  private appliedOptions = '';

  start(): () => void {
    if (this.started) return () => {};
    this.started = true;
    api
      .getAppInfo()
      .then((i) => (this.info = i))
      .catch((e: unknown) => (this.error = messageOf(e)));
    api
      .getCapabilities()
      .then((c) => (this.caps = c))
      .catch((e: unknown) => (this.error = messageOf(e)));
    void this.refreshRuns();
    return api.onJobEvent((event) => this.onJobEvent(event));
  }

  get variables(): string[] {
    return this.report?.variables ?? [];
  }

  async refreshRuns(): Promise<void> {
    try {
      this.runs = await api.listRuns();
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private onJobEvent(event: JobEvent): void {
    if (event.type === 'progress') {
      const sample = readProgress(event);
      if (sample.edgeMarginals) {
        this.liveMarginals[event.jobId] = sample.edgeMarginals;
        marginalHistory.record(event.jobId, sample.edgeMarginals);
        delete sample.edgeMarginals;
      }
      const list = this.progress[event.jobId] ?? [];
      // Keep the history bounded: live charts need shape, not every point.
      const next = list.length >= 600 ? [...list.filter((_, k) => k % 2 === 0), sample] : [...list, sample];
      this.progress[event.jobId] = next;
    } else if (event.type === 'status') {
      if (this.runs.some((r) => r.jobIds.includes(event.job.id))) void this.refreshRuns();
    }
  }

  /** Open a data file (sample, upload, recent file or the desktop dialog) and read it on the Import screen. */
  async openData(request: OpenDataRequest): Promise<void> {
    this.openBusy = true;
    this.openError = undefined;
    this.dataErrorInfo = undefined;
    try {
      const result = await api.openData(request);
      if (result) {
        this.preview = result;
        this.report = undefined;
        this.dataOptions = { standardize: true, missing: 'refuse' };
        this.sidecarName = undefined;
        // A sample that comes with its intervention sidecar is read with it.
        const sidecar = request.source === 'sample' ? this.caps?.sidecarSamples[result.name] : undefined;
        if (sidecar) {
          this.dataOptions = { ...this.dataOptions, interventionSample: sidecar };
          this.sidecarName = sidecar;
        }
        this.screen = 'import';
        await this.inspect();
      }
    } catch (e) {
      this.openError = messageOf(e);
      this.dataErrorInfo = e instanceof ApiError ? e.info : undefined;
      // The new file could not be read: the old one's preview must not pass for it.
      this.preview = undefined;
      this.report = undefined;
      this.error = undefined;
    } finally {
      this.openBusy = false;
    }
  }

  async inspect(): Promise<void> {
    if (!this.preview) return;
    this.busy = 'Reading the whole file…';
    this.error = undefined;
    this.dataErrorInfo = undefined;
    try {
      const options = $state.snapshot(this.dataOptions);
      const report = await api.inspectData({ datasetId: this.preview.datasetId, options });
      this.appliedOptions = JSON.stringify(options);
      const kindChanged = this.report?.kind !== report.kind;
      const columnsChanged = this.report?.variables.join('\u0000') !== report.variables.join('\u0000');
      this.report = report;
      if (kindChanged) this.model = { ...this.model, score: report.kind === 'discrete' ? 'bdeu' : 'bge' };
      if (columnsChanged) this.model = { ...this.model, knowledge: { forbidden: [], required: [] } };
    } catch (e) {
      this.report = undefined;
      this.error = messageOf(e);
      this.dataErrorInfo = e instanceof ApiError ? e.info : undefined;
    } finally {
      this.busy = undefined;
    }
  }

  async startRun(): Promise<RunSummaryView | undefined> {
    if (!this.preview || !this.report) {
      this.error = 'Open a data set on the Import screen first.';
      return undefined;
    }
    this.error = undefined;
    if (JSON.stringify($state.snapshot(this.dataOptions)) !== this.appliedOptions) {
      // The Import settings changed since they were applied: read the file again first, so that
      // the variables (and the prior knowledge over them) are the ones the run will use.
      await this.inspect();
      if (!this.report) return undefined;
    }
    try {
      const run = await api.startRun({
        datasetId: this.preview.datasetId,
        data: $state.snapshot(this.dataOptions),
        model: $state.snapshot(this.model),
        sampler: $state.snapshot(this.sampler),
      });
      this.runs = [...this.runs.filter((r) => r.runId !== run.runId), run];
      return run;
    } catch (e) {
      this.error = messageOf(e);
      return undefined;
    }
  }

  async cancelRun(runId: string): Promise<void> {
    try {
      await api.cancelRun({ runId });
    } catch (e) {
      this.error = messageOf(e);
    }
  }
}

export const session = new Session();
