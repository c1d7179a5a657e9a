import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupNorm } from '../../../src/ops/groupNorm/reference.ts';
import { tensor, type Tensor } from '../../../src/reference/tensor.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { float64Arith, fusedArith, naiveGroupNorm, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { mulberry32 } from '../../../src/util/rng.ts';
import { expectBitExact, expectWithin, randomTensor, seedArb, U } from '../../support/tensorArb.ts';

interface GnCase {
  x: Tensor;
  groups: number;
  gamma: Tensor | null;
  beta: Tensor | null;
  eps: number;
}

/** Values k·2^-8 in [-8, 8): few significant bits, so shifts by integers and scales by 3 stay exact. */
function quantizedTensor(shape: number[], seed: number): Tensor {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => Math.floor((r() - 0.5) * 4096) / 256) };
}

const gnCase: fc.Arbitrary<GnCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 4 }),
    perGroup: fc.integer({ min: 1, max: 3 }),
    // rank 2, 3 or 4: [N, C], [N, C, L], [N, C, H, W]; some groups exceed 256 elements (several strided passes).
    spatial: fc.oneof(fc.constant([] as number[]), fc.tuple(fc.integer({ min: 1, max: 40 })), fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))),
    hasGamma: fc.boolean(),
    hasBeta: fc.boolean(),
    eps: fc.constantFrom(1e-5, 1e-3, 0.1, 1),
    quantized: fc.boolean(),
    seed: seedArb,
  })
  .map(({ n, groups, perGroup, spatial, hasGamma, hasBeta, eps, quantized, seed }) => {
    const c = groups * perGroup;
    const shape = [n, c, ...spatial];
    return {
      x: quantized ? quantizedTensor(shape, seed) : randomTensor(shape, seed),
      groups,
      gamma: hasGamma ? randomTensor([c], seed + 1) : null,
      beta: hasBeta ? randomTensor([c], seed + 2) : null,
      eps,
    };
  });

const run = (c: GnCase, x = c.x, profile: 'strict' | 'fma' = 'strict', eps = c.eps) => groupNorm(x, c.groups, c.gamma, c.beta, eps, { profile });

/**
 * A simple first-order forward error bound (with generous factors) for the documented order,
 * from float64 statistics: mean error Em ≤ (n+2)u·mean|v|; variance relative error
 * r² + (n+5)u(1 + r²) with r = Em/σe; t error from numerator and sd errors; then the affine step.
 */
function gnBound(c: GnCase, x = c.x): { exact: number[]; bound: number[] } {
  const exact = naiveGroupNorm(float64Arith, x, c.groups, c.gamma, c.beta, Math.fround(c.eps)).data;
  const [N, C] = x.shape as [number, number];
  const S = x.data.length / (N * C);
  const cg = C / c.groups;
  const cnt = cg * S;
  const bound = new Array<number>(x.data.length).fill(0);
  for (let b = 0; b < N; b++)
    for (let g = 0; g < c.groups; g++) {
      const off = (b * C + g * cg) * S;
      const v = Array.from(x.data.subarray(off, off + cnt));
      const mu = v.reduce((a, e) => a + e, 0) / cnt;
      const varc = v.reduce((a, e) => a + (e - mu) ** 2, 0) / cnt;
      const sigmaE = Math.sqrt(varc + Math.fround(c.eps));
      const meanAbs = v.reduce((a, e) => a + Math.abs(e), 0) / cnt;
      const em = 1.01 * (cnt + 2) * U * meanAbs;
      const r = em / sigmaE;
      const rho = r * r + (cnt + 5) * U * (1 + r * r);
      const sdRel = 0.55 * rho + 1.01 * U;
      for (let e = 0; e < cnt; e++) {
        const ch = g * cg + Math.floor(e / S);
        const dev = Math.abs(v[e]! - mu);
        const t = dev / sigmaE;
        const errT = 1.1 * (t * (sdRel + U) + (em + U * (dev + em)) / sigmaE);
        const gamma = c.gamma ? Math.abs(c.gamma.data[ch]!) : 1;
        const beta = c.beta ? Math.abs(c.beta.data[ch]!) : 0;
        bound[off + e] = 1.01 * (gamma * errT + 2 * U * ((t + errT) * gamma + beta)) + 1e-30;
      }
    }
  return { exact, bound };
}

