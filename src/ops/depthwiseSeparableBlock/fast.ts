/**
 * Fast path of depthwiseSeparableBlock: the stages' kernels chained with every intermediate in
 * wasm memory (no copies between stages), each stage exactly as its own fast path.
 */
import type { OpCase } from '../types.ts';
import { input, optionalInput } from '../shared/params.ts';
import { depthwiseSeparableBlockParams } from './params.ts';
import { depthwiseConv2dGeometry } from '../depthwiseConv2d/reference.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { checkTensor, finiteNumber, optionalTensorOfShape, positiveInt } from '../../reference/validate.ts';
import { adaptiveAvgPoolInto } from '../adaptiveAvgPool2d/fast.ts';
import { covered, type FastOp } from '../../fast/context.ts';
import { depthwiseInto } from '../depthwiseConv2d/fast.ts';
import { groupNormInto } from '../groupNorm/fast.ts';
import { linearInto } from '../linear/fast.ts';
import { pointwiseInto } from '../pointwiseConv2d/fast.ts';
import { reluInto } from '../relu/fast.ts';

const DW_OPTS = { stride: 1, padding: 1, dilation: 1 };

/** The block's dimensions; throws (and so leaves the case to the TypeScript reference, which reports it) on anything invalid. */
function blockGeometry(c: OpCase) {
  const x = input(c, 'x');
  const params = depthwiseSeparableBlockParams.read(c);
  const dwWeight = checkTensor(input(c, 'dwWeight'), 'dwWeight', 4);
  if (dwWeight.shape[2] !== 3 || dwWeight.shape[3] !== 3) throw new Error('not a 3×3 depthwise kernel');
  const dw = depthwiseConv2dGeometry(x, dwWeight, optionalInput(c, 'dwBias'), DW_OPTS);
  const pwWeight = checkTensor(input(c, 'pwWeight'), 'pwWeight', 4);
  const [cout, cin, kh, kw] = pwWeight.shape as [number, number, number, number];
  if (cin !== dw.cout || kh !== 1 || kw !== 1) throw new Error('pointwise weight does not fit');
  optionalTensorOfShape(optionalInput(c, 'pwBias'), 'pwBias', [cout]);
  const groups = positiveInt(params.numGroups, 'numGroups');
  if (cout % groups !== 0) throw new Error('numGroups does not divide the channels');
  optionalTensorOfShape(optionalInput(c, 'gnWeight'), 'gnWeight', [cout]);
  optionalTensorOfShape(optionalInput(c, 'gnBias'), 'gnBias', [cout]);
  const eps = finiteNumber(params.eps, 'eps');
  const fcWeight = checkTensor(input(c, 'fcWeight'), 'fcWeight', 2);
  const [classes, fcIn] = fcWeight.shape as [number, number];
  if (fcIn !== cout) throw new Error('linear weight does not fit');
  optionalTensorOfShape(optionalInput(c, 'fcBias'), 'fcBias', [classes]);
  return { dw, cout, groups, eps, classes };
}

const data = (t: Tensor | null): Float32Array | null => t?.data ?? null;

export const depthwiseSeparableBlockFast: FastOp = {
  minWork: 4096,
  work: (c) => covered(() => {
    const { dw, cout, classes } = blockGeometry(c);
    const pixels = dw.n * dw.h * dw.w;
    return pixels * dw.cout * 9 + pixels * dw.cout * cout + 3 * pixels * cout + dw.n * cout * classes;
  }),
  run(c, profile, ctx) {
    const { dw, cout, groups, eps, classes } = blockGeometry(c);
    const { arena } = ctx;
    const hw = dw.h * dw.w;
    const x = arena.putF32(input(c, 'x').data);
    const t1 = arena.alloc(dw.n * dw.cout * hw * 4);
    depthwiseInto(ctx, profile, dw, x, input(c, 'dwWeight').data, data(optionalInput(c, 'dwBias')), t1);
    const t2 = arena.alloc(dw.n * cout * hw * 4);
    pointwiseInto(ctx, profile, t1, input(c, 'pwWeight').data, data(optionalInput(c, 'pwBias')), t2, dw.n, dw.cout, hw, cout);
    const gnGeometry = { n: dw.n, c: cout, spatial: hw, groups };
    const t3 = arena.alloc(dw.n * cout * hw * 4);
    groupNormInto(ctx, profile, gnGeometry, t2, data(optionalInput(c, 'gnWeight')), data(optionalInput(c, 'gnBias')), eps, t3);
    reluInto(ctx, t3, t3, dw.n * cout * hw);
    const pooled = arena.alloc(dw.n * cout * 4);
    adaptiveAvgPoolInto(ctx, dw.n * cout, dw.h, dw.w, 1, 1, t3, pooled);
    const fcW = arena.putF32(input(c, 'fcWeight').data);
    const fcBias = optionalInput(c, 'fcBias');
    const fcB = fcBias === null ? 0 : arena.putF32(fcBias.data);
    const y = arena.alloc(dw.n * classes * 4);
    linearInto(ctx, profile, pooled, fcW, fcB, y, dw.n, cout, classes);
    return { shape: [dw.n, classes], data: arena.readF32(y, dw.n * classes) };
  },
};
