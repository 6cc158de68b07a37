/** Builds the contract's client over two IPC primitives; kept free of Electron so tests can check it. */
import {
  API_OPERATIONS,
  IPC_EVENT_CHANNEL,
  IPC_MENU_CHANNEL,
  ipcChannel,
  unwrapEnvelope,
  type ApiEnvelope,
  type ApiOperation,
  type DagflowApi,
  type JobEvent,
  type MenuCommand,
} from '../shared/api.ts';

type Invoke = (channel: string, request: unknown) => Promise<unknown>;
type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

export function buildPreloadApi(invoke: Invoke, subscribe: Subscribe): DagflowApi {
  const call = async (op: ApiOperation, request?: unknown): Promise<never> =>
    unwrapEnvelope((await invoke(ipcChannel(op), request)) as ApiEnvelope<never>);
  const api = Object.fromEntries(API_OPERATIONS.map((op) => [op, (request?: unknown) => call(op, request)])) as unknown as Omit<
    DagflowApi,
    'onJobEvent' | 'onMenuCommand'
  >;
  return Object.freeze({
    ...api,
    onJobEvent: (listener: (event: JobEvent) => void) => subscribe(IPC_EVENT_CHANNEL, (payload) => listener(payload as JobEvent)),
    onMenuCommand: (listener: (command: MenuCommand) => void) => subscribe(IPC_MENU_CHANNEL, (payload) => listener(payload as MenuCommand)),
  });
}
