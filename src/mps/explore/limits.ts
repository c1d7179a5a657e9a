/**
 * What bounds a search and how it reports progress. A search is a generator that yields a progress
 * snapshot every PROGRESS_EVERY states; `runSync` drives it to the end in one go, `runAsync` gives
 * the event loop a turn between snapshots (so Ctrl-C and progress redraws happen during a long
 * search). Either way the search stops cleanly, with what it covered so far, when the time limit,
 * the state budget or the heap guard says so: never a V8 out-of-memory abort.
 */
import { getHeapStatistics } from 'node:v8';
import { InputRangeError } from '../../errors.ts';

export interface ExploreLimits {
  /** Stop (incomplete) when performance.now() passes this. */
  readonly deadline?: number;
  /**
   * Stop (incomplete) once this many states are held (BFS: states discovered, each kept as a parent
   * pointer and, while its layer is live, as a state and a key) or visited (DFS). Default: none.
   */
  readonly maxStates?: number;
  /**
   * Stop (incomplete) when the V8 heap in use passes this fraction of the old generation's limit
   * (default 0.85): the guard for models whose states are larger than the state budget assumes, or
   * for a --max-states set above what the heap holds. 1 turns it off.
   */
  readonly heapFraction?: number;
  /** Stop at the first layer that violates an invariant (the shortest violation is still found). */
  readonly stopAtFirstViolation?: boolean;
  /** Record every reachable state's key (tests compare reductions against plain enumeration). */
  readonly collectKeys?: boolean;
  /** Called with each progress snapshot (about every PROGRESS_EVERY states). */
  readonly onProgress?: (p: ExploreProgress) => void;
}

/** Why a search ended. */
export type StopReason = 'complete' | 'time-limit' | 'max-states' | 'heap' | 'first-violation';

export interface ExploreProgress {
  /** States expanded (BFS) or visited (DFS) so far. */
  readonly states: number;
  /** BFS: the layer being expanded; DFS: the current depth. */
  readonly depth: number;
  /** Violations found so far. */
  readonly violations: number;
  readonly elapsedMs: number;
}

/** How many states pass between progress snapshots and limit checks (a power of two minus one is the mask). */
export const PROGRESS_EVERY = 4096;

const DEFAULT_HEAP_FRACTION = 0.85;

/**
 * Heap bytes one held state costs, with room to spare: measured on the event-pool model (4 threads
 * × 6 ops, ~0.5 KB per state of the live layers, 8 bytes per older one), doubled for larger bounds.
 */
export const BYTES_PER_STATE = 1024;

/**
 * V8's heap_size_limit also counts the young generation's reserve (48 MiB on 64-bit Node 20: the
 * limit is --max-old-space-size plus 48 MiB), and an allocation fails when the old generation is
 * full; so budgets are taken from the old generation's share.
 */
const YOUNG_RESERVE = 48 * 2 ** 20;

export function oldGenerationLimit(): number {
  const limit = getHeapStatistics().heap_size_limit;
  return Math.max(limit - YOUNG_RESERVE, limit / 3);
}

/** The default --max-states: half of the old generation's limit at BYTES_PER_STATE each. */
export function defaultMaxStates(): number {
  return Math.max(1, Math.floor((oldGenerationLimit() * 0.5) / BYTES_PER_STATE));
}

export function checkLimits(limits: ExploreLimits): void {
  const m = limits.maxStates;
  if (m !== undefined && (!Number.isSafeInteger(m) || m < 1)) throw new InputRangeError('maxStates', 'an integer ≥ 1', m);
  const h = limits.heapFraction;
  if (h !== undefined && !(h > 0 && h <= 1)) throw new InputRangeError('heapFraction', 'a number in (0, 1]', h);
}

/**
 * The checks a search makes every PROGRESS_EVERY states: null to go on, else why to stop. The state
 * budget is not among them: each search checks it exactly, before it adds a state.
 */
export function overLimit(limits: ExploreLimits): StopReason | null {
  if (limits.deadline !== undefined && performance.now() > limits.deadline) return 'time-limit';
  const fraction = limits.heapFraction ?? DEFAULT_HEAP_FRACTION;
  if (fraction < 1 && getHeapStatistics().used_heap_size > oldGenerationLimit() * fraction) return 'heap';
  return null;
}

/** Drives a search generator to its result in one go (progress still reported). */
export function runSync<R>(search: Generator<ExploreProgress, R>, limits: ExploreLimits): R {
  for (;;) {
    const step = search.next();
    if (step.done === true) return step.value;
    limits.onProgress?.(step.value);
  }
}

/** Drives a search generator, giving the event loop a turn at least every `sliceMs` (signals, timers, redraws). */
export async function runAsync<R>(search: Generator<ExploreProgress, R>, limits: ExploreLimits, sliceMs = 50): Promise<R> {
  let last = performance.now();
  for (;;) {
    const step = search.next();
    if (step.done === true) return step.value;
    limits.onProgress?.(step.value);
    if (performance.now() - last >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
}
