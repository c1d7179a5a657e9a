/**
 * One checker for every producer of event ids: CPU worker threads, the GPU kernel (WGSL
 * `atomicAdd` on u32, i.e. width 32) and the stress runs. Given the ids a counter handed out after
 * starting at `start`, it says whether they are exactly the ids the model predicts,
 * (start + 1) … (start + N) modulo 2^width, and if not, how they differ.
 *
 * Ids arrive as chunks (one per thread/invocation group, in the order that thread received them),
 * so the per-thread order can be checked too. A chunk is a BigUint64Array (counter values or
 * ids; reduced to the width here, which is the id_t conversion), a Uint32Array (32-bit ids; width
 * must be 32) or a bigint array. Checking is done on 32-bit halves with plain numbers, so millions
 * of ids check in well under a second.
 */
import { InputRangeError } from '../../errors.ts';
import { assertIdWidth, type IdWidth } from './counter.ts';
import { assertUint, UINT_MAX } from '../uint.ts';

export type IdChunk = BigUint64Array | Uint32Array | readonly bigint[];

export interface IdCheckOptions {
  /** The counter's value before the first acquisition (the first id is start + 1). */
  readonly start: bigint;
  readonly width: IdWidth;
  /** How many samples of each kind of defect to keep (default 8). */
  readonly sampleLimit?: number;
}

export interface IdCheckReport {
  readonly width: IdWidth;
  readonly start: bigint;
  /** Number of ids checked (N). */
  readonly total: number;
  /** The ids the model predicts: first = start + 1, last = start + N (mod 2^width). */
  readonly expectedFirst: bigint;
  readonly expectedLast: bigint;
  /** True when the predicted range passes 2^width - 1 → 0. */
  readonly wraps: boolean;
  /** Extra occurrences: total − number of distinct ids. */
  readonly duplicates: number;
  /** Distinct ids that occurred more than once (the first `sampleLimit` found). */
  readonly duplicateSamples: readonly bigint[];
  /** Predicted ids that never occurred. */
  readonly missing: number;
  readonly missingSamples: readonly bigint[];
  /** Ids outside the predicted range (cannot come from a correct counter started at `start`). */
  readonly unexpected: number;
  readonly unexpectedSamples: readonly bigint[];
  /** Occurrences of the invalid-event sentinel 0. */
  readonly sentinelHits: number;
  /**
   * Ids equal to one the same counter handed out *before* `start` (counter values 1 … start,
   * assuming it began at 0 as in the source): after a wrap, id k comes back.
   */
  readonly reissued: number;
  /** Places where a chunk's id did not follow the previous one in counter order (per-thread order). */
  readonly orderViolations: number;
  /** Numeric min and max of the ids (null when there are none). */
  readonly min: bigint | null;
  readonly max: bigint | null;
  /** No duplicates, nothing missing or unexpected, no sentinel, per-chunk order kept. */
  readonly ok: boolean;
}

const TWO32 = 4294967296;

