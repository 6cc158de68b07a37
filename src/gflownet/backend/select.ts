import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DagflowError } from '../core/errors.ts';

/**
 * Picks the TensorFlow.js backend for the engine, best first (docs/architecture.md §5):
 * `tensorflow` (native libtensorflow from @tensorflow/tfjs-node-gpu or tfjs-node) › `wasm` › `cpu`,
 * and keeps the reason so the app can say why it runs on what it runs on.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;

export interface BackendChoice {
  backend: BackendName;
  /** e.g. "wasm: @tensorflow/tfjs-node is not installed". */
  reason: string;
  /** Package that supplied the native backend, when it is the native one. */
  nativePackage?: string;
}

const require = createRequire(import.meta.url);
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: BackendChoice | undefined;

/** Which native package can be loaded here, and why not when none can. */
export function probeNativeBackend(): { pkg?: string; why: string } {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      require.resolve(pkg);
    } catch {
      failures.push(`${pkg} is not installed`);
      continue;
    }
    try {
      require(pkg);
      return { pkg, why: `${pkg} loaded` };
    } catch (e) {
      failures.push(`${pkg} is installed but failed to load (${(e as Error).message.split('\n')[0]})`);
    }
  }
  // The GPU package is an optional extra; report the CPU one when both are absent.
  const relevant = failures.find((f) => f.startsWith('@tensorflow/tfjs-node ')) ?? failures[0] ?? 'no native package';
  return { why: relevant };
}

function wasmDirectory(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

async function activateWasm(): Promise<boolean> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmDirectory());
  try {
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/** Select and activate a backend. `request` forces one; forcing an unavailable one is an error. */
export async function selectBackend(request: BackendRequest = 'auto'): Promise<BackendChoice> {
  if (request !== 'auto' && !['tensorflow', 'wasm', 'cpu'].includes(request)) {
    throw new DagflowError('BAD_OPTION', `unknown backend "${String(request)}"`, { field: 'backend' }, 'use auto, tensorflow, wasm or cpu');
  }
  if (current && (request === 'auto' || request === current.backend)) return current;

  let choice: BackendChoice | undefined;
  if (request === 'auto' || request === 'tensorflow') {
    const native = probeNativeBackend();
    if (native.pkg && (await tf.setBackend('tensorflow'))) {
      choice = { backend: 'tensorflow', reason: `tensorflow: native libtensorflow from ${native.pkg}`, nativePackage: native.pkg };
    } else if (request === 'tensorflow') {
      throw new DagflowError(
        'BAD_OPTION',
        `the tensorflow backend is not available: ${native.why}`,
        { field: 'backend' },
        'install @tensorflow/tfjs-node on a machine with internet, or use {{backend=wasm}}',
      );
    } else {
      if (await activateWasm()) choice = { backend: 'wasm', reason: `wasm: ${native.why}` };
    }
  } else if (request === 'wasm') {
    if (!(await activateWasm()))
      throw new DagflowError('BAD_OPTION', 'the wasm backend failed to initialise', { field: 'backend' }, 'use {{backend=cpu}}');
    choice = { backend: 'wasm', reason: 'wasm: requested' };
  }
  if (!choice) {
    await tf.setBackend('cpu');
    choice = { backend: 'cpu', reason: request === 'cpu' ? 'cpu: requested' : 'cpu: neither the native nor the wasm backend could start' };
  }
  // Production mode: no debug checks, and no console banner from the cpu backend in CLI JSON output.
  tf.enableProdMode();
  await tf.ready();
  current = choice;
  return choice;
}
