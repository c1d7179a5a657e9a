import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f32Bits } from '../../../src/reference/float32.ts';
import { relu } from '../../../src/ops/relu/reference.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { anyFloat32Bits, bitsIndependent, floatFromBitsIndependent } from '../../support/float32Arb.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { fcParams } from '../../support/seed.ts';

/** The contract on bits: negative numbers (sign set, not NaN, not −0) → +0; everything else unchanged. */
function expectedBits(bits: number): number {
  const negative = bits >>> 31 === 1;
  const mag = bits & 0x7fffffff;
  return negative && mag !== 0 && mag <= 0x7f800000 ? 0 : bits >>> 0;
}

describe('relu', () => {
  it('keeps −0 and NaN (PyTorch), zeroes negatives including −Inf', () => {
    const y = relu(tensor([6], [-0, NaN, -Infinity, Infinity, -1e-45, 2]));
    expect(Object.is(y.data[0], -0)).toBe(true);
    expect(Number.isNaN(y.data[1])).toBe(true);
    expect(Array.from(y.data.subarray(2))).toEqual([0, Infinity, 0, 2]);
    expect(Object.is(y.data[4], 0)).toBe(true);
  });

  it('is bitwise the documented select on every float32 bit pattern, NaN payloads included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }), (bits) => {
        const x = { shape: [bits.length], data: new Float32Array(new Uint32Array(bits).buffer) };
        const y = new Uint32Array(relu(x).data.buffer);
        bits.forEach((b, i) => {
          if (y[i] !== expectedBits(b)) throw new Error(`relu bits 0x${b.toString(16)} → 0x${y[i]!.toString(16)}, expected 0x${expectedBits(b).toString(16)}`);
        });
      }),
      fcParams(200),
    );
  });

  it('is idempotent bit for bit and leaves its input untouched', () => {
    fc.assert(
      fc.property(fc.array(anyFloat32Bits, { minLength: 1, maxLength: 64 }), (vals) => {
        const x = tensor([vals.length], vals);
        const before = Array.from(x.data, f32Bits);
        const once = relu(x);
        const twice = relu(once);
        expect(Array.from(twice.data, f32Bits)).toEqual(Array.from(once.data, f32Bits));
        expect(Array.from(x.data, f32Bits)).toEqual(before);
      }),
      fcParams(200),
    );
    expect(bitsIndependent(floatFromBitsIndependent(0x80000000))).toBe(0x80000000);
  });

  it('accepts any rank and keeps the shape', () => {
    expect(relu(tensor([2, 1, 3], [-1, 1, -2, 2, 0, -0])).shape).toEqual([2, 1, 3]);
    expect(Array.from(relu(tensor([], [-5])).data)).toEqual([0]);
  });

  it('rejects malformed tensors with an InputRangeError naming the parameter', () => {
    expectInputRangeError(() => relu({ shape: [2, 0], data: new Float32Array(0) }), 'x.shape[1]');
    expectInputRangeError(() => relu({ shape: [3], data: new Float32Array(2) }), 'x.data.length');
    expectInputRangeError(() => relu({ shape: [], data: new Float32Array(2) }), 'x.data.length');
    expectInputRangeError(() => relu({ shape: 3 as unknown as number[], data: new Float32Array(3) }), 'x.shape');
    expectInputRangeError(() => relu({ shape: [3], data: [1, 2, 3] as unknown as Float32Array }), 'x.data');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.oneof(fc.integer({ min: -3, max: 0 }), fc.double({ min: 0.1, max: 3, noInteger: true })), (shape, at, bad) => {
        const i = at % shape.length;
        const s = [...shape];
        s[i] = bad;
        expectInputRangeError(() => relu({ shape: s, data: new Float32Array(4) }), `x.shape[${i}]`);
      }),
      fcParams(100),
    );
    expectInputRangeError(() => relu(tensor([1]), { profile: 'x' as 'fma' }), 'options.profile');
  });
});
