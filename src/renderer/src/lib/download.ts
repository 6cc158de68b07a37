import { api, type ExportFormat } from '../api/index.ts';

/** Ask the Node side for a run's export and hand it to the browser's (or Electron's) save flow. */
export async function downloadExport(runId: string, format: ExportFormat): Promise<string> {
  const file = await api.exportRun({ runId, format });
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file.fileName;
}
