/** Fast path of linear (kernels in src/fast/wat/linear.wat). */
import { input, optionalInput } from '../shared/params.ts';
import { restoreOutput } from '../types.ts';
import { linearCanonical } from './canonical.ts';
import { linearGeometry } from './reference.ts';
import type { Profile } from '../../reference/tensor.ts';
import { covered, type FastContext, type FastOp, fmaFlagComplete, splitRange } from '../../fast/context.ts';

/** The case's canonical form and its inputs. */
function args(c: Parameters<FastOp['work']>[0]) {
  const k = linearCanonical(c);
  return [input(k.case, 'x'), input(k.case, 'weight'), optionalInput(k.case, 'bias'), k] as const;
}

/** y [n][out] at `y` from x [n][in], w [out][in] and bias (0: none), all in wasm memory. */
export function linearInto(ctx: FastContext, profile: Profile, x: number, w: number, b: number, y: number, n: number, inF: number, outF: number): void {
  const { arena, k } = ctx;
  const ranges = splitRange(0, outF, ctx.parts, 4);
  const blocks = Math.ceil(n / 4);
  if (profile === 'strict') {
    const x4 = arena.alloc(blocks * 16 * inF);
    k['linearPackX']!(x, x4, n, inF);
    ctx.run(ranges.map(([o0, o1]) => ({ fn: 'linearStrict', args: [x4, w, b, y, n, inF, outF, o0, o1] })));
  } else if (fmaFlagComplete(ctx, x, n * inF, w, outF * inF)) {
    const x4 = arena.alloc(blocks * 32 * inF);
    k['linearPackX64']!(x, x4, n, inF);
    const w64 = arena.alloc(outF * inF * 8);
    k['promoteF32']!(w, w64, outF * inF);
    ctx.run(ranges.map(([o0, o1]) => ({ fn: 'linearFma', args: [x4, x, w64, w, b, y, arena.alloc(128), n, inF, outF, o0, o1] })));
  } else {
    ctx.run(ranges.map(([o0, o1]) => ({ fn: 'linearFmaExact', args: [x, w, b, y, n, inF, outF, o0, o1] })));
  }
}

export const linearFast: FastOp = {
  minWork: 4096,
  work: (c) => covered(() => {
    const [x, w, bias] = args(c);
    return linearGeometry(x, w, bias).reduce((p, d) => p * d, 1);
  }),
  run(c, profile, ctx) {
    const [x, w, bias, k] = args(c);
    const [n, inF, outF] = linearGeometry(x, w, bias);
    const { arena } = ctx;
    const xp = arena.putF32(x.data);
    const wp = arena.putF32(w.data);
    const bp = bias === null ? 0 : arena.putF32(bias.data);
    const y = arena.alloc(n * outF * 4);
    linearInto(ctx, profile, xp, wp, bp, y, n, inF, outF);
    return restoreOutput(k, { shape: [n, outF], data: arena.readF32(y, n * outF) });
  },
};
