/**
 * Session files from older versions are upgraded step by step (v → v + 1) before validation;
 * a file from a newer version is refused with a clear message and never rewritten, since this
 * app cannot know what it would lose.
 *
 * Every step keeps a file of its old version in the tests (test/fixtures/session).
 */
import { SESSION_FORMAT, SESSION_VERSION, SessionError, type JsonObject } from './schema.ts';

/** MIGRATIONS[v] turns a version-v document into a version-(v + 1) document. */
export type Migration = (old: JsonObject) => JsonObject;
export type MigrationTable = Readonly<Record<number, Migration>>;

export const MIGRATIONS: MigrationTable = {
  // 2 added `packedSamples`; a version-1 run's named `samples` are valid as they are (the app packs them when it opens the file).
  1: (old) => ({ ...old, version: 2 }),
};

export interface MigrationResult {
  document: JsonObject;
  /** The version the file was written in. */
  from: number;
  /** Whether any step ran (the app then says "this session was upgraded; saving writes the new format"). */
  migrated: boolean;
}

export function migrateSession(
  document: JsonObject,
  file?: string,
  migrations: MigrationTable = MIGRATIONS,
  current: number = SESSION_VERSION,
): MigrationResult {
  if (document.format !== SESSION_FORMAT) {
    throw new SessionError(
      'not-a-session',
      `this JSON file is not a DAGFlow session (no "format": "${SESSION_FORMAT}")`,
      file,
      'open a .dagflow file saved by DAGFlow',
    );
  }
  const version = document.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SessionError(
      'invalid',
      `version: expected a whole number ≥ 1, found ${JSON.stringify(version)}`,
      file,
      'the session file was edited or damaged; open its .bak copy if there is one',
    );
  }
  if (version > current) {
    const writer = typeof document.writtenBy === 'string' ? ` by ${document.writtenBy}` : '';
    throw new SessionError(
      'newer-version',
      `this session was saved${writer} in format version ${version}; this DAGFlow reads up to version ${current}`,
      file,
      'update DAGFlow to open it; the file was not changed',
    );
  }
  let doc = document;
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step)
      throw new SessionError(
        'invalid',
        `no upgrade from session format version ${v} to ${v + 1}`,
        file,
        'this file comes from an unsupported pre-release',
      );
    doc = step(doc);
    if (doc.version !== v + 1) throw new Error(`session migration ${v} → ${v + 1} produced version ${JSON.stringify(doc.version)}`);
  }
  return { document: doc, from: version, migrated: version !== current };
}
