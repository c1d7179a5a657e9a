/**
 * Error bound of depthwiseSeparableBlock (docs/error-bounds.md §block), by composition: each
 * stage is bounded on an uncertain input given as a float64 centre (the exact intermediate)
 * and a radius (the previous stage's bound): the stage's own rounding error on the actual
 * inputs plus the propagated radius (dot products: Σ|w|·r; groupNorm: through every step;
 * relu: 1-Lipschitz; pooling: the mean of the radii).
 */
import { InputRangeError } from '../../errors.ts';
import type { Tensor } from '../../reference/tensor.ts';
import type { DepthwiseSeparableBlockParams } from './reference.ts';
import { depthwiseConv2dGeometry } from '../depthwiseConv2d/reference.ts';
import { pointwiseConv2dGeometry } from '../pointwiseConv2d/reference.ts';
import { groupNormGeometry } from '../groupNorm/reference.ts';
import { linearGeometry } from '../linear/reference.ts';
import { type BoundOptions, FLT_MIN, arithModel } from '../../reference/bounds/common.ts';
import { depthwiseConv2dBoundCore } from '../depthwiseConv2d/bounds.ts';
import { pointwiseConv2dBoundCore } from '../pointwiseConv2d/bounds.ts';
import { groupNormBoundCore } from '../groupNorm/bounds.ts';
import { meanBound } from '../adaptiveAvgPool2d/bounds.ts';
import { linearBoundCore } from '../linear/bounds.ts';

function shaped(shape: number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return { shape, data: new Float32Array(n) };
}

/** Per output element of depthwiseSeparableBlock(x, params): a bound on |computed − exact|. */
export function depthwiseSeparableBlockBound(x: Tensor, params: DepthwiseSeparableBlockParams, options?: BoundOptions): Float64Array {
  if (typeof params !== 'object' || params === null) throw new InputRangeError('params', 'an object of block parameters', params);
  const kernel = params.dwWeight?.shape;
  if (!Array.isArray(kernel) || kernel[2] !== 3 || kernel[3] !== 3) {
    throw new InputRangeError('params.dwWeight.shape', '[C·m, 1, 3, 3] (a 3×3 depthwise kernel)', kernel);
  }
  const m = arithModel(options);
  // Intermediates may be flushed when read or written: one more 2⁻¹²⁶ of radius per stage.
  const stageSlack = m.flush ? FLT_MIN : 0;

  // 1. depthwise 3×3, stride 1, padding 1.
  const gDw = depthwiseConv2dGeometry(x, params.dwWeight, params.dwBias ?? null, { stride: 1, padding: 1, dilation: 1 });
  const hw = gDw.oh * gDw.ow;
  const n1 = gDw.n * gDw.cout * hw;
  const c1 = new Float64Array(n1);
  const r1 = new Float64Array(n1);
  depthwiseConv2dBoundCore(gDw, { xc: x.data, radius: null, wd: params.dwWeight.data, bd: params.dwBias?.data ?? null }, m, { out: r1, centerOut: c1 });
  if (stageSlack > 0) for (let i = 0; i < n1; i++) r1[i]! += stageSlack;

  // 2. pointwise.
  const [, cin, , , cout] = pointwiseConv2dGeometry(shaped([gDw.n, gDw.cout, gDw.oh, gDw.ow]), params.pwWeight, params.pwBias ?? null);
  const n2 = gDw.n * cout * hw;
  const c2 = new Float64Array(n2);
  const r2 = new Float64Array(n2);
  pointwiseConv2dBoundCore({ n: gDw.n, cin, hw, cout }, { xc: c1, radius: r1, wd: params.pwWeight.data, bd: params.pwBias?.data ?? null }, m, { out: r2, centerOut: c2 });
  if (stageSlack > 0) for (let i = 0; i < n2; i++) r2[i]! += stageSlack;

  // 3. groupNorm.
  const eps = params.eps ?? 1e-5;
  const y2 = shaped([gDw.n, cout, gDw.oh, gDw.ow]);
  const gGn = groupNormGeometry(y2, params.numGroups, params.gnWeight ?? null, params.gnBias ?? null, eps);
  const c3 = new Float64Array(n2);
  const r3 = new Float64Array(n2);
  groupNormBoundCore(gGn, c2, r2, params.gnWeight?.data ?? null, params.gnBias?.data ?? null, eps, m, r3, c3);

  // 4 + 5. relu (1-Lipschitz: radius unchanged, centre max(c, 0)), then the 1×1 average.
  const planes = gDw.n * cout;
  const c5 = new Float64Array(planes);
  const r5 = new Float64Array(planes);
  for (let p = 0; p < planes; p++) {
    let sum = 0;
    let sumAbs = 0;
    let rad = 0;
    for (let i = p * hw; i < (p + 1) * hw; i++) {
      const c = c3[i]!;
      const v = c > 0 ? c : c === c ? 0 : NaN;
      sum += v;
      sumAbs += Math.abs(v);
      rad += r3[i]! + stageSlack;
    }
    c5[p] = sum / hw;
    r5[p] = meanBound(hw, sum, sumAbs, rad, m) + stageSlack;
  }

  // 6. linear on [N, Cout].
  const [, inF, outF] = linearGeometry(shaped([gDw.n, cout]), params.fcWeight, params.fcBias ?? null);
  const out = new Float64Array(gDw.n * outF);
  linearBoundCore({ n: gDw.n, inF, outF }, { xc: c5, radius: r5, wd: params.fcWeight.data, bd: params.fcBias?.data ?? null }, m, { out, centerOut: null });
  return out;
}
