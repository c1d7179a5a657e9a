/** Fast path of adaptiveAvgPool2d (kernels in src/fast/wat/pool.wat and reduce.wat). */
import { type OpCase, restoreOutput } from '../types.ts';
import { input } from '../shared/params.ts';
import { adaptiveAvgPool2dCanonical } from './canonical.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';
import { covered, type FastContext, type FastOp, splitRange } from '../../fast/context.ts';

/** The canonical case's x and outputSize (a pair), and the canonical form. */
const args = (c: OpCase) => {
  const k = adaptiveAvgPool2dCanonical(c);
  return [input(k.case, 'x'), adaptiveAvgPool2dParams.read(k.case).outputSize as [number, number], k] as const;
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
  work: (c) => covered(() => {
    const [x, outputSize] = args(c);
    return adaptiveAvgPool2dGeometry(x, outputSize).slice(0, 4).reduce((p, d) => p * d, 1);
  }),
  run(c, _profile, ctx) {
    const [x, outputSize, k] = args(c);
    const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, outputSize);
    const xp = ctx.arena.putF32(x.data);
    const y = ctx.arena.alloc(n * ch * oh * ow * 4);
    adaptiveAvgPoolInto(ctx, n * ch, h, w, oh, ow, xp, y);
    return restoreOutput(k, { shape: [n, ch, oh, ow], data: ctx.arena.readF32(y, n * ch * oh * ow) });
  },
};
