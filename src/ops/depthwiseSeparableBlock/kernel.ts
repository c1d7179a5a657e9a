/**
 * The depthwise-separable block on the GPU, chained without CPU round trips: one compute pass runs
 * depthwiseConv2d(3×3, stride 1, pad 1) → pointwiseConv2d → groupNorm → relu → adaptiveAvgPool2d(1)
 * → linear for a whole batch of cases, each stage writing float32 intermediates to a GPU buffer the
 * next stage reads (docs/evaluation-order.md: each stage exactly as its own kernel). A case too big
 * for one buffer runs in chunks of samples (src/gpu/chunk.ts): every stage is per sample.
 */
import { boxOf, ranges } from '../../gpu/box.ts';
import { type Chunk, chunkedKernel, type PieceSize, type SplitLimit } from '../../gpu/chunk.ts';
import { GEMM_RECORD } from '../../gpu/gemm.ts';
import { input, optionalInput, Packer, type PreparedBatch } from '../../gpu/kernel.ts';
import { linearEncoder } from '../linear/gemm.ts';
import { pointwiseEncoder } from '../pointwiseConv2d/gemm.ts';
import { release, storageEmpty, storageFrom } from '../../gpu/runtime.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { poolEncoder } from '../adaptiveAvgPool2d/kernel.ts';
import { depthwiseEncoder } from '../depthwiseConv2d/kernel.ts';
import { groupNormEncoder } from '../groupNorm/kernel.ts';
import { reluEncoder } from '../relu/kernel.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { POOL_RECORD } from '../adaptiveAvgPool2d/wgsl.ts';
import { DEPTHWISE_RECORD } from '../depthwiseConv2d/wgsl.ts';
import { GROUP_NORM_RECORD } from '../groupNorm/wgsl.ts';
import { type BlockGeometry, blockGeometry } from './canonical.ts';

/** Each case's output of every stage at a running offset; the last entry is the total. */
function running(sizes: readonly number[]): number[] {
  let at = 0;
  return sizes.map((s) => {
    const o = at;
    at += s;
    return o;
  }).concat([at]);
}

/** The batch's packed inputs and params, each case's offsets into them, and the intermediates' layouts. */
function blockLayout(cases: readonly OpCase[]) {
  const xs = new Packer();
  const ps = new Packer();
  const geo = cases.map(blockGeometry);
  const offs = cases.map((c) => ({
    x: xs.add(input(c, 'x').data),
    dwW: ps.add(input(c, 'dwWeight').data),
    dwB: ps.addOptional(optionalInput(c, 'dwBias')?.data),
    pwW: ps.add(input(c, 'pwWeight').data),
    pwB: ps.addOptional(optionalInput(c, 'pwBias')?.data),
    gnW: ps.addOptional(optionalInput(c, 'gnWeight')?.data),
    gnB: ps.addOptional(optionalInput(c, 'gnBias')?.data),
    fcW: ps.add(input(c, 'fcWeight').data),
    fcB: ps.addOptional(optionalInput(c, 'fcBias')?.data),
  }));
  return {
    xs, ps, geo, offs,
    dwAt: running(geo.map((g) => g.n * g.cm * g.h * g.w)),
    pwAt: running(geo.map((g) => g.n * g.cout * g.h * g.w)),
    poolAt: running(geo.map((g) => g.n * g.cout)),
    outAt: running(geo.map((g) => g.n * g.classes)),
  };
}

