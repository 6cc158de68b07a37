/**
 * The one way the renderer reaches the Node side: the preload's `window.dagflow` in Electron,
 * or the HTTP client in browser mode. Both implement the same contract.
 */
import type { DagflowApi } from '../../../shared/api.ts';
import { createHttpApi } from './httpClient.ts';

declare global {
  interface Window {
    dagflow?: DagflowApi;
  }
}

export const api: DagflowApi = window.dagflow ?? createHttpApi();
export { ApiError } from '../../../shared/api.ts';
export type * from '../../../shared/api.ts';
