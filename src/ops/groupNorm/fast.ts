/** Fast path of groupNorm (kernels in src/fast/wat/groupnorm.wat and reduce.wat). */
import { type OpCase, restoreOutput } from '../types.ts';
import { groupNormCanonical } from './canonical.ts';
import { input, optionalInput } from '../shared/params.ts';
import { groupNormParams } from './params.ts';
import { type GroupNormGeometry, groupNormGeometry } from './reference.ts';
import type { Profile } from '../../reference/tensor.ts';
import { covered, type FastContext, type FastOp, splitRange } from '../../fast/context.ts';

/** The inputs of the case's canonical form (./canonical.ts), and that form. */
const args = (c0: OpCase) => {
  const k = groupNormCanonical(c0);
  const c = k.case;
  const x = input(c, 'x');
  const { numGroups, eps } = groupNormParams.read(c);
  return [x, numGroups, optionalInput(c, 'weight'), optionalInput(c, 'bias'), eps, k] as const;
};

/** y at `y` from x at `x` (wasm memory, [n][c][spatial]); weight, bias copied in here. */
export function groupNormInto(
  ctx: FastContext,
  profile: Profile,
  g: GroupNormGeometry,
  x: number,
  weight: Float32Array | null,
  bias: Float32Array | null,
  eps: number,
  y: number,
): void {
  const { arena } = ctx;
  const gp = weight === null ? 0 : arena.putF32(weight);
  const bp = bias === null ? 0 : arena.putF32(bias);
  const pb = arena.putI32([g.c, g.spatial, g.groups, 0, profile === 'fma' ? 1 : 0, gp, bp]);
  arena.f32(pb + 12, 1)[0] = eps; // rounded to float32, as the reference does
  ctx.run(splitRange(0, g.n * g.groups, ctx.parts).map(([g0, g1]) => ({ fn: 'groupNorm', args: [x, y, pb, arena.alloc(1024), g0, g1] })));
}

export const groupNormFast: FastOp = {
  minWork: 4096,
  // Work = input elements n·c·spatial.
  work: (c) => covered(() => {
    const [x, numGroups, weight, bias, eps] = args(c);
    const g = groupNormGeometry(x, numGroups, weight, bias, eps);
    return g.n * g.c * g.spatial;
  }),
  run(c, profile, ctx) {
    const [x, numGroups, weight, bias, eps, k] = args(c);
    const g = groupNormGeometry(x, numGroups, weight, bias, eps);
    const xp = ctx.arena.putF32(x.data);
    const y = ctx.arena.alloc(x.data.length * 4);
    groupNormInto(ctx, profile, g, xp, weight?.data ?? null, bias?.data ?? null, eps, y);
    return restoreOutput(k, { shape: [...x.shape], data: ctx.arena.readF32(y, x.data.length) });
  },
};
