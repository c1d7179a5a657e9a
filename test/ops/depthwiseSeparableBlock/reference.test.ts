import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  depthwiseConv2d,
  depthwiseSeparableBlock,
  type DepthwiseSeparableBlockParams,
  groupNorm,
  linear,
  pointwiseConv2d,
  relu,
  type Profile,
  type Tensor,
  tensor,
} from '../../../src/reference/index.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import {
  type Arith,
  fusedArith,
  naiveAdaptiveAvgPool2d,
  naiveDepthwiseConv2d,
  naiveGroupNorm,
  naiveLinear,
  naivePointwiseConv2d,
  type NaiveOut,
  strictArith,
} from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { expectBitExact, randomTensor, seedArb } from '../../support/tensorArb.ts';

interface BlockCase {
  x: Tensor;
  params: DepthwiseSeparableBlockParams;
}

const blockCase: fc.Arbitrary<BlockCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 4 }),
    m: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 8 }),
    w: fc.integer({ min: 1, max: 8 }),
    groups: fc.integer({ min: 1, max: 3 }),
    perGroup: fc.integer({ min: 1, max: 3 }),
    classes: fc.integer({ min: 1, max: 5 }),
    biases: fc.boolean(),
    affine: fc.boolean(),
    seed: seedArb,
  })
  .map(({ n, c, m, h, w, groups, perGroup, classes, biases, affine, seed }) => {
    const cout = groups * perGroup;
    const t = (shape: number[], k: number): Tensor => randomTensor(shape, seed + k);
    return {
      x: t([n, c, h, w], 0),
      params: {
        dwWeight: t([c * m, 1, 3, 3], 1),
        dwBias: biases ? t([c * m], 2) : null,
        pwWeight: t([cout, c * m, 1, 1], 3),
        pwBias: biases ? t([cout], 4) : null,
        numGroups: groups,
        gnWeight: affine ? t([cout], 5) : null,
        gnBias: affine ? t([cout], 6) : null,
        eps: 1e-5,
        fcWeight: t([classes, cout], 7),
        fcBias: biases ? t([classes], 8) : null,
      },
    };
  });

function composed(x: Tensor, p: DepthwiseSeparableBlockParams, profile: Profile): Tensor {
  const o = { profile };
  const dw = depthwiseConv2d(x, p.dwWeight, p.dwBias, { padding: 1 }, o);
  const gn = groupNorm(pointwiseConv2d(dw, p.pwWeight, p.pwBias, o), p.numGroups, p.gnWeight, p.gnBias, p.eps, o);
  const pooled = adaptiveAvgPool2d(relu(gn, o), [1, 1], o);
  return linear({ shape: pooled.shape.slice(0, 2), data: pooled.data }, p.fcWeight, p.fcBias, o);
}

const asTensor = (o: NaiveOut): Tensor => ({ shape: o.shape, data: Float32Array.from(o.data) });

function naiveBlock(ar: Arith, x: Tensor, p: DepthwiseSeparableBlockParams): NaiveOut {
  const dw = asTensor(naiveDepthwiseConv2d(ar, x, p.dwWeight, p.dwBias ?? null, [1, 1], [1, 1], [1, 1]));
  const pw = asTensor(naivePointwiseConv2d(ar, dw, p.pwWeight, p.pwBias ?? null));
  const gn = naiveGroupNorm(ar, pw, p.numGroups, p.gnWeight ?? null, p.gnBias ?? null, p.eps ?? 1e-5);
  const r = asTensor({ shape: gn.shape, data: gn.data.map((v) => (v < 0 ? 0 : v)) });
  const pooled = naiveAdaptiveAvgPool2d(ar, r, 1, 1);
  return naiveLinear(ar, { shape: pooled.shape.slice(0, 2), data: Float32Array.from(pooled.data) }, p.fcWeight, p.fcBias ?? null);
}

describe('depthwiseSeparableBlock', () => {
  it('equals the composition of the six ops bit for bit, under both profiles', () => {
    fc.assert(
      fc.property(blockCase, fc.constantFrom<Profile>('strict', 'fma'), (c, profile) => {
        expectBitExact(depthwiseSeparableBlock(c.x, c.params, { profile }), composed(c.x, c.params, profile), `block (${profile})`);
      }),
      fcParams(60),
    );
  });

  it('equals the naive documented-order composition bit for bit (strict and exact-fma)', () => {
    fc.assert(
      fc.property(blockCase, (c) => {
        expectBitExact(depthwiseSeparableBlock(c.x, c.params), naiveBlock(strictArith, c.x, c.params), 'strict');
        expectBitExact(depthwiseSeparableBlock(c.x, c.params, { profile: 'fma' }), naiveBlock(fusedArith, c.x, c.params), 'fma');
      }),
      fcParams(25),
    );
  });

  it('defaults: biases and affine parameters optional, eps 1e-5', () => {
    const x = randomTensor([1, 2, 4, 4], 1);
    const p: DepthwiseSeparableBlockParams = { dwWeight: randomTensor([2, 1, 3, 3], 2), pwWeight: randomTensor([4, 2, 1, 1], 3), numGroups: 2, fcWeight: randomTensor([3, 4], 4) };
    expectBitExact(depthwiseSeparableBlock(x, p), composed(x, { ...p, dwBias: null, pwBias: null, gnWeight: null, gnBias: null, eps: 1e-5, fcBias: null }, 'strict'), 'defaults');
    expect(depthwiseSeparableBlock(x, p).shape).toEqual([1, 3]);
  });

  it('names the block parameter in bad-input errors', () => {
    const x = tensor([1, 2, 4, 4]);
    const good: DepthwiseSeparableBlockParams = { dwWeight: tensor([2, 1, 3, 3]), pwWeight: tensor([4, 2, 1, 1]), numGroups: 2, fcWeight: tensor([3, 4]) };
    const cases: [Partial<DepthwiseSeparableBlockParams>, string][] = [
      [{ dwWeight: tensor([2, 1, 5, 5]) }, 'params.dwWeight.shape'],
      [{ dwWeight: tensor([3, 1, 3, 3]) }, 'params.dwWeight.shape[0]'],
      [{ dwBias: tensor([3]) }, 'params.dwBias.shape[0]'],
      [{ pwWeight: tensor([4, 3, 1, 1]) }, 'params.pwWeight.shape[1]'],
      [{ pwBias: tensor([2]) }, 'params.pwBias.shape[0]'],
      [{ numGroups: 3 }, 'params.numGroups'],
      [{ gnWeight: tensor([3]) }, 'params.gnWeight.shape[0]'],
      [{ gnBias: tensor([5]) }, 'params.gnBias.shape[0]'],
      [{ eps: NaN }, 'params.eps'],
      [{ fcWeight: tensor([3, 5]) }, 'params.fcWeight.shape[1]'],
      [{ fcBias: tensor([4]) }, 'params.fcBias.shape[0]'],
    ];
    for (const [patch, param] of cases) expectInputRangeError(() => depthwiseSeparableBlock(x, { ...good, ...patch }), param, param);
    expectInputRangeError(() => depthwiseSeparableBlock(tensor([2, 4, 4]), good), 'x.shape');
    expectInputRangeError(() => depthwiseSeparableBlock(x, null as unknown as DepthwiseSeparableBlockParams), 'params');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (g) => {
        fc.pre(4 % g !== 0);
        expectInputRangeError(() => depthwiseSeparableBlock(x, { ...good, numGroups: g }), 'params.numGroups');
      }),
      fcParams(20),
    );
  });
});
