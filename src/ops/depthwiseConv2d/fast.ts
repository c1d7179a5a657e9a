/** Fast path of depthwiseConv2d (kernels in src/fast/wat/depthwise.wat). */
import { type OpCase, restoreOutput } from '../types.ts';
import { depthwiseConv2dCanonical } from './canonical.ts';
import { input, optionalInput } from '../shared/params.ts';
import { depthwiseConv2dParams } from './params.ts';
import { type DepthwiseGeometry, depthwiseConv2dGeometry } from './reference.ts';
import type { Profile } from '../../reference/tensor.ts';
import { covered, type FastContext, type FastOp, fmaFlagComplete, splitRange } from '../../fast/context.ts';

/** The geometry of the case's canonical form (./canonical.ts). */
function geometry(c: OpCase): DepthwiseGeometry {
  const k = depthwiseConv2dCanonical(c).case;
  const [x, weight, bias] = [input(k, 'x'), input(k, 'weight'), optionalInput(k, 'bias')];
  return depthwiseConv2dGeometry(x, weight, bias, depthwiseConv2dParams.read(k));
}

/**
 * The kernels' geometry block (see depthwise.wat): per output row the kernel rows whose taps are
 * inside the input, and the output columns [inLo, inHi) where every kernel column's tap is.
 */
function geometryBlock(ctx: FastContext, g: DepthwiseGeometry): number {
  const [sH, sW] = g.stride;
  const [pH, pW] = g.padding;
  const [dH, dW] = g.dilation;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let oh = 0; oh < g.oh; oh++) {
    const base = oh * sH - pH;
    lo.push(Math.max(0, Math.ceil(-base / dH)));
    hi.push(Math.min(g.kh, Math.ceil((g.h - base) / dH)));
  }
  // Kernel column 0 is the leftmost tap, column KW−1 the rightmost.
  const inLo = Math.min(Math.max(0, Math.ceil(pW / sW)), g.ow);
  const inHi = Math.max(inLo, Math.min(g.ow, Math.ceil((g.w + pW - (g.kw - 1) * dW) / sW)));
  const tables = ctx.arena.putI32([...lo, ...hi]);
  return ctx.arena.putI32([
    g.n, g.c, g.h, g.w, g.cout, g.multiplier, g.kh, g.kw, sH, sW, pH, pW, dH, dW, g.oh, g.ow,
    tables, tables + 4 * g.oh, inLo, inHi,
  ]);
}

/**
 * With padding and finite weights: x copied into zero-padded planes and the geometry of an
 * unpadded convolution of those, so every output runs in the vector loops. The same bits (see
 * padPlanes in depthwise.wat) as long as no accumulator is −0: never under 'strict'; under 'fma'
 * only a product below the subnormal grid can round to −0, which the minLowBit check excludes.
 */
function padded(ctx: FastContext, g: DepthwiseGeometry, x: number, weight: Float32Array): [DepthwiseGeometry, number] {
  const [pH, pW] = g.padding;
  // padPlanes pads both sides alike: 'same' with an odd total (more after) keeps the skipping kernels.
  const symmetric = g.paddingEnd === undefined || (g.paddingEnd[0] === pH && g.paddingEnd[1] === pW);
  if ((pH === 0 && pW === 0) || !symmetric || !weight.every(Number.isFinite)) return [g, x];
  const h = g.h + 2 * pH;
  const w = g.w + 2 * pW;
  const xp = ctx.arena.alloc(g.n * g.c * h * w * 4);
  ctx.k['padPlanes']!(x, xp, g.n * g.c, g.h, g.w, pH, pW);
  return [{ ...g, h, w, padding: [0, 0], paddingEnd: [0, 0] }, xp];
}

/** y [n][cout][oh][ow] at `y` from x [n][c][h][w] at `x` (wasm memory), the weight and bias (copied in here). */
export function depthwiseInto(ctx: FastContext, profile: Profile, unpadded: DepthwiseGeometry, xIn: number, weight: Float32Array, bias: Float32Array | null, y: number): void {
  const { arena, k } = ctx;
  const w = arena.putF32(weight);
  const b = bias === null ? 0 : arena.putF32(bias);
  const u = unpadded;
  const vector = profile === 'strict' || fmaFlagComplete(ctx, xIn, u.n * u.c * u.h * u.w, w, weight.length);
  const [g, x] = vector ? padded(ctx, u, xIn, weight) : [u, xIn];
  const gb = geometryBlock(ctx, g);
  const planes = splitRange(0, g.n * g.cout, ctx.parts);
  if (profile === 'strict') {
    ctx.run(planes.map(([p0, p1]) => ({ fn: 'depthwiseStrict', args: [x, w, b, y, gb, p0, p1] })));
    return;
  }
  let x64 = 0;
  let w64 = 0;
  if (vector) {
    const nx = g.n * g.c * g.h * g.w;
    x64 = arena.alloc(nx * 8);
    k['promoteF32']!(x, x64, nx);
    w64 = arena.alloc(weight.length * 8);
    k['promoteF32']!(w, w64, weight.length);
  }
  ctx.run(planes.map(([p0, p1]) => ({ fn: 'depthwiseFma', args: [x64, x, w64, w, b, y, gb, p0, p1, vector ? 0 : 1] })));
}

export const depthwiseConv2dFast: FastOp = {
  minWork: 4096,
  work: (c) => covered(() => {
    const g = geometry(c);
    return g.n * g.cout * g.oh * g.ow * g.kh * g.kw;
  }),
  run(c, profile, ctx) {
    const g = geometry(c);
    const bias = optionalInput(c, 'bias');
    const x = ctx.arena.putF32(input(c, 'x').data);
    const size = g.n * g.cout * g.oh * g.ow;
    const y = ctx.arena.alloc(size * 4);
    depthwiseInto(ctx, profile, g, x, input(c, 'weight').data, bias?.data ?? null, y);
    return restoreOutput(depthwiseConv2dCanonical(c), { shape: [g.n, g.cout, g.oh, g.ow], data: ctx.arena.readF32(y, size) });
  },
};
