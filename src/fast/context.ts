/** What a per-op driver gets: the kernels, the call's arena, and a way to run jobs on threads. */
import type { OpCase } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import type { Arena } from './arena.ts';
import type { KernelExports } from './module.ts';
import type { Job } from './pool.ts';

export interface FastContext {
  readonly k: KernelExports;
  readonly arena: Arena;
  /** Threads the jobs run on (1: this thread only). */
  readonly threads: number;
  /**
   * How many jobs to split the call's outputs into: a multiple of the threads, and more than one
   * for long calls even on one thread, so that V8's optimising compiler, which replaces the
   * baseline code of a function only between calls, takes over early in a long first call.
   */
  readonly parts: number;
  /** Runs jobs that write disjoint outputs, in parallel where there are threads. */
  run(jobs: readonly Job[]): void;
}

/** A per-op driver of the fast path (src/ops/<op>/fast.ts). */
export interface FastOp {
  /**
   * Smallest work (see `work`) at which 'auto' takes the WebAssembly path: below it the copies
   * into and out of wasm memory cost more than the faster loops save. From
   * `npm run bench -- fast-reference` ("crossover" rows).
   */
  readonly minWork: number;
  /**
   * The case's work (multiply-adds, or elements for elementwise ops), or null when the fast path
   * does not cover the case (including invalid cases: TypeScript then runs and reports them).
   */
  work(c: OpCase): number | null;
  /** Evaluates a covered case bit-identically to the TypeScript reference (NaN payloads aside). */
  run(c: OpCase, profile: Profile, ctx: FastContext): Tensor;
}

/** Splits [lo, hi) into at most `parts` contiguous ranges whose inner boundaries are multiples of `align` (from lo). */
export function splitRange(lo: number, hi: number, parts: number, align = 1): [number, number][] {
  const units = Math.ceil((hi - lo) / align);
  const k = Math.max(1, Math.min(parts, units));
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const a = lo + Math.round((units * i) / k) * align;
    const b = i === k - 1 ? hi : lo + Math.round((units * (i + 1)) / k) * align;
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** null instead of a throw: a case whose geometry the reference rejects is not covered. */
export function covered<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * Whether the fma kernels' midpoint flag is complete for products of elements of two tensors:
 * every product must be a multiple of 2^−149 (see minLowBit in src/fast/wat/common.wat).
 */
export function fmaFlagComplete(ctx: FastContext, a: number, na: number, b: number, nb: number): boolean {
  return ctx.k['minLowBit']!(a, na) + ctx.k['minLowBit']!(b, nb) >= -149;
}
