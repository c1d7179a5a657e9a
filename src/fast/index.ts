/**
 * The reference's WebAssembly SIMD128 fast path: bit-identical to the TypeScript reference
 * (NaN payloads aside), which stays the definition and the oracle. `evaluateReference` is the one
 * entry point; the op registry routes every `spec.reference` call through it (withFastReference).
 * docs/fast-path.md describes the kernels, the selection and the threads.
 */
import { OPS } from '../ops/index.ts';
import type { OpCase, OpName, OpSpec } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import { Arena, ArenaFullError } from './arena.ts';
import type { FastContext, FastOp } from './context.ts';
import { type Kernels, loadKernels } from './module.ts';
import { callKernel, type Job, WorkerPool } from './pool.ts';
import { partsFor, type ReferenceOptions, referenceMode, threadsFor, wantsFast } from './select.ts';

export { REFERENCE_MODES, type ReferenceMode, type ReferenceOptions } from './select.ts';

/** The ops with a fast path, and their drivers. */
export const FAST_OPS: Partial<Record<OpName, FastOp>> = Object.fromEntries(OPS.flatMap((op) => (op.fast === undefined ? [] : [[op.name, op.fast]])));

let arena: Arena | null = null;
let pool: WorkerPool | null = null;

/** The pool of `kernels` with at least `workers` workers started. */
function poolFor(kernels: Kernels, workers: number): WorkerPool {
  if (pool !== null && pool.kernels !== kernels) {
    // The kernels were reloaded (unloadKernels): these workers hold the old memory.
    void pool.close();
    pool = null;
  }
  pool ??= new WorkerPool(kernels);
  pool.grow(workers);
  return pool;
}

function context(kernels: Kernels, threads: number, parts = threads): FastContext {
  if (arena === null || arena.memory !== kernels.memory) arena = new Arena(kernels.memory);
  arena.reset();
  if (threads > 1) poolFor(kernels, threads - 1);
  const run = (jobs: readonly Job[]): void => {
    if (jobs.length > 1 && pool !== null && pool.kernels === kernels) pool.run(jobs);
    else for (const job of jobs) callKernel(kernels, job);
  };
  return { k: kernels.exports, arena, threads, parts: Math.max(parts, threads), run };
}

/**
 * The fast path's result for a case it covers, or null (op without a fast path, case not covered,
 * no WebAssembly SIMD, or too large for wasm memory). Ignores the size thresholds: the outputs
 * are split over exactly `threads` threads, in `parts` jobs (default: as evaluateReference
 * would split that work), for tests and benchmarks.
 */
export function runFast(op: OpName, c: OpCase, profile: Profile, threads = 1, parts?: number): Tensor | null {
  const fast = FAST_OPS[op];
  if (fast === undefined || (profile !== 'strict' && profile !== 'fma')) return null;
  const work = fast.work(c);
  if (work === null) return null;
  return runCovered(fast, c, profile, threads, parts ?? partsFor(work, threads));
}

function runCovered(fast: FastOp, c: OpCase, profile: Profile, threads: number, parts: number): Tensor | null {
  const kernels = loadKernels();
  if (kernels === null) return null;
  try {
    return fast.run(c, profile, context(kernels, threads, parts));
  } catch (e) {
    if (e instanceof ArenaFullError) return null;
    throw e;
  }
}

/**
 * `spec.reference(c, profile)` through the path that `opts` and the environment select
 * (src/fast/select.ts): the fast path where it covers the case and is wanted, else TypeScript.
 * Both give the same bits (NaN payloads aside).
 */
export function evaluateReference(spec: OpSpec, c: OpCase, profile: Profile, opts: ReferenceOptions = {}): Tensor {
  const mode = referenceMode(opts);
  const fast = mode === 'ts' ? undefined : FAST_OPS[spec.name];
  if (fast !== undefined && (profile === 'strict' || profile === 'fma')) {
    const work = fast.work(c);
    if (work !== null && wantsFast(spec.name, work, mode)) {
      const threads = threadsFor(work, opts);
      const y = runCovered(fast, c, profile, threads, partsFor(work, threads));
      if (y !== null) return y;
    }
  }
  return spec.reference(c, profile);
}

/** The registry hook: each spec's `reference` goes through evaluateReference. */
export function withFastReference<K extends string>(specs: Record<K, OpSpec>): Record<K, OpSpec> {
  const out = {} as Record<K, OpSpec>;
  for (const key of Object.keys(specs) as K[]) {
    const spec = specs[key];
    out[key] = { ...spec, reference: (c, profile) => evaluateReference(spec, c, profile) };
  }
  return out;
}

/**
 * A fresh context on the shared arena (everything placed before is released), for benchmarks and
 * tests that keep tensors resident in wasm memory and call the per-op `…Into` functions; null
 * without WebAssembly SIMD.
 */
export function fastContext(threads = 1): FastContext | null {
  const kernels = loadKernels();
  return kernels === null ? null : context(kernels, threads);
}

/** Starts the worker threads for `threads`-way calls now and waits until they are ready; returns how many are. */
export function startThreads(threads: number, timeoutMs?: number): number {
  const kernels = loadKernels();
  if (kernels === null || threads <= 1) return 0;
  return poolFor(kernels, threads - 1).waitReady(timeoutMs);
}

/** Worker threads started, and jobs they have run (for tests: evidence that a call really was split). */
export function threadStats(): { workers: number; jobsRun: number } {
  return { workers: pool?.size ?? 0, jobsRun: pool?.jobsRun ?? 0 };
}

/** Ends the worker threads (the next threaded call starts new ones). */
export async function stopThreads(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}
