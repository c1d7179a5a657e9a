/**
 * Loads the fast path's WebAssembly (src/fast/kernels.wasm.ts) once, lazily: compiled and
 * instantiated on first use against one shared memory, so worker threads can instantiate the
 * same module on the same memory. Nothing here runs at import time.
 */
import { KERNELS_WASM_BASE64 } from './kernels.wasm.ts';

/** 64 KiB pages the memory may grow to (2 GiB, the MAX_PAGES the module declares in src/fast/build.ts). */
export const MAX_PAGES = 32768;

type Fn = (...args: number[]) => number;

/** The module's exports: kernels take byte offsets into the memory and i32/f32 scalars. */
export interface KernelExports {
  readonly [name: string]: Fn;
}

export interface Kernels {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
}

let loaded: Kernels | null | undefined;

/** The kernels, or null where this runtime has no WebAssembly SIMD128 or shared memory. */
export function loadKernels(): Kernels | null {
  if (loaded !== undefined) return loaded;
  try {
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    loaded = { module, memory, exports: instance.exports as unknown as KernelExports };
  } catch {
    loaded = null;
  }
  return loaded;
}

/** Forgets the instance and its memory (the next call loads afresh); for tests and long-lived hosts. */
export function unloadKernels(): void {
  loaded = undefined;
}
