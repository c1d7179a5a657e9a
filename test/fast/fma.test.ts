/**
 * The 'fma' profile's two mechanisms: the exact scalar $fma32 (against the project's fma32, the
 * oracle) and the midpoint flag with its exact redo, driven by cases built to land on float32
 * midpoints (where a·b + c rounded through f64 differs from one rounding).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Arena } from '../../src/fast/arena.ts';
import { runFast } from '../../src/fast/index.ts';
import { loadKernels } from '../../src/fast/module.ts';
import type { OpCase, OpSpec } from '../../src/ops/types.ts';
import { f32Bits, fma32, hexBits, nextDown, nextUp } from '../../src/reference/float32.ts';
import { tensor } from '../../src/reference/tensor.ts';
import { doubleRoundingOperands } from '../support/exactFloat32.ts';
import { bitsIndependent, float32InExponents, float32Mixed } from '../support/float32Arb.ts';
import { fcParams } from '../support/seed.ts';
import { expectBitExact } from '../support/tensorArb.ts';
import { tsSpecs } from './helpers.ts';

const { depthwiseConv2d: depthwiseConv2dSpec, groupNorm: groupNormSpec, linear: linearSpec, pointwiseConv2d: pointwiseConv2dSpec } = tsSpecs;

const kernels = loadKernels();
const wasmFma = (a: number, b: number, c: number): number => kernels!.exports['fma32']!(a, b, c);

function expectSameFma(a: number, b: number, c: number): void {
  const got = wasmFma(a, b, c);
  const want = fma32(a, b, c);
  if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) {
    throw new Error(`fma32(${hexBits(a)}, ${hexBits(b)}, ${hexBits(c)}): wasm ${hexBits(got)}, reference ${hexBits(want)}`);
  }
}

/** Odd-significand float32 values of one binade 2^e (so doubleRoundingOperands gives the same b for all). */
const oddInBinade = (e: number) => fc.integer({ min: 0, max: 2 ** 22 - 1 }).map((k) => Math.fround((1 + (2 * k + 1) * 2 ** -23) * 2 ** e));

describe('exact scalar fma32 in wasm', () => {
  test('WebAssembly SIMD is available here (the fast path is not silently off)', () => {
    expect(kernels).not.toBeNull();
  });

  test('equals the reference fma32 on mixed operands (subnormals, overflow, zeros, NaN)', () => {
    fc.assert(fc.property(float32Mixed, float32Mixed, float32Mixed, expectSameFma), fcParams(4000));
  });

  test('equals it near cancellation and on double-rounding triples', () => {
    fc.assert(
      fc.property(float32Mixed, float32Mixed, fc.integer({ min: -3, max: 3 }), (a, b, k) => {
        let c = Math.fround(-(a * b));
        if (!Number.isFinite(c)) return;
        for (let i = 0; i < Math.abs(k); i++) c = k > 0 ? nextUp(c) : nextDown(c);
        expectSameFma(a, b, c);
      }),
      fcParams(2000),
    );
    fc.assert(
      fc.property(float32InExponents(-90, 90).filter((c) => c !== 0 && (bitsIndependent(c) & 1) === 1), fc.boolean(), (c, up) => {
        const [a, b] = doubleRoundingOperands(c, up);
        expect(Math.fround(a * b + c), 'the triple double-rounds through f64').not.toBe(fma32(a, b, c));
        expectSameFma(a, b, c);
      }),
      fcParams(1000),
    );
  });

  test('minLowBit: the lowest possibly set bit over nonzero finite elements', () => {
    const k = kernels!.exports;
    const arena = new Arena(kernels!.memory);
    fc.assert(
      fc.property(fc.array(float32Mixed, { maxLength: 40 }), (values) => {
        arena.reset();
        const at = arena.putF32(Float32Array.from(values));
        let want = 255;
        for (const v of values) {
          const e = (f32Bits(v) >>> 23) & 0xff;
          if (v !== 0 && Number.isFinite(v)) want = Math.min(want, Math.max(e, 1) - 150);
        }
        expect(k['minLowBit']!(at, values.length)).toBe(want);
      }),
      fcParams(500),
    );
  });
});

