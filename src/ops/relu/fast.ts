/** Fast path of relu (kernel in src/fast/wat/relu.wat). */
import { input } from '../shared/params.ts';
import { reluCanonical } from './canonical.ts';
import { covered, type FastContext, type FastOp, splitRange } from '../../fast/context.ts';

/** y = relu(x), n elements, both in wasm memory. */
export function reluInto(ctx: FastContext, x: number, y: number, n: number): void {
  ctx.run(splitRange(0, n, ctx.parts, 4).map(([i0, i1]) => ({ fn: 'relu', args: [x, y, i0, i1] })));
}

export const reluFast: FastOp = {
  minWork: 16384,
  work: (c) => covered(() => input(reluCanonical(c).case, 'x').data.length),
  run(c, _profile, ctx) {
    const x = input(reluCanonical(c).case, 'x');
    const xp = ctx.arena.putF32(x.data);
    const y = ctx.arena.alloc(x.data.length * 4);
    reluInto(ctx, xp, y, x.data.length);
    return { shape: [...x.shape], data: ctx.arena.readF32(y, x.data.length) };
  },
};
