/**
 * The Node-side implementation of the API contract, shared by the Electron IPC layer and the
 * browser-mode server. Requests arrive here already validated (src/shared/apiValidation.ts).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import type { ApiHandlers, AppInfo, DataPreview, Transport } from '../shared/api.ts';
import { readVersion } from '../shared/version.ts';
import { errorOfJob } from '../jobs/failure.ts';
import type { JobHost } from '../jobs/host.ts';
import type { JobErrorInfo } from '../jobs/protocol.ts';
import type { DataStore, OpenedData } from './dataStore.ts';
import { SAMPLE_CATALOGUE } from './samples.ts';
import { RunStore } from './runStore.ts';
import { createWorkflowHandlers } from './workflowHandlers.ts';
import { createExportHandlers } from './exportHandlers.ts';
import type { NativeDialogs } from './nativeDialogs.ts';
import { createSessionHandlers } from './sessionHandlers.ts';
import { createAnswersHandlers } from './answersHandlers.ts';
import { loadAnswersProblem } from './answersProblem.ts';
import { createSweepHandlers } from './sweepHandlers.ts';
import { createDesignHandlers } from './designHandlers.ts';
import { createModelHandlers } from './modelHandlers.ts';
import type { RecoveryOptions } from './session/recovery.ts';
import { TrustChecks } from './trustChecks.ts';
import { RunProvenance } from './runProvenance.ts';
import { dataSpecFor, problemSpecFor } from './problemSpec.ts';

export interface HandlerDeps {
  transport: Transport;
  host: JobHost;
  data: DataStore;
  samplesDir: string;
  /** Native open dialog; absent in browser mode. Resolves a path or null when dismissed. */
  showOpenDialog?: () => Promise<string | null>;
  /** Called with each file the user opened through the dialog (recent files, menus). */
  onFileOpened?: (filePath: string) => void;
  /** The desktop app's recent files, newest first; absent in browser mode. */
  recentFiles?: () => string[];
  /** The session's runs; one is made when absent. */
  runs?: RunStore;
  /** Native save/open dialogs (desktop app): exports are written and sessions saved where the user says. */
  dialogs?: NativeDialogs;
  /** Receives the function that writes a pending session autosave (call it before quitting). */
  onFlushSession?: (flush: () => Promise<void>) => void;
  /** Receives the function that writes pending changes and keeps unsaved work for recovery (browser mode's stop); it resolves with the files kept. */
  onStopSession?: (stop: () => Promise<string[]>) => void;
  /** Autosave quiet time in ms (default 1500). */
  sessionDebounceMs?: number;
  /** Where an untitled session autosaves, to be offered back after a crash. */
  recovery?: RecoveryOptions;
}

const PREVIEW_ROWS = 200;