describe('groupNorm', () => {
  it("'strict' and 'fma' equal the naive documented order bit for bit (all affine combinations)", () => {
    fc.assert(
      fc.property(gnCase, (c) => {
        expectBitExact(run(c), naiveGroupNorm(strictArith, c.x, c.groups, c.gamma, c.beta, c.eps), 'strict');
        expectBitExact(run(c, c.x, 'fma'), naiveGroupNorm(fusedArith, c.x, c.groups, c.gamma, c.beta, c.eps), 'fma');
      }),
      fcParams(60),
    );
  });

  it('agrees with a float64 evaluation within a first-order forward bound', () => {
    fc.assert(
      fc.property(gnCase, (c) => {
        const { exact, bound } = gnBound(c);
        expectWithin(run(c), exact, bound, 'strict vs float64');
        expectWithin(run(c, c.x, 'fma'), exact, bound, 'fma vs float64');
      }),
      fcParams(60),
    );
  });

  it('is invariant to a per-group shift (within the bound) and to positive scales (eps = 0)', () => {
    fc.assert(
      fc.property(gnCase, seedArb, fc.integer({ min: -3, max: 3 }), (c0, seed2, k) => {
        const c = { ...c0, x: quantizedTensor(c0.x.shape, seed2) };
        const [N, C] = c.x.shape as [number, number];
        const S = c.x.data.length / (N * C);
        const cg = C / c.groups;
        const shifts = mulberry32(seed2 + 1);
        const shifted = new Float32Array(c.x.data);
        for (let b = 0; b < N; b++)
          for (let g = 0; g < c.groups; g++) {
            const shift = Math.floor((shifts() - 0.5) * 128); // exact: k/256 + integer
            for (let e = 0; e < cg * S; e++) shifted[(b * C + g * cg) * S + e]! += shift;
          }
        const xs: Tensor = { shape: c.x.shape, data: shifted };
        const a = gnBound(c);
        const s = gnBound(c, xs);
        expectWithin(run(c, xs), Array.from(run(c).data), a.bound.map((v, i) => v + s.bound[i]!), 'shift');
        // eps = 0: normalization is exactly scale invariant; a power of two scales every
        // intermediate exactly, so the float32 result is bit-identical.
        const pow2: Tensor = { shape: c.x.shape, data: c.x.data.map((v) => v * 2 ** k) };
        expectBitExact(run(c, pow2, 'strict', 0), run(c, c.x, 'strict', 0), 'power-of-two scale');
        // Scale by 3 (exact on these values): equal within the bound of each side.
        const three: Tensor = { shape: c.x.shape, data: c.x.data.map((v) => v * 3) };
        const b0 = gnBound({ ...c, eps: 0 });
        const b3 = gnBound({ ...c, eps: 0 }, three);
        const y0 = run(c, c.x, 'strict', 0);
        const finite = b0.bound.map((v, i) => (Number.isFinite(v) && Number.isFinite(y0.data[i]!) ? v + b3.bound[i]! : Infinity));
        if (finite.every((v) => v !== Infinity)) expectWithin(run(c, three, 'strict', 0), Array.from(y0.data), finite, 'scale by 3');
      }),
      fcParams(40),
    );
  });

  it('uses the biased variance and eps inside the sqrt', () => {
    // x = [1, 3]: mean 2, biased var 1, eps 0 → t = [−1, 1]; with eps 3 → sd = 2, t = [−0.5, 0.5].
    expect(Array.from(groupNorm(tensor([1, 2], [1, 3]), 1, null, null, 0).data)).toEqual([-1, 1]);
    expect(Array.from(groupNorm(tensor([1, 2], [1, 3]), 1, null, null, 3).data)).toEqual([-0.5, 0.5]);
    // weight only multiplies, bias only adds.
    expect(Array.from(groupNorm(tensor([1, 2], [1, 3]), 1, tensor([2], [2, 4]), null, 0).data)).toEqual([-2, 4]);
    expect(Array.from(groupNorm(tensor([1, 2], [1, 3]), 1, null, tensor([2], [10, 20]), 0).data)).toEqual([9, 21]);
  });

  it('rejects bad arguments with an InputRangeError naming the parameter', () => {
    const x = tensor([1, 6, 2, 2]);
    const cases: [() => unknown, string][] = [
      [() => groupNorm(tensor([6]), 1), 'x.shape'],
      [() => groupNorm(x, 4), 'numGroups'],
      [() => groupNorm(x, 0), 'numGroups'],
      [() => groupNorm(x, 1.5), 'numGroups'],
      [() => groupNorm(x, 2, tensor([5])), 'weight.shape[0]'],
      [() => groupNorm(x, 2, null, tensor([6, 1])), 'bias.shape'],
      [() => groupNorm(x, 2, null, null, NaN), 'eps'],
      [() => groupNorm(x, 2, null, null, Infinity), 'eps'],
      [() => groupNorm(x, 2, null, null, 1e-5, { profile: 'double' as 'fma' }), 'options.profile'],
    ];
    for (const [fn, param] of cases) expectInputRangeError(fn, param, param);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), (c, g) => {
        fc.pre(c % g !== 0);
        expectInputRangeError(() => groupNorm(tensor([1, c, 1, 1]), g), 'numGroups');
      }),
      fcParams(60),
    );
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity), fc.string(), fc.constant(null)), (eps) => {
        expectInputRangeError(() => groupNorm(x, 2, null, null, eps as number), 'eps');
      }),
      fcParams(30),
    );
  });
});
