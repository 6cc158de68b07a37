/**
 * `dagflow session`: pack run folders and their data into a `.dagflow` session file, or check
 * one (version, runs, where its data is now). The same files the app saves and reopens.
 *
 *   dagflow session --create FILE --data DATA.csv --runs DIR[,DIR…] [--embed-data] [--checkpoints]
 *   dagflow session --check FILE [--json]
 */
import * as path from 'node:path';
import { stat } from 'node:fs/promises';
import { DagflowError } from '../../gflownet/core/errors.ts';
import { loadRunDirectory } from '../../gflownet/export/runDirectory.ts';
import { makeDataReference, resolveDataReference } from '../../gflownet/session/dataReference.ts';
import { emptySession, type SessionRun } from '../../gflownet/session/schema.ts';
import { readSessionFile, sessionRunFromResults, sessionRunSampleCount, writeSessionFile } from '../../gflownet/session/sessionFile.ts';
import { readVersion } from '../../shared/version.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { refuseOwnInput } from '../ownInputs.ts';

const flags = {
  create: { type: 'string', valueName: 'FILE.dagflow', help: 'write a new session (an existing file is kept as FILE.bak)' },
  check: {
    type: 'string',
    valueName: 'FILE.dagflow',
    help: 'read a session and report its version, runs and data (exit status 1 when the data is missing or changed)',
  },
  data: { type: 'string', valueName: 'DATA.csv', help: 'with --create: the data the runs were computed on' },
  runs: {
    type: 'string',
    valueName: 'DIR[,DIR…]',
    help: 'with --create: run folders (dagflow train / mcmc --out); the run id is the folder name',
  },
  'embed-data': { type: 'boolean', help: 'with --create: store the data inside the session' },
  checkpoints: { type: 'boolean', help: 'with --create: store each run’s checkpoint/ folder too' },
  json: { type: 'boolean', help: 'print one JSON object' },
} as const;

const summary = 'pack run folders and their data into a .dagflow session, or check one';

async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

export const command: CliCommand = {
  name: 'session',
  summary,
  help: formatHelp(
    'dagflow session (--create FILE --data DATA.csv --runs DIR[,DIR…] [--embed-data] [--checkpoints] | --check FILE) [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    if ((opts.create === undefined) === (opts.check === undefined))
      throw new DagflowError('BAD_OPTION', 'give either --create FILE or --check FILE', { flag: '--create' });
    if (opts.check !== undefined) {
      const { session, fromVersion, migrated } = await readSessionFile(opts.check);
      const data = session.data === null ? null : await resolveDataReference(session.data, opts.check);
      const report = {
        file: opts.check,
        version: session.version,
        fromVersion,
        migrated,
        writtenBy: session.writtenBy ?? null,
        data: data === null ? null : { ...data, sha256: session.data!.sha256, embedded: session.data!.embedded !== undefined },
        runs: session.runs.map((r) => ({
          id: r.id,
          method: r.method,
          variables: r.columns.length,
          samples: sessionRunSampleCount(r),
          checkpointFiles: r.checkpoint?.length ?? 0,
        })),
      };
      if (opts.json) io.stdout(JSON.stringify(report));
      else {
        const where = data === null ? 'no data reference' : data.status === 'found' ? `data found at ${data.path}` : `data ${data.status}`;
        io.stdout(
          [
            `${opts.check}: session format ${session.version}${migrated ? ` (upgraded from ${fromVersion})` : ''}, ${where}`,
            ...report.runs.map((r) => `  ${r.id}: ${r.method}, ${r.variables} variables, ${r.samples} samples`),
          ].join('\n'),
        );
      }
      return data === null || data.status === 'found' || data.status === 'embedded' ? 0 : 1;
    }
    const file = opts.create!;
    if (opts.data === undefined) throw new DagflowError('BAD_OPTION', 'is required with --create', { flag: '--data' });
    if (opts.runs === undefined) throw new DagflowError('BAD_OPTION', 'is required with --create', { flag: '--runs' });
    const runDirs = opts.runs
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d !== '');
    await refuseOwnInput(file, '--create', [
      { path: opts.data, flag: '--data' },
      ...runDirs.map((dir) => ({ path: dir, flag: '--runs', folder: true })),
    ]);
    const runs: SessionRun[] = [];
    const ids = new Set<string>();
    for (const dir of runDirs) {
      const results = await loadRunDirectory(dir);
      let id = path.basename(path.resolve(dir));
      for (let k = 2; ids.has(id); k++) id = `${path.basename(path.resolve(dir))}-${k}`;
      ids.add(id);
      const checkpointDir = path.join(dir, 'checkpoint');
      const withCheckpoint = opts.checkpoints && (await isFolder(checkpointDir));
      runs.push(await sessionRunFromResults(results, { id, label: id, ...(withCheckpoint ? { checkpointDir } : {}) }));
    }
    const session = {
      ...emptySession(),
      writtenBy: `DAGFlow ${readVersion()}`,
      data: await makeDataReference(opts.data, file, { embed: opts['embed-data'] }),
      runs,
    };
    const { bytes, backup } = await writeSessionFile(file, session);
    if (opts.json) io.stdout(JSON.stringify({ file, bytes, backup, runs: runs.map((r) => r.id) }));
    else
      io.stdout(
        `wrote ${file} (${bytes} bytes, ${runs.length} runs: ${runs.map((r) => r.id).join(', ')})${backup ? `; the previous file is ${backup}` : ''}`,
      );
    return 0;
  },
};
