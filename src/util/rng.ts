/**
 * The project's one seeded generator: mulberry32, a 32-bit Weyl sequence with an output mix. A
 * stream is reproducible from its seed alone, in any thread, and cheap enough to fill tensors of
 * millions of elements. bench/c/ref_ops.c implements the same algorithm, so the C and TypeScript
 * benchmarks draw identical inputs.
 */

/** A mulberry32 stream. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A uniform 32-bit word. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1), 32 random bits. */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  /** A fair coin. */
  coin(): boolean {
    return (this.nextU32() & 1) === 1;
  }
  /** A float32 uniform on [lo, hi) with 24 random bits. */
  uniform(lo: number, hi: number): number {
    return Math.fround(lo + ((this.nextU32() >>> 8) / 2 ** 24) * (hi - lo));
  }
  /** Shuffles `a` in place (Fisher–Yates); returns it. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
  /** Fills `out` with uniform float32 values on [lo, hi); returns it. */
  fill(out: Float32Array, lo: number, hi: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(lo, hi);
    return out;
  }
}

/** mulberry32 as a function: uniform in [0, 1) from `seed`. */
export function mulberry32(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}
