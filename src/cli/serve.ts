/**
 * `npm run serve [-- --port N] [-- --host ADDR]`: the app in a browser, backed by the same job
 * host and engine as the desktop window. The command line of the browser-mode server
 * (src/server): it reads its flags like every dagflow command and wires the app's handlers to
 * the server.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { userMessage } from '../gflownet/core/errors.ts';
import { inCliWords } from './fieldFlags.ts';
import { parseFlags } from './flags.ts';
import { JobHost } from '../jobs/host.ts';
import { DataStore } from '../app/dataStore.ts';
import { createApiHandlers } from '../app/handlers.ts';
import { findSamplesDir } from '../app/samples.ts';
import { defaultRecoveryFolder, ensurePrivateFolder } from '../app/session/privateFolder.ts';
import { newToken } from '../server/auth.ts';
import { startBrowserServer } from '../server/server.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const flags = {
  port: { type: 'number', integer: true, min: 0, max: 65535, default: 0, help: 'port (0 = any free port)' },
  host: { type: 'string', default: '127.0.0.1', help: 'bind address (default loopback only)' },
  'recovery-dir': {
    type: 'string',
    default: '',
    help: 'folder for autosaves of unsaved sessions, yours alone (default: ~/.local/state/dagflow/recovery)',
  },
} as const;

export async function main(argv: string[]): Promise<void> {
  const opts = parseFlags(argv, flags);
  const rendererDir = path.join(projectRoot, 'out', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${rendererDir} is missing): run npm run build`);
  }
  if (opts.host !== '127.0.0.1' && opts.host !== '::1' && opts.host !== 'localhost') {
    console.warn(
      `warning: binding to ${opts.host} lets other machines reach DAGFlow; anyone with the token can run jobs and read the data you open.`,
    );
  }
  const host = new JobHost();
  const data = new DataStore();
  let stopSession: () => Promise<string[]> = async () => [];
  // Unsaved sessions autosave here, so a server that crashed or was killed loses nothing.
  const recoveryDir = opts['recovery-dir'] === '' ? defaultRecoveryFolder() : path.resolve(opts['recovery-dir']);
  // Refused at start (another user's folder, a link) rather than at the first autosave.
  await ensurePrivateFolder(recoveryDir);
  const handlers = createApiHandlers({
    transport: 'browser',
    host,
    data,
    samplesDir: findSamplesDir([path.join(projectRoot, 'samples')]),
    recovery: { folder: recoveryDir },
    onStopSession: (stop) => (stopSession = stop),
  });
  const running = await startBrowserServer({
    handlers,
    host,
    rendererDir,
    token: newToken(),
    port: opts.port,
    bindAddress: opts.host === 'localhost' ? '127.0.0.1' : opts.host,
  });
  console.log(`DAGFlow is running in browser mode: ${running.url}`);
  const stop = async (): Promise<void> => {
    await running.close();
    // Ctrl+C or SIGTERM: the window had no say, so unsaved work stays in the recovery folder
    // (offered at the next start with this folder) unless it was saved since its last change.
    const kept = await stopSession().catch(() => [] as string[]);
    for (const file of kept)
      console.log(`The unsaved session is kept in ${file}; start DAGFlow again with this recovery folder to recover it.`);
    await host.shutdown();
    data.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`dagflow serve: ${inCliWords(userMessage(e)).replace(/^internal error: /, '')}`);
  process.exit(2);
});
