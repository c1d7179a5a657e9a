/** Fast path of pointwiseConv2d (kernels in src/fast/wat/pointwise.wat). */
import { type OpCase, restoreOutput } from '../types.ts';
import { input, optionalInput } from '../shared/params.ts';
import { pointwiseConv2dCanonical } from './canonical.ts';
import { pointwiseConv2dGeometry } from './reference.ts';
import type { Profile } from '../../reference/tensor.ts';
import type { Job } from '../../fast/pool.ts';
import { covered, type FastContext, type FastOp, fmaFlagComplete, splitRange } from '../../fast/context.ts';

/** The inputs of the case's canonical form (./canonical.ts), and that form. */
const args = (c: OpCase) => {
  const k = pointwiseConv2dCanonical(c);
  return [input(k.case, 'x'), input(k.case, 'weight'), optionalInput(k.case, 'bias'), k] as const;
};

/** Jobs over samples when there are enough of them, else over pixel ranges (multiples of 8). */
function split(ctx: FastContext, n: number, hw: number, job: (s0: number, s1: number, p0: number, p1: number) => Job): Job[] {
  if (n >= ctx.parts) return splitRange(0, n, ctx.parts).map(([s0, s1]) => job(s0, s1, 0, hw));
  return Array.from({ length: n }, (_, s) => splitRange(0, hw, Math.ceil(ctx.parts / n), 8).map(([p0, p1]) => job(s, s + 1, p0, p1))).flat();
}

/**
 * y [n][cout][hw] at `y` from x [n][cin][hw] at `x` (wasm memory) and the weight and bias
 * (copied in here: the weight padded with zero rows to a multiple of 4 output channels).
 */
export function pointwiseInto(
  ctx: FastContext,
  profile: Profile,
  x: number,
  weight: Float32Array,
  bias: Float32Array | null,
  y: number,
  n: number,
  cin: number,
  hw: number,
  cout: number,
): void {
  const { arena, k } = ctx;
  const rows = Math.ceil(cout / 4) * 4;
  const w = arena.zeros(rows * cin * 4);
  arena.writeF32(w, weight);
  const b = bias === null ? 0 : arena.putF32(bias);
  if (profile === 'strict') {
    ctx.run(split(ctx, n, hw, (s0, s1, p0, p1) => ({ fn: 'pointwiseStrict', args: [x, w, b, y, cin, hw, cout, s0, s1, p0, p1] })));
  } else if (fmaFlagComplete(ctx, x, n * cin * hw, w, rows * cin)) {
    const w64 = arena.alloc(rows * cin * 8);
    k['promoteF32']!(w, w64, rows * cin);
    ctx.run(split(ctx, n, hw, (s0, s1, p0, p1) => ({ fn: 'pointwiseFma', args: [x, w64, w, b, y, arena.alloc(128), cin, hw, cout, s0, s1, p0, p1] })));
  } else {
    ctx.run(split(ctx, n, hw, (s0, s1, p0, p1) => ({ fn: 'pointwiseFmaExact', args: [x, w, b, y, cin, hw, cout, s0, s1, p0, p1] })));
  }
}

export const pointwiseConv2dFast: FastOp = {
  minWork: 4096,
  work: (c) => covered(() => {
    const [x, weight, bias] = args(c);
    const [n, cin, h, w, cout] = pointwiseConv2dGeometry(x, weight, bias);
    return n * cin * h * w * cout;
  }),
  run(c, profile, ctx) {
    const [x, weight, bias, k] = args(c);
    const [n, cin, h, w, cout] = pointwiseConv2dGeometry(x, weight, bias);
    const xp = ctx.arena.putF32(x.data);
    const y = ctx.arena.alloc(n * cout * h * w * 4);
    pointwiseInto(ctx, profile, xp, weight.data, bias?.data ?? null, y, n, cin, h * w, cout);
    return restoreOutput(k, { shape: [n, cout, h, w], data: ctx.arena.readF32(y, n * cout * h * w) });
  },
};
