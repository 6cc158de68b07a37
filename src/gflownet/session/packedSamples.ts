/**
 * A run's samples packed for the session file (format version 2). Named edge lists cost about
 * 3.6 kB per DAG at 60 variables: 46,000 MC3 samples made a 110–170 MB session whose JSON took
 * seconds to write and to read on the Node main thread at every autosave. Packed, the same run
 * takes a few hundred kB:
 *
 * - `graphs`: base64 of a byte stream with, per sample, a varint header `2·n + mode` and n
 *   edge codes (code = from·d + to in the run's columns), ascending, each written as its gap to
 *   the previous one minus 1 (the first as itself). Mode 0 lists the sample's edges; mode 1 lists
 *   the edges that differ from the previous sample (the first sample is never mode 1). The
 *   writer picks the shorter list, so an MCMC chain — which changes one or two edges per step,
 *   often none — costs a few bytes per sample, and independent draws cost what their edges do.
 * - `logScores`, `logWeights`: base64 of little-endian float64s, one per sample (bit-exact).
 */
import { DagflowError } from '../core/errors.ts';
import type { PosteriorSampleRecord } from '../core/types.ts';

export const PACKED_SAMPLES_ENCODING = 'edge-code-varint-v1';

export interface PackedSamples {
  encoding: typeof PACKED_SAMPLES_ENCODING;
  /** How many samples (DAGs) the stream holds. */
  count: number;
  graphs: string;
  logScores: string;
  logWeights?: string;
}

/** Samples as the app holds them: `count` row-major d·d adjacency matrices, one after the other. */
export interface SampleMatrices {
  adjacency: Uint8Array;
  logScores: Float64Array;
  logWeights?: Float64Array;
  count: number;
}

// ---------------------------------------------------------------- writing

class ByteWriter {
  private bytes = new Uint8Array(1 << 16);
  length = 0;

  varint(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.bytes[this.length++] = v;
  }

  base64(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length).toString('base64');
  }
}

function writeCodes(out: ByteWriter, codes: readonly number[], n: number, mode: 0 | 1): void {
  out.varint(2 * n + mode);
  let last = -1;
  for (let k = 0; k < n; k++) {
    out.varint(codes[k]! - last - 1);
    last = codes[k]!;
  }
}

function floatsBase64(values: ArrayLike<number>): string {
  const bytes = Buffer.alloc(values.length * 8);
  for (let k = 0; k < values.length; k++) bytes.writeDoubleLE(values[k]!, k * 8);
  return bytes.toString('base64');
}

/** The cells of `row` that are set, ascending, into `into`; returns how many. Skips four empty cells at a time when it can. */
function setCells(row: Uint8Array, into: number[]): number {
  let n = 0;
  const aligned = row.byteOffset % 4 === 0 ? new Uint32Array(row.buffer, row.byteOffset, row.length >> 2) : null;
  const wordsEnd = aligned ? aligned.length * 4 : 0;
  for (let w = 0; aligned && w < aligned.length; w++) {
    if (aligned[w] === 0) continue;
    for (let k = w * 4; k < w * 4 + 4; k++) if (row[k] !== 0) into[n++] = k;
  }
  for (let k = wordsEnd; k < row.length; k++) if (row[k] !== 0) into[n++] = k;
  return n;
}

/** The symmetric difference of two ascending lists, ascending, into `into`; returns its length. */
function differences(a: readonly number[], na: number, b: readonly number[], nb: number, into: number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < na || j < nb) {
    if (j >= nb || (i < na && a[i]! < b[j]!)) into[n++] = a[i++]!;
    else if (i >= na || b[j]! < a[i]!) into[n++] = b[j++]!;
    else {
      i++;
      j++;
    }
  }
  return n;
}

/**
 * Pack `count` row-major d·d adjacency matrices (any non-zero byte is an edge). Runs once per
 * finished run (the app keeps the packed form): ~0.1 s for 46,000 samples at d = 60, most of
 * them equal to the one before (compared natively) or a move away from it.
 */
