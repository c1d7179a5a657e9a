/**
 * The device limits that size the kernels' work (docs/gpu-limits.md). The device is opened with the
 * adapter's own maxima (src/gpu/device.ts); a problem that needs a bigger storage buffer than
 * `storageLimit` allows is split into chunks (src/gpu/chunk.ts).
 */
import { forcedMaxBindingBytes, forcedMaxBufferBytes } from '../testHooks.ts';
import type { AdapterLimits, GpuContext } from './types.ts';

/** The limits the adapter report records. */
export const REPORTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'] as const;

export function adapterLimits(limits: GPUSupportedLimits): AdapterLimits {
  return {
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
    maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
  };
}

/**
 * The kernels index storage in u32 elements and count work units and invocations in u32, so a
 * buffer holds at most 2^32 bytes (2^30 float32 elements) whatever the device allows.
 */
export const U32_INDEX_BYTES = 2 ** 32;

/** How big one storage buffer (bound whole) may be, and which limit says so. */
export interface StorageLimit {
  /** Bytes, a multiple of 16 (every buffer is sized up to 16 bytes). */
  readonly bytes: number;
  /** The same in 4-byte words (float32 or u32 elements), a multiple of 4. */
  readonly words: number;
  /** The limit that binds: a device limit, the kernels' u32 indexing, or a test hook. */
  readonly name: string;
  /** That limit's value in bytes. */
  readonly value: number;
}

/**
 * The largest storage buffer a kernel may bind on `ctx`: the smaller of the device's
 * maxStorageBufferBindingSize and maxBufferSize (every storage buffer is bound whole), at most
 * U32_INDEX_BYTES; REFSIM_TEST_MAX_BINDING_BYTES / REFSIM_TEST_MAX_BUFFER_BYTES lower it (tests).
 */
export function storageLimit(ctx: GpuContext): StorageLimit {
  const l = ctx.device.limits;
  const candidates: Array<[string, number | null]> = [
    ['maxStorageBufferBindingSize', l.maxStorageBufferBindingSize],
    ['maxBufferSize', l.maxBufferSize],
    ['u32 indexing of the kernels', U32_INDEX_BYTES],
    ['REFSIM_TEST_MAX_BINDING_BYTES', forcedMaxBindingBytes()],
    ['REFSIM_TEST_MAX_BUFFER_BYTES', forcedMaxBufferBytes()],
  ];
  let [name, value] = ['maxStorageBufferBindingSize', l.maxStorageBufferBindingSize];
  for (const [n, v] of candidates) if (v !== null && v < value) [name, value] = [n, v];
  const bytes = Math.floor(value / 16) * 16;
  return { bytes, words: bytes / 4, name, value };
}
