/**
 * The kernels stay correct under relaxed math (Dawn's default on Metal) only if they contain none
 * of the forms a compiler may rewrite there — the `rewrites` of `refsim probe`'s relaxedMath
 * fields: arithmetic with a literal 0.0 or 1.0 (folded away, losing IEEE's −0/NaN results), and
 * self-comparisons (`x != x` as a NaN test is folded to false). Sums start from a +0 read at run
 * time and relu decides on bit patterns instead. No GPU needed: this reads the WGSL the builders make.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2dWgsl } from '../../src/ops/adaptiveAvgPool2d/wgsl.ts';
import { depthwiseConv2dWgsl } from '../../src/ops/depthwiseConv2d/wgsl.ts';
import { gemmWgsl, TILE_NAMES, TILES } from '../../src/gpu/gemm.ts';
import { groupNormWgsl } from '../../src/ops/groupNorm/wgsl.ts';
import { reluWgsl } from '../../src/ops/relu/wgsl.ts';

const kernels: [string, string][] = [
  ['relu', reluWgsl()],
  ['depthwiseConv2d generic', depthwiseConv2dWgsl('generic')],
  ['depthwiseConv2d row4', depthwiseConv2dWgsl('row4')],
  ['groupNorm', groupNormWgsl()],
  ['adaptiveAvgPool2d', adaptiveAvgPool2dWgsl()],
  ...TILE_NAMES.flatMap((t) =>
    (['k', 'n'] as const).flatMap((bContiguous) =>
      (['X', 'P'] as const).map((a): [string, string] => [`gemm ${t} a=${a} b∥${bContiguous}`, gemmWgsl(TILES[t], { a, b: a === 'X' ? 'P' : 'X', bContiguous })]),
    ),
  ),
];

/** Forms relaxed math may rewrite, as patterns over WGSL source. */
const REWRITABLE: [string, RegExp][] = [
  ['arithmetic with a literal 0.0', /(?:\b0\.0f?\s*[-+*/])|(?:[-+*/]\s*0\.0f?\b)/],
  ['a product with a literal 1.0', /(?:\b1\.0f?\s*\*)|(?:\*\s*1\.0f?\b)/],
  ['a self-comparison', /([\w.]+(?:\[[^\]]*\])?)\s*(?:!=|==)\s*\1(?![\w.[])/],
];

describe('GPU kernels contain no form relaxed math may rewrite', () => {
  it('the patterns find the forms the probe shows rewritten', () => {
    for (const [form, re] of REWRITABLE) expect(['0.0 + a', 'a * 1.0', 'x != x', 'X[i] == X[i]'].some((s) => re.test(s)), form).toBe(true);
    expect(REWRITABLE.some(([, re]) => re.test('select(0.0, X[i], ok)'))).toBe(false);
  });

  it.each(kernels)('%s', (_name, wgsl) => {
    const found = REWRITABLE.flatMap(([form, re]) => wgsl.split('\n').filter((l) => re.test(l)).map((l) => `${form}: ${l.trim()}`));
    expect(found).toEqual([]);
  });
});