/** (lo, hi) 32-bit halves of each element, as one interleaved little-endian Uint32Array view. */
function halves(chunk: IdChunk, width: IdWidth): { words: Uint32Array; stride: 1 | 2; length: number } {
  if (chunk instanceof Uint32Array) {
    if (width !== 32) throw new InputRangeError('ids', 'a BigUint64Array or bigint[] for 64-bit ids (a Uint32Array holds 32-bit ids)', 'Uint32Array');
    return { words: chunk, stride: 1, length: chunk.length };
  }
  const big = chunk instanceof BigUint64Array ? chunk : BigUint64Array.from(chunk, (v) => {
    assertUint(v, 64, 'id');
    return v;
  });
  if (!littleEndian) {
    // Rare hosts: normalise to little-endian word order.
    const w = new Uint32Array(big.length * 2);
    big.forEach((v, i) => {
      w[2 * i] = Number(v & 0xffffffffn);
      w[2 * i + 1] = Number(v >> 32n);
    });
    return { words: w, stride: 2, length: big.length };
  }
  return { words: new Uint32Array(big.buffer, big.byteOffset, big.length * 2), stride: 2, length: big.length };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function checkIds(chunks: IdChunk | readonly IdChunk[], opts: IdCheckOptions): IdCheckReport {
  const { start, width } = opts;
  assertIdWidth(width);
  assertUint(start, 64, 'start');
  const limit = opts.sampleLimit ?? 8;
  const list: readonly IdChunk[] = isChunk(chunks) ? [chunks] : chunks;
  const parts = list.map((c) => halves(c, width));
  const total = parts.reduce((s, p) => s + p.length, 0);
  if (width === 32 && total > TWO32) throw new InputRangeError('ids', 'at most 2^32 ids for 32-bit width', total);

  // Offsets from the first predicted id, modulo 2^width, on (lo, hi) halves.
  const first = BigInt.asUintN(width, start + 1n);
  const fLo = Number(first & 0xffffffffn);
  const fHi = Number(first >> 32n);
  const seen = new Uint8Array(total);
  let unexpected = 0;
  let sentinelHits = 0;
  let orderViolations = 0;
  let minLo = TWO32, minHi = TWO32, maxLo = -1, maxHi = -1;
  const unexpectedSamples: bigint[] = [];
  const dupSet = new Set<number>();
  for (const { words, stride, length } of parts) {
    let prev = -1;
    for (let i = 0; i < length; i++) {
      const lo = words[i * stride] as number;
      const hi = width === 64 ? (words[i * stride + 1] as number) : 0;
      if (lo === 0 && hi === 0) sentinelHits++;
      if (hi < minHi || (hi === minHi && lo < minLo)) (minHi = hi), (minLo = lo);
      if (hi > maxHi || (hi === maxHi && lo > maxLo)) (maxHi = hi), (maxLo = lo);
      // offset = id - first (mod 2^width)
      let dLo = lo - fLo;
      let borrow = 0;
      if (dLo < 0) (dLo += TWO32), (borrow = 1);
      const dHi = width === 64 ? (hi - fHi - borrow + TWO32) % TWO32 : 0;
      const off = dHi === 0 ? dLo : -1;
      if (off < 0 || off >= total) {
        unexpected++;
        if (unexpectedSamples.length < limit) unexpectedSamples.push(join(lo, hi));
        prev = -1;
        continue;
      }
      if (prev >= 0 && off <= prev) orderViolations++;
      prev = off;
      const s = seen[off] as number;
      if (s === 1 && dupSet.size < limit) dupSet.add(off);
      if (s < 255) seen[off] = s + 1;
    }
  }
  let distinct = 0;
  let missing = 0;
  const missingSamples: bigint[] = [];
  for (let off = 0; off < total; off++) {
    if (seen[off] !== 0) distinct++;
    else {
      missing++;
      if (missingSamples.length < limit) missingSamples.push(BigInt.asUintN(width, first + BigInt(off)));
    }
  }
  const duplicates = total - unexpected - distinct;
  const duplicateSamples = [...dupSet].map((off) => BigInt.asUintN(width, first + BigInt(off)));
  const reissued = countReissued(seen, first, start, width);
  const expectedLast = BigInt.asUintN(width, start + BigInt(total));
  return {
    width,
    start,
    total,
    expectedFirst: first,
    expectedLast,
    wraps: total > 0 && BigInt(total) > UINT_MAX[width] - first,
    duplicates,
    duplicateSamples,
    missing,
    missingSamples,
    unexpected,
    unexpectedSamples,
    sentinelHits,
    reissued,
    orderViolations,
    min: total === 0 ? null : join(minLo, minHi),
    max: total === 0 ? null : join(maxLo, maxHi),
    ok: duplicates === 0 && missing === 0 && unexpected === 0 && sentinelHits === 0 && orderViolations === 0,
  };
}

function isChunk(c: IdChunk | readonly IdChunk[]): c is IdChunk {
  return c instanceof BigUint64Array || c instanceof Uint32Array || c.length === 0 || typeof c[0] === 'bigint';
}

const join = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);

/**
 * Counts occurrences (with multiplicity) of predicted ids that counter values 1 … start already
 * produced (assuming the counter began at 0). Id x was produced before iff some c in [1, start]
 * has c ≡ x (mod 2^width). With start ≥ 2^width every residue was; otherwise only the ids after
 * the wrap, 1 … start, were (0 never was: counter value 2^width was not reached yet).
 */
function countReissued(seen: Uint8Array, first: bigint, start: bigint, width: IdWidth): number {
  const mod = UINT_MAX[width] + 1n;
  let n = 0;
  if (start >= mod) {
    for (const s of seen) n += s;
    return n;
  }
  // Offset of the first id after the wrap (id 0): first + wrapOff ≡ 0.
  const wrapOff = first === 0n ? 0n : mod - first;
  if (wrapOff >= BigInt(seen.length)) return 0;
  const from = Number(wrapOff) + 1;
  const to = Math.min(seen.length - 1, Number(wrapOff + start));
  for (let off = from; off <= to; off++) n += seen[off] as number;
  return n;
}
