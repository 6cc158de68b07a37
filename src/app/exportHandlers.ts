/**
 * Exports and graph imports from the window. Exports render a finished run in any format of
 * src/gflownet/export/renderExport.ts: as a download in browser mode, or written atomically where
 * the desktop app's native save dialog says (the renderer never sends a path). Graph imports
 * read the uploaded text with the engine's graph readers (edge list, DOT, GraphML, Tetrad,
 * adjacency matrix); errors name the file, the line and the unknown node or the cycle.
 */
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { EXPORT_FILE_TYPES } from '../gflownet/export/renderExport.ts';
import { importGraphFile } from '../gflownet/graphio/importGraph.ts';
import type { ApiHandlers, TrustView } from '../shared/api.ts';
import type { DataStore } from './dataStore.ts';
import { exportFileName, renderRunExport, saveRunExport } from './exportRun.ts';
import type { ExportProblem } from '../gflownet/export/causalEffects.ts';
import { DATA_EXPORTS, type ExportFormat } from '../shared/exchange.ts';
import type { NativeDialogs } from './nativeDialogs.ts';
import { requireResult } from './posteriorView.ts';
import type { RunStore } from './runStore.ts';

export interface ExportDeps {
  runs: RunStore;
  data: DataStore;
  dialogs?: NativeDialogs;
  /** "DAGFlow 0.1.0", in the report's footer. */
  generator: string;
  /** The run's data and score (effects, BIF/XMLBIF tables); undefined when they cannot be read. */
  problemOf?: (runId: string) => Promise<ExportProblem | undefined>;
  /** The run's trust verdict, written into every export's summary (the report shows it at the top). */
  trustOf?: (runId: string) => TrustView;
  /** The run's settings, data hash and app version, written into every export's summary. */
  provenanceOf?: (runId: string) => Promise<Array<{ label: string; value: string }>>;
}

export function createExportHandlers(deps: ExportDeps): Pick<ApiHandlers, 'exportRun' | 'saveExport' | 'importGraph'> {
  async function finishedRun(runId: string) {
    const run = deps.runs.get(runId);
    if (!run) throw new DagflowError('BAD_OPTION', `there is no run ${runId}`, {}, 'pick a run from the list');
    const result = requireResult(run.result, runId, run.summary.status);
    const trust = deps.trustOf?.(runId);
    const provenance = (await deps.provenanceOf?.(runId)) ?? [];
    // The verdict and the settings travel as more facts: every export's summary carries them, the report puts the verdict first.
    const facts = [
      ...(run.summary.facts.length > 0 ? run.summary.facts : result.facts),
      ...provenance,
      ...(trust
        ? [
            { label: 'trust', value: trust.headline },
            { label: 'trust evidence', value: trust.details.join(' ') },
          ]
        : []),
    ];
    return { summary: { ...run.summary, facts }, result };
  }

  /** Only the formats that use the data read it (causal-json and the report add effects with it). */
  async function problemFor(runId: string, format: ExportFormat): Promise<ExportProblem | undefined> {
    const uses = DATA_EXPORTS.includes(format) || format === 'report' || format === 'causal-json';
    return uses ? deps.problemOf?.(runId) : undefined;
  }

  return {
    async exportRun(request) {
      const { summary, result } = await finishedRun(request.runId);
      return renderRunExport(summary, result, request, deps.generator, await problemFor(request.runId, request.format));
    },

    async saveExport(request) {
      if (!deps.dialogs)
        throw new DagflowError('BAD_OPTION', 'there is no native save dialog in browser mode', {}, 'the export is downloaded instead');
      const { summary, result } = await finishedRun(request.runId);
      const type = EXPORT_FILE_TYPES[request.format];
      const target = await deps.dialogs.saveFile({
        title: `Export ${summary.label}`,
        defaultName: exportFileName(summary, request.format),
        filters: [{ name: type.description, extensions: [type.extension.slice(1)] }],
      });
      if (!target) return null;
      const problem = await problemFor(request.runId, request.format);
      return saveRunExport(summary, result, request, target, deps.generator, problem).catch((e: unknown) => {
        if (e instanceof DagflowError && e.location.file) e.location.file = path.basename(e.location.file);
        throw e;
      });
    },

    async importGraph(request) {
      // The engine's readers take files: the text goes to a private temporary file first.
      const file = deps.data.saveUpload(request.fileName, new TextEncoder().encode(request.text)).path;
      const graph = await importGraphFile(file, request.variables, { acyclic: request.purpose !== 'forbidden' }).catch((e: unknown) => {
        if (e instanceof DagflowError && e.location.file === file) e.location.file = request.fileName;
        throw e;
      });
      return { fileName: request.fileName, format: graph.format, edges: graph.edges };
    },
  };
}
