/**
 * Fixed-width bit rows for node sets (d ≤ 128 → at most 4 words per row). The samplers keep
 * parent sets, descendant sets and allowed-parent masks as rows of a flat Uint32Array, so a
 * subset test or a union over a node set is a handful of word operations.
 */

/** 32-bit words needed for a set over d nodes. */
export function wordsFor(d: number): number {
  return Math.max(1, (d + 31) >>> 5);
}

export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hasBit(bits: Uint32Array, offset: number, i: number): boolean {
  return ((bits[offset + (i >>> 5)]! >>> (i & 31)) & 1) === 1;
}

export function setBit(bits: Uint32Array, offset: number, i: number): void {
  bits[offset + (i >>> 5)]! |= 1 << (i & 31);
}

export function clearBit(bits: Uint32Array, offset: number, i: number): void {
  bits[offset + (i >>> 5)]! &= ~(1 << (i & 31));
}

/** Number of members of the row at `offset`. */
export function countBits(bits: Uint32Array, offset: number, words: number): number {
  let n = 0;
  for (let w = 0; w < words; w++) n += popcount32(bits[offset + w]!);
  return n;
}

/** Members of the row at `offset`, ascending, written to `out`; returns how many. */
export function listBits(bits: Uint32Array, offset: number, words: number, out: Int32Array | number[]): number {
  let n = 0;
  for (let w = 0; w < words; w++) {
    let x = bits[offset + w]!;
    while (x !== 0) {
      const low = x & -x;
      out[n++] = (w << 5) + (31 - Math.clz32(low));
      x ^= low;
    }
  }
  return n;
}

/** Whether row a (at offsetA) is a subset of row b (at offsetB). */
export function isSubset(a: Uint32Array, offsetA: number, b: Uint32Array, offsetB: number, words: number): boolean {
  for (let w = 0; w < words; w++) if ((a[offsetA + w]! & ~b[offsetB + w]!) !== 0) return false;
  return true;
}

/** Whether rows a and b share a member. */
export function intersects(a: Uint32Array, offsetA: number, b: Uint32Array, offsetB: number, words: number): boolean {
  for (let w = 0; w < words; w++) if ((a[offsetA + w]! & b[offsetB + w]!) !== 0) return true;
  return false;
}
