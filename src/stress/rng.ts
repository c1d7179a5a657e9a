/**
 * The seed of each stress op's input stream (src/util/rng.ts): op k of thread t must be
 * reproducible from (seed, t, k) alone, in any thread (the supervisor rebuilds the inputs of a
 * crashed or hung op for its fixture).
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