/** Runs both paths and checks the case really defeats an unchecked f64 step somewhere. */
function expectHardCaseMatches(spec: OpSpec, c: OpCase, triple: [number, number, number]): void {
  const [a, b, cc] = triple;
  expect(Math.fround(a * b + cc), 'an unchecked f64 step would round this case wrong').not.toBe(fma32(a, b, cc));
  for (const threads of [1, 3]) {
    const got = runFast(spec.name, c, 'fma', threads);
    expect(got).not.toBeNull();
    expectBitExact(got!, spec.reference(c, 'fma'), `${spec.name} hard fma case (${threads} threads)`);
  }
}

describe('midpoint flag and exact redo', () => {
  // Every output's chain: acc = c (from c·1), then acc = fma(a, b, c) lands on a midpoint in f64.
  const rows = fc.tuple(fc.array(oddInBinade(3), { minLength: 1, maxLength: 9 }), fc.boolean(), fc.constantFrom(0, 70));

  test('linear: hard steps at the start and after the first 64-step block', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 10 }), ([cs, up, at], outF) => {
        const inF = at + 3;
        const n = cs.length;
        const pairs = cs.map((c) => doubleRoundingOperands(c, up));
        const x = tensor([n, inF]);
        const w = tensor([outF, inF]);
        cs.forEach((c, r) => {
          x.data[r * inF + at] = c;
          x.data[r * inF + at + 1] = pairs[r]![0];
          x.data[r * inF + at + 2] = 0.5;
        });
        for (let o = 0; o < outF; o++) {
          w.data[o * inF + at] = 1;
          w.data[o * inF + at + 1] = pairs[0]![1];
          w.data[o * inF + at + 2] = o;
        }
        const c: OpCase = { op: 'linear', params: {}, inputs: { x, weight: w, bias: null } };
        expectHardCaseMatches(linearSpec, c, [pairs[0]![0], pairs[0]![1], cs[0]!]);
      }),
      fcParams(40),
    );
  });

  test('pointwiseConv2d: hard steps per pixel, in the first and a later channel block', () => {
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 9 }), ([cs, up, at], cout) => {
        const cin = at + 2;
        const hw = cs.length;
        const pairs = cs.map((c) => doubleRoundingOperands(c, up));
        const x = tensor([1, cin, 1, hw]);
        const w = tensor([cout, cin, 1, 1]);
        cs.forEach((c, p) => {
          x.data[at * hw + p] = c;
          x.data[(at + 1) * hw + p] = pairs[p]![0];
        });
        for (let co = 0; co < cout; co++) {
          w.data[co * cin + at] = 1;
          w.data[co * cin + at + 1] = pairs[0]![1];
        }
        const c: OpCase = { op: 'pointwiseConv2d', params: {}, inputs: { x, weight: w, bias: null } };
        expectHardCaseMatches(pointwiseConv2dSpec, c, [pairs[0]![0], pairs[0]![1], cs[0]!]);
      }),
      fcParams(40),
    );
  });

  test('depthwiseConv2d: hard second tap (2×1 kernel: row 0 gives c, row 1 adds a·b)', () => {
    fc.assert(
      fc.property(rows, ([cs, up]) => {
        const wd = cs.length + 4;
        const pairs = cs.map((c) => doubleRoundingOperands(c, up));
        const x = tensor([1, 1, 3, wd]);
        cs.forEach((c, i) => {
          x.data[i] = c;
          x.data[wd + i] = pairs[i]![0];
        });
        const c: OpCase = {
          op: 'depthwiseConv2d',
          params: { stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
          inputs: { x, weight: tensor([1, 1, 2, 1], [1, pairs[0]![1]]), bias: null },
        };
        expectHardCaseMatches(depthwiseConv2dSpec, c, [pairs[0]![0], pairs[0]![1], cs[0]!]);
      }),
      fcParams(40),
    );
  });

  test('depthwiseConv2d 3×3, padding 1 (the unrolled two-group path): hard second tap on every interior output', () => {
    fc.assert(
      fc.property(fc.array(oddInBinade(3), { minLength: 9, maxLength: 20 }), fc.boolean(), (cs, up) => {
        const wd = cs.length;
        const pairs = cs.map((c) => doubleRoundingOperands(c, up));
        // input row 0: c, row 1: a; kernel tap (0,0) = 1, tap (1,0) = b: output row 1 is fma(a, b, c) per column
        const x = tensor([1, 1, 3, wd]);
        cs.forEach((c, i) => {
          x.data[i] = c;
          x.data[wd + i] = pairs[i]![0];
        });
        const c: OpCase = {
          op: 'depthwiseConv2d',
          params: { stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
          inputs: { x, weight: tensor([1, 1, 3, 3], [1, 0, 0, pairs[0]![1], 0, 0, 0, 0, 0]), bias: null },
        };
        expectHardCaseMatches(depthwiseConv2dSpec, c, [pairs[0]![0], pairs[0]![1], cs[0]!]);
      }),
      fcParams(40),
    );
  });

  test('groupNorm: hard affine step fma(t, γ, β) (values ±a: mean 0, sd 1 with eps 1, so t = ±a)', () => {
    fc.assert(
      fc.property(oddInBinade(-5), fc.boolean(), fc.integer({ min: 1, max: 5 }), (beta, up, quads) => {
        const [a, gamma] = doubleRoundingOperands(beta, up);
        const x = tensor([1, 1, 4 * quads + 1], [...Array.from({ length: 4 * quads }, (_, i) => (i % 2 === 0 ? a : -a)), 0]);
        const c: OpCase = {
          op: 'groupNorm',
          params: { numGroups: 1, eps: 1 },
          inputs: { x, weight: tensor([1], [gamma]), bias: tensor([1], [beta]) },
        };
        expectHardCaseMatches(groupNormSpec, c, [a, gamma, beta]);
      }),
      fcParams(40),
    );
  });
  test('linear with products below the subnormal grid: the minLowBit check sends the call to the exact path', () => {
    const a = Math.fround(2 ** -75 * (1 + 2 ** -23));
    const b = Math.fround(2 ** -75 * (1 - 2 ** -23));
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 2 ** 21 }), fc.integer({ min: 1, max: 9 }), (k, rows) => {
        const c = (2 * k + 1) * 2 ** -149;
        const x = tensor([rows, 2], Array.from({ length: rows }, () => [c, a]).flat());
        const w = tensor([5, 2], [1, b, 1, b, 1, b, 1, b, 1, b]);
        expectHardCaseMatches(linearSpec, { op: 'linear', params: {}, inputs: { x, weight: w, bias: null } }, [a, b, c]);
      }),
      fcParams(40),
    );
  });

  test('groupNorm: hard affine step in the subnormal range (a·b just below half the smallest subnormal step)', () => {
    // a·b = 2^-150·(1 − 2^-46): β + a·b rounds in f64 to the midpoint β + 2^-150, while the exact
    // sum lies below it; with β an odd multiple of 2^-149 (≥ 2^-143, so the sum needs more than 53
    // bits) the tie would go up.
    const a = Math.fround(2 ** -75 * (1 + 2 ** -23));
    const gamma = Math.fround(2 ** -75 * (1 - 2 ** -23));
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 2 ** 21 }), fc.boolean(), (k, neg) => {
        const beta = (neg ? -1 : 1) * (2 * k + 1) * 2 ** -149;
        const x = tensor([1, 1, 8], [a, -a, a, -a, a, -a, a, -a]);
        const c: OpCase = { op: 'groupNorm', params: { numGroups: 1, eps: 1 }, inputs: { x, weight: tensor([1], [gamma]), bias: tensor([1], [beta]) } };
        expectHardCaseMatches(groupNormSpec, c, [neg ? -a : a, gamma, beta]);
      }),
      fcParams(40),
    );
  });
});
