/**
 * Checkpoints: a directory with `checkpoint.json` (configuration, counters, RNG states, what
 * problem was trained and on which backend) and `arrays-<hash>.bin` (weights, target weights,
 * Adam moments, environments, replay buffer — every typed array, little-endian, 8-byte aligned).
 * The arrays file is named by its content, so a save never overwrites the file the current
 * checkpoint.json points to: the new arrays file is written and flushed first, then
 * checkpoint.json is replaced in one rename, and only then is the old arrays file deleted.
 * A save killed at any point leaves the previous checkpoint loadable. Checkpoints written
 * before this layout have `arrays.bin` and no file name in the json; they still load.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import { isProcessRunning, namesInFolder, writeFileAtomicSync } from '../io/atomicWrite.ts';
import type { LayerTrainerState } from '../layerflow/layerTrainer.ts';
import type { TrainerState } from './trainer.ts';

/** The state of either GFlowNet: the edge trainer's, or the layered one's (`sampler: 'layers'`). */
export type SamplerState = TrainerState | LayerTrainerState;

export function isLayerState(state: SamplerState): state is LayerTrainerState {
  return (state as LayerTrainerState).sampler === 'layers';
}

export const CHECKPOINT_FORMAT = 'dagflow-gflownet-checkpoint';
export const CHECKPOINT_VERSION = 1;

type Typed = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;
const TYPES = { Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

interface ArrayRef {
  $array: TypeName;
  offset: number;
  length: number;
}

export interface CheckpointFile<Meta> {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  savedAt: string;
  /** Whatever the caller needs to rebuild the problem (data file, score, prior, knowledge, backend). */
  meta: Meta;
  state: SamplerState;
}

function typeName(x: unknown): TypeName | undefined {
  for (const name of Object.keys(TYPES) as TypeName[]) if (x instanceof TYPES[name]) return name;
  return undefined;
}

/** Replaces typed arrays by references into one binary blob. */
function encode(value: unknown, chunks: Uint8Array[], position: { bytes: number }): unknown {
  const name = typeName(value);
  if (name) {
    const arr = value as Typed;
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).slice();
    const ref: ArrayRef = { $array: name, offset: position.bytes, length: arr.length };
    chunks.push(bytes);
    position.bytes += bytes.length;
    const pad = (8 - (bytes.length % 8)) % 8;
    if (pad) {
      chunks.push(new Uint8Array(pad));
      position.bytes += pad;
    }
    return ref;
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, chunks, position));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encode(v, chunks, position);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  return value;
}

function decode(value: unknown, blob: Buffer): unknown {
  if (Array.isArray(value)) return value.map((v) => decode(v, blob));
  if (value && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    if (typeof rec.$array === 'string') {
      const ref = rec as unknown as ArrayRef;
      const Ctor = TYPES[ref.$array];
      if (!Ctor) throw new DagflowError('BAD_OPTION', `unknown array type ${ref.$array} in the checkpoint`);
      const bytes = ref.length * Ctor.BYTES_PER_ELEMENT;
      if (ref.offset + bytes > blob.length)
        throw new DagflowError('BAD_OPTION', 'the checkpoint data file is truncated', {}, 'use a complete checkpoint directory');
      const copy = new Uint8Array(bytes);
      copy.set(blob.subarray(ref.offset, ref.offset + bytes));
      return new Ctor(copy.buffer);
    }
    if (typeof rec.$number === 'string') return Number(rec.$number);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) out[k] = decode(v, blob);
    return out;
  }
  return value;
}

/** Arrays file of a checkpoint written before the arrays were named by content. */
const LEGACY_ARRAYS = 'arrays.bin';
const ARRAYS_NAME = /^arrays-[0-9a-f]{16}\.bin$/;
/** A temporary file of writeFileAtomicSync for `checkpoint.json` or an arrays file: `.<target>.<pid>.<12 hex>.tmp`. */
const TEMPORARY_NAME = /^\.(?:checkpoint\.json|arrays-[0-9a-f]{16}\.bin)\.(\d+)\.[0-9a-f]{12}\.tmp$/;
/** Temporaries of the writer used before atomicWrite.ts: `<target>.tmp-<pid>`. */
const LEGACY_TEMPORARY_NAME = /^(?:checkpoint\.json|arrays\.bin)\.tmp-(\d+)$/;

/**
 * After checkpoint.json names `keep`: delete the arrays files it no longer names (the previous
 * save's, or one a killed save wrote but never published) and temporaries left by killed
 * writers. A temporary of a process still running is left alone. Best effort: a file that
 * cannot be deleted only costs space, never correctness.
 */
function removeUnreferenced(dir: string, keep: string): void {
  for (const name of namesInFolder(dir)) {
    let stale: boolean;
    if (name === LEGACY_ARRAYS || ARRAYS_NAME.test(name)) stale = name !== keep;
    else {
      const m = TEMPORARY_NAME.exec(name) ?? LEGACY_TEMPORARY_NAME.exec(name);
      stale = m !== null && Number(m[1]) !== process.pid && !isProcessRunning(Number(m[1]));
    }
    if (!stale) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
    } catch {
      // left for the next save
    }
  }
}

