import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AlignmentAssertError,
  AlignmentOverflowError,
  alignUp,
  alignUpVariant,
  traceAlignUp,
  UINT_MAX,
  type UintBits,
} from '../../src/reference/index.ts';
import { edgyUint, pow2Alignment } from '../support/arbitraries.ts';
import { fcParams } from '../support/seed.ts';

const widths: UintBits[] = [64, 32];
const N = 2000;

/** Mathematical statement of the seed variant's result: the least multiple of a that is >= s. */
const ceilMultiple = (s: bigint, a: bigint): bigint => ((s + a - 1n) / a) * a;

describe.each(widths)('alignUp on a %i-bit size_t (seed variant)', (bits) => {
  const max = UINT_MAX[bits];
  const ok = fc
    .tuple(edgyUint(bits), pow2Alignment(bits))
    .filter(([s, a]) => s <= max - a + 1n);

  it('returns the least multiple of the alignment that is >= size', () => {
    fc.assert(
      fc.property(ok, ([s, a]) => {
        const r = alignUp(s, a, bits);
        expect(r >= s).toBe(true);
        expect(r % a).toBe(0n);
        expect(r - s < a).toBe(true);
        expect(r).toBe(ceilMultiple(s, a));
      }),
      fcParams(N),
    );
  });

  it('is idempotent', () => {
    fc.assert(fc.property(ok, ([s, a]) => alignUp(alignUp(s, a, bits), a, bits) === alignUp(s, a, bits)), fcParams(N));
  });

  it('is monotone in size', () => {
    fc.assert(
      fc.property(ok, edgyUint(bits), ([s1, a], s2raw) => {
        const s2 = s2raw <= max - a + 1n ? s2raw : max - a + 1n;
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(alignUp(lo, a, bits) <= alignUp(hi, a, bits)).toBe(true);
      }),
      fcParams(N),
    );
  });

  it('raises AlignmentOverflowError exactly when size > SIZE_MAX - alignment + 1', () => {
    fc.assert(
      fc.property(edgyUint(bits), pow2Alignment(bits), (s, a) => {
        const limit = 2n ** BigInt(bits) - a; // SIZE_MAX - a + 1 without wrapping, since a >= 1
        const t = traceAlignUp(s, a, bits, 'seed');
        expect(t.outcome.ok).toBe(s <= limit);
        if (!t.outcome.ok) {
          expect(t.outcome.error).toBeInstanceOf(AlignmentOverflowError);
          expect(t.outcome.error.size).toBe(s);
          expect(t.outcome.error.alignment).toBe(a);
        }
      }),
      fcParams(N),
    );
  });

  it('raises AlignmentAssertError exactly for non-zero alignments that are not powers of two', () => {
    fc.assert(
      fc.property(edgyUint(bits), edgyUint(bits), (s, a) => {
        const isPow2 = a !== 0n && (a & (a - 1n)) === 0n;
        let assertFired = false;
        try {
          alignUp(s, a, bits);
        } catch (e) {
          assertFired = e instanceof AlignmentAssertError;
          if (assertFired) expect((e as AlignmentAssertError).alignment).toBe(a);
        }
        expect(assertFired).toBe(a !== 0n && !isPow2);
      }),
      fcParams(N),
    );
  });

});

describe('32-bit model', () => {
  it('agrees between the 32-bit and 64-bit models wherever the 32-bit one does not fail', () => {
    fc.assert(
      fc.property(edgyUint(32), edgyUint(32), (s, a) => {
        let r32: bigint;
        try {
          r32 = alignUp(s, a, 32);
        } catch {
          return; // only claims about successful 32-bit results
        }
        expect(alignUp(s, a, 64)).toBe(r32);
      }),
      fcParams(N),
    );
  });
});

