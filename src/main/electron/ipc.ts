/**
 * One IPC handler per API operation, each validating its argument and checking that the call
 * comes from the app's own page before anything runs. Job events go to every window.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { API_OPERATIONS, IPC_EVENT_CHANNEL, ipcChannel, type ApiHandlers } from '../../shared/api.ts';
import { dispatchApi } from '../../app/dispatch.ts';
import type { JobHost } from '../../jobs/host.ts';
import { forwardToWindow } from '../../jobs/windowEvents.ts';

export function registerIpcHandlers(
  ipc: Pick<IpcMain, 'handle'>,
  handlers: ApiHandlers,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): string[] {
  const channels: string[] = [];
  for (const op of API_OPERATIONS) {
    const channel = ipcChannel(op);
    ipc.handle(channel, async (event, request: unknown) => {
      if (!isTrustedSender(event))
        return { ok: false, error: { message: 'refused: the request did not come from the DAGFlow window', code: 'FORBIDDEN' } };
      return dispatchApi(handlers, op, request);
    });
    channels.push(channel);
  }
  return channels;
}

export function forwardJobEvents(host: JobHost, targets: () => WebContents[]): () => void {
  return host.onEvent((event) => {
    if (!forwardToWindow(event)) return;
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, event);
  });
}
