/** Fast path of adaptiveAvgPool2d (kernels in src/fast/wat/pool.wat and reduce.wat). */
import type { OpCase } from '../types.ts';
import { input } from '../shared/params.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';
import { covered, type FastContext, type FastOp, splitRange } from '../../fast/context.ts';

const args = (c: OpCase) => {
  const x = input(c, 'x');
  return [x, adaptiveAvgPool2dParams.read(c).outputSize] as const;
};

/** y [planes][oh][ow] at `y` from x [planes][h][w] at `x` (wasm memory). Both profiles give the same result (no multiply-adds). */
export function adaptiveAvgPoolInto(ctx: FastContext, planes: number, h: number, w: number, oh: number, ow: number, x: number, y: number): void {
  const rows = Array.from({ length: oh }, (_, i) => adaptiveWindow(i, h, oh));
  const cols = Array.from({ length: ow }, (_, j) => adaptiveWindow(j, w, ow));
  const pb = ctx.arena.putI32([h, w, oh, ow, ...rows.map((r) => r[0]), ...rows.map((r) => r[1]), ...cols.map((c) => c[0]), ...cols.map((c) => c[1])]);
  ctx.run(splitRange(0, planes, ctx.parts).map(([p0, p1]) => ({ fn: 'adaptiveAvgPool', args: [x, y, pb, ctx.arena.alloc(1024), p0, p1] })));
}

export const adaptiveAvgPool2dFast: FastOp = {
  minWork: 4096,
  // Work = input elements n·c·h·w.
  work: (c) => covered(() => adaptiveAvgPool2dGeometry(...args(c)).slice(0, 4).reduce((p, d) => p * d, 1)),
  run(c, _profile, ctx) {
    const [x, outputSize] = args(c);
    const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, outputSize);
    const xp = ctx.arena.putF32(x.data);
    const y = ctx.arena.alloc(n * ch * oh * ow * 4);
    adaptiveAvgPoolInto(ctx, n * ch, h, w, oh, ow, xp, y);
    return { shape: [n, ch, oh, ow], data: ctx.arena.readF32(y, n * ch * oh * ow) };
  },
};
