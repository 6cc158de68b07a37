/**
 * Checkpoints: a directory with `checkpoint.json` (configuration, counters, RNG states, what
 * problem was trained and on which backend) and `arrays.bin` (weights, target weights, Adam
 * moments, environments, replay buffer — every typed array, little-endian, 8-byte aligned).
 * Both files are written beside the target and renamed into place, so a crash never leaves a
 * half-written checkpoint.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DagflowError } from '../core/errors.ts';
import type { TrainerState } from './trainer.ts';

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
  state: TrainerState;
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
      if (ref.offset + bytes > blob.length) throw new DagflowError('BAD_OPTION', 'the checkpoint data file is truncated', {}, 'use a complete checkpoint directory');
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

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export function saveCheckpoint<Meta>(dir: string, state: TrainerState, meta: Meta): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const chunks: Uint8Array[] = [];
    const encoded = encode(state, chunks, { bytes: 0 });
    const blob = Buffer.concat(chunks);
    writeAtomic(path.join(dir, 'arrays.bin'), blob);
    // The two renames are not one step: the hash lets a load tell an arrays.bin from another save.
    const arrays = { bytes: blob.length, sha256: createHash('sha256').update(blob).digest('hex') };
    const file = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, savedAt: new Date().toISOString(), meta, arrays, state: encoded };
    writeAtomic(path.join(dir, 'checkpoint.json'), JSON.stringify(file, null, 1));
  } catch (e) {
    throw new DagflowError('IO', `cannot write the checkpoint: ${(e as Error).message}`, { file: dir }, 'check that the output directory is writable');
  }
}

export function loadCheckpoint<Meta>(dir: string): CheckpointFile<Meta> {
  const jsonFile = path.join(dir, 'checkpoint.json');
  let text: string;
  let blob: Buffer;
  try {
    text = fs.readFileSync(jsonFile, 'utf8');
    blob = fs.readFileSync(path.join(dir, 'arrays.bin'));
  } catch (e) {
    throw new DagflowError('IO', `cannot read the checkpoint: ${(e as Error).message}`, { file: dir }, 'pass the checkpoint directory written by dagflow train (DIR/checkpoint)');
  }
  let parsed: { format?: string; version?: number; savedAt: string; meta: Meta; arrays?: { bytes: number; sha256: string }; state: unknown };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DagflowError('BAD_OPTION', 'checkpoint.json is not valid JSON (the run may have been interrupted while saving)', { file: jsonFile }, 'train again, or pass the checkpoint folder of a finished dagflow train run');
  }
  if (parsed.format !== CHECKPOINT_FORMAT || parsed.version !== CHECKPOINT_VERSION) {
    throw new DagflowError('BAD_OPTION', `not a DAGFlow checkpoint (format ${parsed.format ?? 'missing'}, version ${parsed.version ?? 'missing'})`, { file: jsonFile }, 'pass the checkpoint folder that dagflow train wrote (DIR/checkpoint)');
  }
  if (parsed.arrays && (parsed.arrays.bytes !== blob.length || parsed.arrays.sha256 !== createHash('sha256').update(blob).digest('hex'))) {
    throw new DagflowError(
      'BAD_OPTION',
      'arrays.bin does not belong to checkpoint.json (a save was interrupted between the two files)',
      { file: dir },
      'train again, or restore the checkpoint from a saved session',
    );
  }
  return { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, savedAt: parsed.savedAt, meta: parsed.meta, state: decode(parsed.state, blob) as TrainerState };
}
