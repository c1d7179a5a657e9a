/**
 * The MPS allocator's size rounding, from PyTorch's aten/src/ATen/mps/MPSAllocator.h and
 * MPSAllocator.mm (pytorch/pytorch, header at commit 01f98b3ed0f0; see
 * ../shared/research/pytorch-mps.md). Constants as in that header:
 *   kMaxSmallAlloc = 1 MiB, kMinLargeAlloc = 10 MiB, kRoundLarge = 2 MiB,
 *   kSmallHeap = 8 MiB, kLargeHeap = 32 MiB, kXLargeHeap = 1024 MiB, kMaxScalarAlloc = 8 bytes.
 *
 * Modelled steps of `alloc_buffer_block(size, usage)`:
 * 1. `TORCH_CHECK(size < m_max_buffer_size, "Invalid buffer size")`.
 * 2. `get_allocation_size`: Metal's `heapBufferSizeAndAlignWithLength` returns a device-specific
 *    (size, align); that call is an input here (`DeviceModel`), then `BufferBlock::alignUp(size, align)`.
 *    In the `bucketed` allocator version (newer sources), a non-scalar aligned size above
 *    kMaxSmallAlloc is further rounded to granule = max(vm_page_size, 2^floor(log2(aligned)) >> 5),
 *    kept only if it stays in the same heap tier and below the device's max buffer length.
 * 3. `get_pool`: SCALAR usage -> scalar pool; aligned size <= kMaxSmallAlloc -> small pool;
 *    else large pool (shared or private by usage).
 * 4. `HeapBlock::createHeapBlock` for a new heap: size <= kMaxSmallAlloc -> kSmallHeap;
 *    < kMinLargeAlloc -> kLargeHeap; < kXLargeHeap/2 without memory pressure -> kXLargeHeap;
 *    otherwise the size rounded up to a multiple of kRoundLarge, and the heap is not split.
 *
 * Abstracted away: the Metal calls themselves (modelled by DeviceModel), reuse of cached buffers,
 * watermarks and garbage collection. Arithmetic is on a 64-bit size_t through the alignUp simulator,
 * so the variant (seed / upstream) of alignUp decides what happens at the top of the range.
 */
import { InputRangeError, optionsObject, RefsimError } from '../errors.ts';
import { type AlignVariant, alignUpVariant } from './alignUp.ts';
import { assertUint } from './uint.ts';

const MiB = 1n << 20n;
export const kMaxSmallAlloc = 1n * MiB;
export const kMinLargeAlloc = 10n * MiB;
export const kRoundLarge = 2n * MiB;
export const kSmallHeap = 8n * MiB;
export const kLargeHeap = 32n * MiB;
export const kXLargeHeap = 1024n * MiB;
export const kMaxScalarAlloc = 8n;

/** Stand-in for the Metal device: what `heapBufferSizeAndAlignWithLength` and `maxBufferLength` return. */
export interface DeviceModel {
  readonly name: string;
  /** (size, align) for a buffer of `length` bytes on a heap. */
  heapBufferSizeAndAlign(length: bigint): { size: bigint; align: bigint };
  readonly maxBufferLength: bigint;
  /** vm_page_size: 16 KiB on Apple silicon. */
  readonly vmPageSize: bigint;
}

/**
 * An assumed Apple-silicon-like device: Metal reports the length unchanged and a 16 KiB alignment,
 * max buffer length 2^35 bytes. These are modelling inputs, not measured facts; pass another
 * DeviceModel (or `--heap-align`/`--max-buffer` on the CLI) to explore others.
 */
export function makeDeviceModel(options: { align?: bigint; maxBufferLength?: bigint; vmPageSize?: bigint; name?: string } = {}): DeviceModel {
  const opts = optionsObject(options);
  const align = opts.align ?? 16384n;
  assertUint(align, 64, 'options.align');
  if (opts.maxBufferLength !== undefined) assertUint(opts.maxBufferLength, 64, 'options.maxBufferLength');
  if (opts.vmPageSize !== undefined) assertUint(opts.vmPageSize, 64, 'options.vmPageSize');
  if (opts.name !== undefined && typeof opts.name !== 'string') throw new InputRangeError('options.name', 'a string', opts.name);
  return {
    name: opts.name ?? `model(align=${align})`,
    heapBufferSizeAndAlign: (length) => ({ size: length, align }),
    maxBufferLength: opts.maxBufferLength ?? 1n << 35n,
    vmPageSize: opts.vmPageSize ?? 16384n,
  };
}

export type AllocatorVersion = 'classic' | 'bucketed';
export type PoolKind = 'scalar' | 'shared-small' | 'private-small' | 'shared-large' | 'private-large';
export type HeapTier = 'small' | 'large' | 'xlarge' | 'single-buffer';

export interface AllocUsage {
  readonly shared?: boolean;
  readonly scalar?: boolean;
}