export function packSampleMatrices(samples: SampleMatrices, d: number): PackedSamples {
  const dd = d * d;
  const { adjacency, count } = samples;
  if (adjacency.length < count * dd) throw new Error(`expected ${count} matrices of ${d}×${d}, found ${adjacency.length} cells`);
  const cells = Buffer.from(adjacency.buffer, adjacency.byteOffset, count * dd);
  const out = new ByteWriter();
  let full: number[] = [];
  let previous: number[] = [];
  let nFull = 0;
  const toggled: number[] = [];
  for (let s = 0; s < count; s++) {
    const base = s * dd;
    if (s > 0 && cells.compare(cells, base - dd, base, base, base + dd) === 0) {
      out.varint(1); // no change: mode 1 with no codes
      continue;
    }
    [previous, full] = [full, previous];
    const nPrevious = nFull;
    nFull = setCells(adjacency.subarray(base, base + dd), full);
    const nToggled = s > 0 ? differences(full, nFull, previous, nPrevious, toggled) : Infinity;
    if (nToggled < nFull) writeCodes(out, toggled, nToggled, 1);
    else writeCodes(out, full, nFull, 0);
  }
  return {
    encoding: PACKED_SAMPLES_ENCODING,
    count,
    graphs: out.base64(),
    logScores: floatsBase64(samples.logScores.subarray(0, count)),
    ...(samples.logWeights ? { logWeights: floatsBase64(samples.logWeights.subarray(0, count)) } : {}),
  };
}

/** Pack named samples (a v1 session's, a run folder's samples.jsonl); every name must be one of `columns`. */
export function packSampleRecords(records: readonly PosteriorSampleRecord[], columns: readonly string[]): PackedSamples {
  const d = columns.length;
  const index = new Map(columns.map((c, k) => [c, k]));
  const adjacency = new Uint8Array(records.length * d * d);
  records.forEach((r, s) => {
    for (const [from, to] of r.edges) {
      const i = index.get(from);
      const j = index.get(to);
      if (i === undefined || j === undefined)
        throw new DagflowError(
          'BAD_GRAPH',
          `sample ${s + 1} names node "${i === undefined ? from : to}", which is not among the run's columns (${columns.join(', ')})`,
        );
      adjacency[s * d * d + i * d + j] = 1;
    }
  });
  const weighted = records.length > 0 && records.every((r) => typeof r.logWeight === 'number');
  return packSampleMatrices(
    {
      adjacency,
      logScores: Float64Array.from(records, (r) => r.logScore),
      ...(weighted ? { logWeights: Float64Array.from(records, (r) => r.logWeight!) } : {}),
      count: records.length,
    },
    d,
  );
}

// ---------------------------------------------------------------- reading

/** A problem in a packed stream: what is wrong, and which field of `packedSamples` it is in. */
export interface PackedProblem {
  message: string;
  field: 'count' | 'graphs' | 'logScores' | 'logWeights';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): Uint8Array | null {
  // Buffer.from skips characters that are not base64: a damaged field must not decode to other numbers.
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

function decodeFloats(text: string, count: number): Float64Array | string {
  const bytes = decodeBase64(text);
  if (bytes === null) return 'is not base64';
  if (bytes.length !== count * 8) return `expected ${count} float64 numbers (${count * 8} bytes), found ${bytes.length} bytes`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    out[k] = view.getFloat64(k * 8, true);
    if (!Number.isFinite(out[k])) return `sample ${k}: expected a finite number, found ${out[k]}`;
  }
  return out;
}

/** Called per sample while a stream is walked: where it starts (mode 0: from nothing, 1: from the previous sample), each code, its end. */
interface GraphVisitor {
  begin(sample: number, mode: number): void;
  code(code: number): void;
  end(sample: number): void;
}

/**
 * Walks the graph stream; returns a problem (a code beyond d·d, a stream cut short or too long,
 * a first sample that differs from nothing) or null. Codes ascend by construction (gap + 1).
 */
