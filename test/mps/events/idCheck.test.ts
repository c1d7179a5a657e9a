import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIds, type IdWidth } from '../../../src/index.ts';
import { edgyUint } from '../../support/arbitraries.ts';
import { fcParams } from '../../support/seed.ts';

const ids = (start: bigint, n: number, width: IdWidth): bigint[] =>
  Array.from({ length: n }, (_, i) => (start + BigInt(i + 1)) % 2n ** 64n % 2n ** BigInt(width));

describe('checkIds (shared by CPU workers, the GPU kernel and stress runs)', () => {
  it('finds one planted duplicate and the id it displaced, wherever they are', () => {
    fc.assert(
      fc.property(edgyUint(64), fc.constantFrom<IdWidth>(64, 32), fc.integer({ min: 2, max: 200 }), fc.nat(), fc.nat(), (s, w, n, i0, j0) => {
        const list = ids(s, n, w);
        const i = i0 % n;
        const j = (i + 1 + (j0 % (n - 1))) % n;
        const displaced = list[i] as bigint;
        list[i] = list[j] as bigint;
        const r = checkIds(list, { start: s, width: w });
        expect(r).toMatchObject({ total: n, duplicates: 1, missing: 1, unexpected: 0, ok: false });
        expect(r.duplicateSamples).toEqual([list[j]]);
        expect(r.missingSamples).toEqual([displaced]);
      }),
      fcParams(200),
    );
  });

  it('reports ids outside the predicted range as unexpected, and per-chunk order breaks', () => {
    const r = checkIds([[1n, 2n, 3n], [5n, 4n]], { start: 0n, width: 64 });
    expect(r).toMatchObject({ duplicates: 0, missing: 0, unexpected: 0, orderViolations: 1, ok: false });
    const u = checkIds([1n, 2n, 99n, 2n ** 40n + 3n], { start: 0n, width: 64 });
    expect(u).toMatchObject({ unexpected: 2, missing: 2, unexpectedSamples: [99n, 2n ** 40n + 3n], min: 1n, max: 2n ** 40n + 3n });
  });

  it('reduces 64-bit values to 32-bit ids (id_t) and accepts Uint32Array ids (the GPU kernel) only at width 32', () => {
    const start = 2n ** 32n - 2n;
    const values = BigUint64Array.from(ids(start, 4, 64));
    const asIds = checkIds(values, { start, width: 32 });
    expect(asIds).toMatchObject({ sentinelHits: 1, reissued: 2, min: 0n, max: 2n ** 32n - 1n, wraps: true, expectedLast: 2n });
    const gpu = checkIds(Uint32Array.from([4294967295, 0, 1, 2]), { start, width: 32 });
    expect(gpu).toMatchObject({ ...{ sentinelHits: 1, duplicates: 0, missing: 0, reissued: 2 } });
    expect(() => checkIds(new Uint32Array(2), { start: 0n, width: 64 })).toThrow(/ids must be a BigUint64Array or bigint\[\] for 64-bit ids/);
  });

  it('handles the empty list', () => {
    expect(checkIds([], { start: 5n, width: 64 })).toMatchObject({ total: 0, ok: true, min: null, max: null });
  });
});