export function createApiHandlers(deps: HandlerDeps): ApiHandlers {
  let appInfo: Promise<AppInfo> | undefined;

  async function preview(opened: OpenedData): Promise<DataPreview> {
    // Counting rows reads the whole file: do it in a worker so a 200 MB file never blocks.
    const id = deps.host.submit('preview', { path: opened.path, name: opened.name, maxRows: PREVIEW_ROWS }, `preview ${opened.name}`);
    const result = await deps.host.wait<'preview'>(id).catch((failure: { info?: JobErrorInfo }) => {
      throw errorOfJob(failure.info, 'could not read the file');
    });
    return { datasetId: opened.id, name: opened.name, sizeBytes: opened.sizeBytes, ...result };
  }

  function registerPath(filePath: string): OpenedData {
    let size: number;
    try {
      size = statSync(filePath).size;
    } catch {
      throw new DagflowError(
        'IO',
        'the file cannot be read',
        { file: path.basename(filePath) },
        'check that it exists and that you may read it',
      );
    }
    return deps.data.register(filePath, size);
  }

  const runs = deps.runs ?? new RunStore(deps.host);
  const generator = `DAGFlow ${readVersion()}`;
  const workflow = createWorkflowHandlers({ host: deps.host, data: deps.data, runs, samplesDir: deps.samplesDir });
  const sessions = createSessionHandlers({
    host: deps.host,
    data: deps.data,
    runs,
    dialogs: deps.dialogs,
    preview,
    registerPath,
    generator,
    debounceMs: deps.sessionDebounceMs,
    recovery: deps.recovery,
  });
  deps.onFlushSession?.(sessions.flush);
  deps.onStopSession?.(sessions.stopKeepingUnsaved);
  const trust = new TrustChecks({ host: deps.host, runs });
  const provenance = new RunProvenance(readVersion());
  const answers = createAnswersHandlers({ runs, loadProblem: (request) => loadAnswersProblem(deps.data, deps.samplesDir, request) });
  const design = createDesignHandlers({
    host: deps.host,
    runs,
    problemOf: answers.problemOf,
    data: deps.data,
    samplesDir: deps.samplesDir,
  });
  return {
    ...workflow,
    ...answers.handlers,
    ...design.handlers,
    ...createExportHandlers({
      runs,
      data: deps.data,
      dialogs: deps.dialogs,
      generator,
      trustOf: (runId) => trust.trustOf({ runId }),
      provenanceOf: (runId) => provenance.factsOf(runId),
      problemOf: async (runId) => {
        const problem = await answers.problemOf(runId);
        return 'unavailable' in problem ? undefined : problem;
      },
    }),
    ...sessions.handlers,
    ...createSweepHandlers({ dialogs: deps.dialogs }),
    ...createModelHandlers({ host: deps.host, data: deps.data, samplesDir: deps.samplesDir }),

    async startRun(request) {
      const run = await workflow.startRun(request);
      // Its settings (data options, model, sampler with the seed) go into the session file.
      sessions.recordRun(run.runId, request);
      answers.recordRun(run.runId, request);
      design.recordRun(run.runId, request);
      // The same problem the run was built from (problemSpec.ts), so runs of one problem share an exact check.
      const problem = problemSpecFor(dataSpecFor(deps.data, deps.samplesDir, request.datasetId, request.data), request.model);
      trust.recordRun(run.runId, problem);
      // Exports carry every setting, the data's hash and the version (runProvenance.ts).
      provenance.recordRun(run.runId, problem, request.sampler);
      return run;
    },

    async getTrust(request) {
      if (!runs.get(request.runId))
        throw new DagflowError('BAD_OPTION', `there is no run ${request.runId}`, {}, 'pick a run from the list');
      return trust.trustOf(request);
    },

    async getAppInfo() {
      appInfo ??= (async () => {
        const { selectBackend } = await import('../gflownet/backend/select.ts');
        const choice = await selectBackend('auto');
        return {
          version: readVersion(),
          backend: choice.backend,
          backendReason: choice.reason,
          transport: deps.transport,
          platform: process.platform,
          maxConcurrentJobs: availableParallelism(),
        };
      })();
      return appInfo;
    },

    async listRecentFiles() {
      // Names only: full paths stay on the Node side.
      return (deps.recentFiles?.() ?? []).map((p) => path.basename(p));
    },

    async listSamples() {
      return SAMPLE_CATALOGUE;
    },

    async openData(request) {
      switch (request.source) {
        case 'dialog': {
          if (!deps.showOpenDialog) {
            throw new DagflowError(
              'BAD_OPTION',
              'there is no native file dialog in browser mode',
              {},
              'choose the file with the "Open CSV" button or drop it on the page',
            );
          }
          const chosen = await deps.showOpenDialog();
          if (!chosen) return null;
          const opened = registerPath(chosen);
          deps.onFileOpened?.(chosen);
          return preview(opened);
        }
        case 'sample': {
          const sample = SAMPLE_CATALOGUE.find((s) => s.name === request.name);
          if (!sample) throw new DagflowError('BAD_OPTION', `there is no sample called "${request.name}"`);
          return preview(registerPath(path.join(deps.samplesDir, sample.name)));
        }
        case 'recent': {
          const chosen = deps.recentFiles?.()[request.index];
          if (!chosen) throw new DagflowError('BAD_OPTION', 'that recent file is no longer in the list', {}, 'open it with File › Open');
          const opened = registerPath(chosen);
          deps.onFileOpened?.(chosen);
          return preview(opened);
        }
        case 'upload':
          return preview(deps.data.saveUpload(request.fileName, request.content));
      }
    },

    async startJob(request) {
      const jobId = deps.host.submit(request.kind, request.params, request.kind === 'selftest' ? 'backend self-test' : request.kind);
      return { jobId };
    },

    async cancelJob(request) {
      return { cancelled: deps.host.cancel(request.jobId) };
    },

    async listJobs() {
      return deps.host.list().filter((j) => j.kind !== 'preview' && j.kind !== 'inspect');
    },
  };
}