describe('alignment 0 (a finding: the power-of-two test passes for 0)', () => {
  it.each(widths)('%i-bit: ((0 - 1) & 0) == 0, so no variant asserts on alignment 0', (bits) => {
    for (const variant of ['seed', 'upstream', 'upstream-debug'] as const) {
      expect(traceAlignUp(5n, 0n, bits, variant).assertOperand).toBe(0n);
    }
  });

  it.each(widths)('%i-bit seed: alignUp(0, 0) = 0 and every size > 0 fails the overflow check (SIZE_MAX - 0 + 1 wraps to 0)', (bits) => {
    expect(alignUp(0n, 0n, bits)).toBe(0n);
    fc.assert(
      fc.property(edgyUint(bits).filter((s) => s > 0n), (s) => {
        const t = traceAlignUp(s, 0n, bits, 'seed');
        expect(t.overflowLimit).toBe(0n);
        expect(t.outcome.ok).toBe(false);
        expect(!t.outcome.ok && t.outcome.error).toBeInstanceOf(AlignmentOverflowError);
      }),
      fcParams(500),
    );
  });

  it.each(widths)('%i-bit upstream and upstream-debug: alignUp(size, 0) = 0 for every size (mask ~(0 - 1) = 0)', (bits) => {
    fc.assert(
      fc.property(edgyUint(bits), (s) => {
        expect(alignUpVariant(s, 0n, bits, 'upstream')).toBe(0n);
        expect(alignUpVariant(s, 0n, bits, 'upstream-debug')).toBe(0n);
      }),
      fcParams(500),
    );
  });
});

describe('upstream variants (no overflow check)', () => {
  it.each(widths)('%i-bit: equal the seed wherever the seed succeeds', (bits) => {
    fc.assert(
      fc.property(edgyUint(bits), edgyUint(bits), (s, a) => {
        let seed: bigint;
        try {
          seed = alignUp(s, a, bits);
        } catch {
          return;
        }
        expect(alignUpVariant(s, a, bits, 'upstream')).toBe(seed);
        expect(alignUpVariant(s, a, bits, 'upstream-debug')).toBe(seed);
      }),
      fcParams(N),
    );
  });

  it.each(widths)('%i-bit: wrap to 0 on exactly the inputs where the seed overflow check fires', (bits) => {
    fc.assert(
      fc.property(edgyUint(bits), pow2Alignment(bits), (s, a) => {
        const overflows = s > 2n ** BigInt(bits) - a;
        const r = alignUpVariant(s, a, bits, 'upstream');
        if (overflows) expect(r).toBe(0n);
        else expect(r).toBe(ceilMultiple(s, a));
        // and the result is below the size, the contract "result >= size" broken:
        if (overflows) expect(r < s).toBe(true);
      }),
      fcParams(N),
    );
  });

  it('upstream release returns a non-multiple for a non-power-of-two alignment: (1 + 3 - 1) & ~(3 - 1) = 1', () => {
    expect(alignUpVariant(1n, 3n, 64, 'upstream')).toBe(1n);
    expect(() => alignUpVariant(1n, 3n, 64, 'upstream-debug')).toThrow(AlignmentAssertError);
  });

  it('SIZE_MAX aligned to 16: seed raises, upstream returns 0', () => {
    expect(() => alignUp(UINT_MAX[64], 16n)).toThrow(AlignmentOverflowError);
    expect(alignUpVariant(UINT_MAX[64], 16n, 64, 'upstream')).toBe(0n);
  });
});

describe('input validation', () => {
  it('rejects non-bigint, negative and out-of-range operands with a RangeError naming the parameter', () => {
    expect(() => alignUp(-1n, 16n)).toThrow(/size must be an integer in \[0, 2\^64 - 1\]/);
    expect(() => alignUp(2n ** 64n, 16n)).toThrow(RangeError);
    expect(() => alignUp(2n ** 32n, 16n, 32)).toThrow(/size must be an integer in \[0, 2\^32 - 1\]/);
    expect(() => alignUp(1n, -16n)).toThrow(/alignment/);
    expect(() => alignUp(1 as unknown as bigint, 16n)).toThrow(/size must be a bigint/);
    expect(() => alignUp(1n, 16n, 16 as unknown as UintBits)).toThrow(/bits must be 64 or 32/);
  });

  it('rejects any bigint outside the width', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ max: -1n }), fc.bigInt({ min: 2n ** 64n })), (v) => {
        expect(() => alignUp(v, 1n)).toThrow(RangeError);
        expect(() => alignUp(1n, v)).toThrow(RangeError);
      }),
      fcParams(200),
    );
  });
});