function walkGraphs(bytes: Uint8Array, count: number, dd: number, visitor?: GraphVisitor): string | null {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let k = 0; k < 5 && at < bytes.length; k++) {
      const b = bytes[at++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    return -1;
  };
  for (let s = 0; s < count; s++) {
    const header = varint();
    if (header < 0) return `sample ${s}: the stream ends or is damaged`;
    const mode = header % 2;
    const n = (header - mode) / 2;
    if (mode === 1 && s === 0) return 'sample 0: listed as a change from a previous sample';
    if (n > dd) return `sample ${s}: ${n} edges, more than the ${dd} a run of its columns can have`;
    visitor?.begin(s, mode);
    let code = -1;
    for (let m = 0; m < n; m++) {
      const gap = varint();
      if (gap < 0) return `sample ${s}: the stream ends or is damaged`;
      code += gap + 1;
      if (code >= dd) return `sample ${s}: edge code ${code} is beyond the ${dd} pairs of the run's columns`;
      visitor?.code(code);
    }
    visitor?.end(s);
  }
  if (at !== bytes.length) return `${bytes.length - at} bytes after the last of the ${count} samples`;
  return null;
}

/** What is wrong with packed samples for a run of d columns, or null; cheap (no matrices are built). */
export function checkPackedSamples(packed: PackedSamples, d: number): PackedProblem | null {
  const graphs = decodeBase64(packed.graphs);
  if (graphs === null) return { message: 'is not base64', field: 'graphs' };
  const problem = walkGraphs(graphs, packed.count, d * d);
  if (problem) return { message: problem, field: 'graphs' };
  const scores = decodeFloats(packed.logScores, packed.count);
  if (typeof scores === 'string') return { message: scores, field: 'logScores' };
  if (packed.logWeights !== undefined) {
    const weights = decodeFloats(packed.logWeights, packed.count);
    if (typeof weights === 'string') return { message: weights, field: 'logWeights' };
  }
  return null;
}

/** Replays the stream into one d·d row, handing it to `onSample` after each sample; throws on a stream checkPackedSamples rejects. */
function replay(
  packed: PackedSamples,
  d: number,
  onSample: (sample: number, row: Uint8Array) => void,
): { logScores: Float64Array; logWeights?: Float64Array } {
  const problem = checkPackedSamples(packed, d);
  if (problem) throw new Error(`packedSamples.${problem.field}: ${problem.message}`);
  const row = new Uint8Array(d * d);
  let toggle = false;
  walkGraphs(decodeBase64(packed.graphs)!, packed.count, d * d, {
    begin: (_s, mode) => {
      toggle = mode === 1;
      if (!toggle) row.fill(0);
    },
    code: (code) => {
      row[code] = toggle ? row[code]! ^ 1 : 1;
    },
    end: (s) => onSample(s, row),
  });
  return {
    logScores: decodeFloats(packed.logScores, packed.count) as Float64Array,
    ...(packed.logWeights === undefined ? {} : { logWeights: decodeFloats(packed.logWeights, packed.count) as Float64Array }),
  };
}

/** The samples as matrices (what the app's run store holds). Throws on a stream checkPackedSamples rejects. */
export function unpackSampleMatrices(packed: PackedSamples, d: number): SampleMatrices {
  const dd = d * d;
  const adjacency = new Uint8Array(packed.count * dd);
  const floats = replay(packed, d, (s, row) => adjacency.set(row, s * dd));
  return { adjacency, ...floats, count: packed.count };
}

/** The samples as named edge lists in row-major order (what exporters and samples.jsonl take). */
export function unpackSampleRecords(packed: PackedSamples, columns: readonly string[]): PosteriorSampleRecord[] {
  const d = columns.length;
  const edges: Array<Array<[string, string]>> = [];
  const { logScores, logWeights } = replay(packed, d, (_s, row) => {
    const list: Array<[string, string]> = [];
    for (let k = 0; k < row.length; k++) if (row[k]) list.push([columns[Math.floor(k / d)]!, columns[k % d]!]);
    edges.push(list);
  });
  return edges.map((list, s) => ({
    edges: list,
    logScore: logScores[s]!,
    ...(logWeights ? { logWeight: logWeights[s]! } : {}),
  }));
}
