import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  heapSizeFor,
  InvalidBufferSizeError,
  kMaxSmallAlloc,
  kXLargeHeap,
  makeDeviceModel,
  planAllocation,
} from '../../src/reference/index.ts';
import { fcParams } from '../support/seed.ts';

const MiB = 1n << 20n;
const maxBuffer = 1n << 35n;
const request = fc.oneof(
  fc.bigInt({ min: 0n, max: 4n * MiB }),
  fc.bigInt({ min: 0n, max: maxBuffer - 1n }),
  fc.integer({ min: 0, max: 34 }).chain((k) => fc.bigInt({ min: -64n, max: 64n }).map((d) => (1n << BigInt(k)) + d)).filter((v) => v >= 0n && v < maxBuffer),
);
const alignExp = fc.integer({ min: 0, max: 16 }).map((e) => 1n << BigInt(e));
const versions = ['classic', 'bucketed'] as const;

describe.each(versions)('planAllocation (%s allocator)', (version) => {
  it('allocation size >= request, aligned to Metal alignment, heap size >= allocation', () => {
    fc.assert(
      fc.property(request, alignExp, fc.boolean(), fc.boolean(), (size, align, shared, pressure) => {
        const p = planAllocation(size, { version, device: makeDeviceModel({ align }), usage: { shared }, memoryPressure: pressure });
        expect(p.allocationSize >= size).toBe(true);
        expect(p.allocationSize % align).toBe(0n);
        expect(p.heapSize >= p.allocationSize).toBe(true);
        expect(p.pool.endsWith(p.allocationSize <= kMaxSmallAlloc ? 'small' : 'large')).toBe(true);
        expect(p.pool.startsWith(shared ? 'shared' : 'private')).toBe(true);
      }),
      fcParams(1500),
    );
  });

  it('allocation size is monotone in the request', () => {
    fc.assert(
      fc.property(request, request, alignExp, (a, b, align) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const device = makeDeviceModel({ align });
        expect(planAllocation(lo, { version, device }).allocationSize <= planAllocation(hi, { version, device }).allocationSize).toBe(true);
      }),
      fcParams(1500),
    );
  });

  it('scalar usage goes to the scalar pool and is never bucketed', () => {
    fc.assert(
      fc.property(request, (size) => {
        const p = planAllocation(size, { version, usage: { scalar: true } });
        expect(p.pool).toBe('scalar');
        expect(p.allocationSize).toBe(p.aligned);
      }),
      fcParams(300),
    );
  });

  it("refuses sizes >= maxBufferLength (TORCH_CHECK 'Invalid buffer size')", () => {
    expect(() => planAllocation(maxBuffer, { version })).toThrow(InvalidBufferSizeError);
    expect(() => planAllocation(-1n, { version })).toThrow(RangeError);
  });
});

describe('heap sizing', () => {
  it('follows the size classes: 8 MiB, 32 MiB, 1 GiB, then a single buffer rounded to 2 MiB', () => {
    expect(heapSizeFor(1n * MiB)).toEqual({ heapSize: 8n * MiB, split: true });
    expect(heapSizeFor(1n * MiB + 1n)).toEqual({ heapSize: 32n * MiB, split: true });
    expect(heapSizeFor(10n * MiB - 1n)).toEqual({ heapSize: 32n * MiB, split: true });
    expect(heapSizeFor(10n * MiB)).toEqual({ heapSize: kXLargeHeap, split: true });
    expect(heapSizeFor(10n * MiB, true)).toEqual({ heapSize: 10n * MiB, split: false });
    expect(heapSizeFor(kXLargeHeap / 2n)).toEqual({ heapSize: 512n * MiB, split: false });
    expect(heapSizeFor(kXLargeHeap / 2n + 1n)).toEqual({ heapSize: 514n * MiB, split: false });
  });

  it('heap size is not monotone: just under 512 MiB reserves a 1 GiB heap, 512 MiB reserves 512 MiB', () => {
    expect(heapSizeFor(kXLargeHeap / 2n - 1n).heapSize).toBe(kXLargeHeap);
    expect(heapSizeFor(kXLargeHeap / 2n).heapSize).toBe(kXLargeHeap / 2n);
  });

  it('bucketing rounds a large request to 1/32 of its power-of-two magnitude within its heap tier', () => {
    const p = planAllocation(5_000_000n, { version: 'bucketed' });
    // aligned to 16 KiB: 5013504; granule = 2^22 >> 5 = 131072; rounded up: 5111808
    expect(p.aligned).toBe(5013504n);
    expect(p.bucketGranule).toBe(131072n);
    expect(p.allocationSize).toBe(5111808n);
  });
});
