/**
 * Fast path of depthwiseSeparableBlock: the stages' kernels chained with every intermediate in
 * wasm memory (no copies between stages), each stage exactly as its own fast path.
 */
import { blockGeometry } from './canonical.ts';
import { input, optionalInput } from '../shared/params.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { adaptiveAvgPoolInto } from '../adaptiveAvgPool2d/fast.ts';
import { covered, type FastOp } from '../../fast/context.ts';
import { depthwiseInto } from '../depthwiseConv2d/fast.ts';
import { groupNormInto } from '../groupNorm/fast.ts';
import { linearInto } from '../linear/fast.ts';
import { pointwiseInto } from '../pointwiseConv2d/fast.ts';
import { reluInto } from '../relu/fast.ts';

const data = (t: Tensor | null): Float32Array | null => t?.data ?? null;

export const depthwiseSeparableBlockFast: FastOp = {
  minWork: 4096,
  work: (c) => covered(() => {
    const { dw, cout, classes } = blockGeometry(c);
    const pixels = dw.n * dw.h * dw.w;
    return pixels * dw.cout * 9 + pixels * dw.cout * cout + 3 * pixels * cout + dw.n * cout * classes;
  }),
  run(c, profile, ctx) {
    const { dw, cout, numGroups: groups, eps, classes } = blockGeometry(c);
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