export interface SaveCheckpointOptions {
  /** Tests only: runs once the arrays file is on disk, before checkpoint.json is replaced (throw to simulate a crash there). */
  afterArraysWritten?(file: string): void;
}

export function saveCheckpoint<Meta>(dir: string, state: SamplerState, meta: Meta, options: SaveCheckpointOptions = {}): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const chunks: Uint8Array[] = [];
    const encoded = encode(state, chunks, { bytes: 0 });
    const blob = Buffer.concat(chunks);
    const sha256 = createHash('sha256').update(blob).digest('hex');
    // Named by content: never the file the current checkpoint.json reads, unless it is identical.
    const arraysFile = `arrays-${sha256.slice(0, 16)}.bin`;
    writeFileAtomicSync(path.join(dir, arraysFile), blob);
    options.afterArraysWritten?.(arraysFile);
    const arrays = { file: arraysFile, bytes: blob.length, sha256 };
    const file = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      savedAt: new Date().toISOString(),
      meta,
      arrays,
      state: encoded,
    };
    // This rename is the moment the new checkpoint replaces the old one.
    writeFileAtomicSync(path.join(dir, 'checkpoint.json'), JSON.stringify(file, null, 1));
    removeUnreferenced(dir, arraysFile);
  } catch (e) {
    if (e instanceof DagflowError)
      throw new DagflowError(e.code, `cannot write the checkpoint: ${e.message}`, e.location.file ? e.location : { file: dir }, e.hint);
    throw new DagflowError(
      'IO',
      `cannot write the checkpoint: ${(e as Error).message}`,
      { file: dir },
      'check that the output directory is writable',
    );
  }
}

export function loadCheckpoint<Meta>(dir: string): CheckpointFile<Meta> {
  const jsonFile = path.join(dir, 'checkpoint.json');
  let text: string;
  try {
    text = fs.readFileSync(jsonFile, 'utf8');
  } catch (e) {
    throw new DagflowError(
      'IO',
      `cannot read the checkpoint: ${(e as Error).message}`,
      { file: dir },
      'pass the checkpoint directory written by dagflow train (DIR/checkpoint)',
    );
  }
  let parsed: {
    format?: string;
    version?: number;
    savedAt: string;
    meta: Meta;
    arrays?: { file?: unknown; bytes: number; sha256: string };
    state: unknown;
  };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DagflowError(
      'BAD_OPTION',
      'checkpoint.json is not valid JSON (the run may have been interrupted while saving)',
      { file: jsonFile },
      'train again, or pass the checkpoint folder of a finished dagflow train run',
    );
  }
  if (parsed.format !== CHECKPOINT_FORMAT || parsed.version !== CHECKPOINT_VERSION) {
    throw new DagflowError(
      'BAD_OPTION',
      `not a DAGFlow checkpoint (format ${parsed.format ?? 'missing'}, version ${parsed.version ?? 'missing'})`,
      { file: jsonFile },
      'pass the checkpoint folder that dagflow train wrote (DIR/checkpoint)',
    );
  }
  const named = parsed.arrays?.file;
  if (named !== undefined && (typeof named !== 'string' || !ARRAYS_NAME.test(named))) {
    throw new DagflowError(
      'BAD_OPTION',
      `checkpoint.json names an arrays file that dagflow does not write (${JSON.stringify(named)})`,
      { file: jsonFile },
      'train again, or restore the checkpoint from a saved session',
    );
  }
  const arraysFile = named ?? LEGACY_ARRAYS;
  let blob: Buffer;
  try {
    blob = fs.readFileSync(path.join(dir, arraysFile));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DagflowError(
        'IO',
        `checkpoint.json needs ${arraysFile}, which is not in the folder`,
        { file: dir },
        'copy the whole checkpoint folder, or train again',
      );
    }
    throw new DagflowError(
      'IO',
      `cannot read the checkpoint: ${(e as Error).message}`,
      { file: dir },
      'pass the checkpoint directory written by dagflow train (DIR/checkpoint)',
    );
  }
  if (parsed.arrays && (parsed.arrays.bytes !== blob.length || parsed.arrays.sha256 !== createHash('sha256').update(blob).digest('hex'))) {
    // Only the old layout overwrote its arrays file in place, so only there is a mismatch a torn save.
    const why =
      named === undefined
        ? 'arrays.bin does not belong to checkpoint.json (a save was interrupted between the two files)'
        : `${arraysFile} does not match the size and SHA-256 that checkpoint.json records (the file is damaged)`;
    throw new DagflowError('BAD_OPTION', why, { file: dir }, 'train again, or restore the checkpoint from a saved session');
  }
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    savedAt: parsed.savedAt,
    meta: parsed.meta,
    state: decode(parsed.state, blob) as SamplerState,
  };
}
