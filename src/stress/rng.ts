/**
 * A small seeded generator for the stress inputs. Op k of thread t must be reproducible from
 * (seed, t, k) alone, in any thread (the supervisor rebuilds the inputs of a crashed or hung op
 * for its fixture), and cheap (a new case per op).
 */

/** 32-bit avalanche mix (the finalizer of MurmurHash3). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The stream seed of op `op` of `thread` in a run seeded with `seed`. */
export function opSeed(seed: number, thread: number, op: number): number {
  return mix32(mix32(mix32(seed >>> 0) ^ Math.imul(thread + 1, 0x9e3779b9)) ^ Math.imul(op + 1, 0x632be5ab));
}

/** A Weyl-sequence generator with a mixed output: uniform 32-bit words. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }
  /** A float32 uniform on [lo, hi) with 24 random bits. */
  uniform(lo: number, hi: number): number {
    return Math.fround(lo + ((this.nextU32() >>> 8) / 2 ** 24) * (hi - lo));
  }
  fill(out: Float32Array, lo: number, hi: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(lo, hi);
    return out;
  }
}