export async function prepareDepthwiseSeparableBlock(ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch> {
  const { xs, ps, geo, offs, dwAt, pwAt, poolAt, outAt } = blockLayout(cases);
  const at = (a: number[], i: number): number => a[i] ?? 0;

  const bufX = storageFrom(ctx, xs.finish(), 'block x');
  const bufP = storageFrom(ctx, ps.finish(), 'block params');
  const bufDw = storageEmpty(ctx, at(dwAt, cases.length) * 4, 'block dw');
  const bufPw = storageEmpty(ctx, at(pwAt, cases.length) * 4, 'block pw');
  const bufGn = storageEmpty(ctx, at(pwAt, cases.length) * 4, 'block gn');
  const bufRelu = storageEmpty(ctx, at(pwAt, cases.length) * 4, 'block relu');
  const bufPool = storageEmpty(ctx, at(poolAt, cases.length) * 4, 'block pool');
  const output = storageEmpty(ctx, at(outAt, cases.length) * 4, 'block y');

  const encoders = [
    await depthwiseEncoder(
      ctx,
      geo.map((g, i) => ({
        g: { n: g.n, c: g.c, h: g.h, w: g.w, cout: g.cm, multiplier: g.cm / g.c, kh: 3, kw: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], oh: g.h, ow: g.w },
        xOff: offs[i]!.x, wOff: offs[i]!.dwW, bOff: offs[i]!.dwB, yOff: at(dwAt, i),
      })),
      { x: bufX, p: bufP, y: bufDw },
    ),
    await pointwiseEncoder(
      ctx,
      geo.map((g, i) => ({ n: g.n, cin: g.cm, hw: g.h * g.w, cout: g.cout, xOff: at(dwAt, i), wOff: offs[i]!.pwW, bOff: offs[i]!.pwB, yOff: at(pwAt, i) })),
      { x: bufDw, p: bufP, y: bufPw },
    ),
    await groupNormEncoder(
      ctx,
      geo.map((g, i) => ({
        g: { n: g.n, c: g.cout, spatial: g.h * g.w, groups: g.numGroups },
        eps: g.eps, xOff: at(pwAt, i), gammaOff: offs[i]!.gnW, betaOff: offs[i]!.gnB, yOff: at(pwAt, i),
      })),
      { x: bufPw, p: bufP, y: bufGn },
    ),
    await reluEncoder(ctx, bufGn, bufRelu, at(pwAt, cases.length)),
    await poolEncoder(
      ctx,
      geo.map((g, i) => ({ planes: g.n * g.cout, h: g.h, w: g.w, oh: 1, ow: 1, xOff: at(pwAt, i), yOff: at(poolAt, i) })),
      { x: bufRelu, p: bufP, y: bufPool },
    ),
    await linearEncoder(
      ctx,
      geo.map((g, i) => ({ n: g.n, inF: g.cout, outF: g.classes, xOff: at(poolAt, i), wOff: offs[i]!.fcW, bOff: offs[i]!.fcB, yOff: at(outAt, i) })),
      { x: bufPool, p: bufP, y: output },
    ),
  ];
  return {
    encode(pass) {
      for (const e of encoders) e.encode(pass);
    },
    output,
    slots: geo.map((g, i) => ({ offset: at(outAt, i), shape: [g.n, g.classes] })),
    destroy() {
      for (const e of encoders) e.destroy();
      release(bufX, bufP, bufDw, bufPw, bufGn, bufRelu, bufPool, output);
    },
  };
}

/** One sample's words in each buffer: its input, and its largest stage output (the intermediates are per sample). */
const perSample = (g: BlockGeometry): { x: number; y: number } => ({ x: g.c * g.h * g.w, y: Math.max(g.cm * g.h * g.w, g.cout * g.h * g.w, g.classes) });

/** The largest table of a stage: a record, and the pool's windows (one per row and column). */
const TABLE_WORDS = Math.max(DEPTHWISE_RECORD.stride, GEMM_RECORD.stride, GROUP_NORM_RECORD.stride, POOL_RECORD.stride + 4);

const PARAM_INPUTS = ['dwWeight', 'dwBias', 'pwWeight', 'pwBias', 'gnWeight', 'gnBias', 'fcWeight', 'fcBias'] as const;
const paramWords = (c: OpCase): number => PARAM_INPUTS.reduce((s, k) => s + (optionalInput(c, k)?.data.length ?? 0), 0);

function whole(c: OpCase): { piece: OpCase; size: PieceSize; shape: number[] } {
  const g = blockGeometry(c);
  const one = perSample(g);
  return { piece: c, size: { x: g.n * one.x, p: paramWords(c), y: g.n * one.y, table: TABLE_WORDS }, shape: [g.n, g.classes] };
}

/** Chunks of samples, each a case of the block with its x the samples' rows. */
function split(c: OpCase, limit: SplitLimit): Chunk<OpCase>[] {
  const g = blockGeometry(c);
  const one = perSample(g);
  const p = paramWords(c);
  if (p > limit.words) limit.tooBig(`the block's ${p} parameters`, p);
  if (one.x > limit.words) limit.tooBig(`one sample's input of ${one.x} elements`, one.x);
  if (one.y > limit.words) limit.tooBig(`one sample's intermediate of ${one.y} elements`, one.y);
  const per = Math.min(g.n, Math.floor(limit.words / Math.max(1, one.x)), Math.floor(limit.words / one.y));
  const x = input(c, 'x');
  return ranges(g.n, per).map(([n0, n1]) => ({
    size: { x: (n1 - n0) * one.x, p, y: (n1 - n0) * one.y, table: TABLE_WORDS },
    make: () => ({ ...c, inputs: { ...c.inputs, x: { shape: [n1 - n0, ...x.shape.slice(1)], data: x.data.subarray(n0 * one.x, n1 * one.x) } } }),
    out: boxOf([g.n, g.classes], { 0: [n0, n1] }),
  }));
}

export const depthwiseSeparableBlockKernel: OpKernel = chunkedKernel({ name: 'depthwiseSeparableBlock', whole, split, pack: prepareDepthwiseSeparableBlock });
