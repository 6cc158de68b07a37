/**
 * The bridge between the sandboxed renderer and the main process: exactly the typed API of the
 * contract, one function per operation plus an event subscription, nothing generic.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api.ts';

contextBridge.exposeInMainWorld(
  'dagflow',
  buildPreloadApi(
    (channel, request) => ipcRenderer.invoke(channel, request),
    (channel, listener) => {
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => void ipcRenderer.removeListener(channel, wrapped);
    },
  ),
);