export interface AllocPlan {
  readonly requested: bigint;
  readonly metalSize: bigint;
  readonly metalAlign: bigint;
  /** alignUp(metalSize, metalAlign). */
  readonly aligned: bigint;
  /** The size actually allocated (aligned, or bucketed in the bucketed version). */
  readonly allocationSize: bigint;
  readonly bucketGranule: bigint | null;
  readonly pool: PoolKind;
  readonly heapTier: HeapTier;
  /** Size of a new heap created for this allocation. */
  readonly heapSize: bigint;
  /** Whether that heap is split among several buffers. */
  readonly heapSplit: boolean;
  readonly version: AllocatorVersion;
  readonly variant: AlignVariant;
}

/** `TORCH_CHECK(size < m_max_buffer_size, "Invalid buffer size: ...")`. */
export class InvalidBufferSizeError extends RefsimError {
  constructor(readonly size: bigint, readonly maxBufferLength: bigint) {
    super('E_INVALID_BUFFER_SIZE', `Invalid buffer size: ${size} bytes (must be < maxBufferLength ${maxBufferLength})`);
  }
}

/** The heap-size class `createHeapBlock` chooses for an allocation of `size` bytes. */
export function heapTier(size: bigint, memoryPressure = false): HeapTier {
  assertUint(size, 64, 'size');
  if (size <= kMaxSmallAlloc) return 'small';
  if (size < kMinLargeAlloc) return 'large';
  if (size < kXLargeHeap / 2n && !memoryPressure) return 'xlarge';
  return 'single-buffer';
}

/** Size of a new heap for an allocation of `size` bytes, and whether it is split. */
export function heapSizeFor(size: bigint, memoryPressure = false): { heapSize: bigint; split: boolean } {
  switch (heapTier(size, memoryPressure)) {
    case 'small':
      return { heapSize: kSmallHeap, split: true };
    case 'large':
      return { heapSize: kLargeHeap, split: true };
    case 'xlarge':
      return { heapSize: kXLargeHeap, split: true };
    case 'single-buffer':
      // kRoundLarge * ((size + kRoundLarge - 1) / kRoundLarge): size is below maxBufferLength, so no wrap.
      return { heapSize: kRoundLarge * ((size + kRoundLarge - 1n) / kRoundLarge), split: false };
  }
}

/** Index of the highest set bit (63 - __builtin_clzll(v)); v > 0. */
function floorLog2(v: bigint): bigint {
  return BigInt(v.toString(2).length - 1);
}

export interface PlanOptions {
  readonly usage?: AllocUsage;
  readonly device?: DeviceModel;
  readonly version?: AllocatorVersion;
  readonly variant?: AlignVariant;
  readonly memoryPressure?: boolean;
}

/** Plans one allocation as `alloc_buffer_block` + `createHeapBlock` would size it. */
export function planAllocation(size: bigint, options: PlanOptions = {}): AllocPlan {
  assertUint(size, 64, 'size');
  const opts = optionsObject(options);
  const device = opts.device ?? makeDeviceModel();
  const d = device as Partial<DeviceModel> | null;
  if (typeof d !== 'object' || d === null || typeof d.heapBufferSizeAndAlign !== 'function' || typeof d.maxBufferLength !== 'bigint' || typeof d.vmPageSize !== 'bigint') {
    throw new InputRangeError('options.device', 'a DeviceModel (see makeDeviceModel)', device);
  }
  const usage = optionsObject(opts.usage, 'options.usage');
  const version = opts.version ?? 'classic';
  const variant = opts.variant ?? 'seed';
  if (version !== 'classic' && version !== 'bucketed') throw new InputRangeError('version', "'classic' or 'bucketed'", version);
  if (!(size < device.maxBufferLength)) throw new InvalidBufferSizeError(size, device.maxBufferLength);

  const { size: metalSize, align: metalAlign } = device.heapBufferSizeAndAlign(size);
  const aligned = alignUpVariant(metalSize, metalAlign, 64, variant);
  let allocationSize = aligned;
  let bucketGranule: bigint | null = null;
  if (version === 'bucketed' && !usage.scalar && aligned > kMaxSmallAlloc) {
    let granule = (1n << floorLog2(aligned)) >> 5n;
    if (granule < device.vmPageSize) granule = device.vmPageSize;
    const bucketed = alignUpVariant(aligned, granule, 64, variant);
    if (!(bucketed >= device.maxBufferLength) && heapTier(bucketed) === heapTier(aligned)) {
      allocationSize = bucketed;
      bucketGranule = granule;
    }
  }
  let pool: PoolKind;
  if (usage.scalar) pool = 'scalar';
  else if (allocationSize <= kMaxSmallAlloc) pool = usage.shared ? 'shared-small' : 'private-small';
  else pool = usage.shared ? 'shared-large' : 'private-large';
  const memoryPressure = opts.memoryPressure ?? false;
  const { heapSize, split } = heapSizeFor(allocationSize, memoryPressure);
  return {
    requested: size,
    metalSize,
    metalAlign,
    aligned,
    allocationSize,
    bucketGranule,
    pool,
    heapTier: heapTier(allocationSize, memoryPressure),
    heapSize,
    heapSplit: split,
    version,
    variant,
  };
}

