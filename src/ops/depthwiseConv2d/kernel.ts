/**
 * depthwiseConv2d on the GPU (WGSL, order and variants: ./wgsl.ts): the generic variant one output
 * per invocation, row4 four neighbouring outputs of a row. Cases too big for one buffer run in
 * chunks (./chunks.ts).
 */
import { chunkedKernel, type ChunkedKernel, type PieceSize, prepareWhole } from '../../gpu/chunk.ts';
import { invocationGrid, maxPerDim } from '../../gpu/dispatch.ts';
import { input, optionalInput, preparedFrom, type PreparedBatch, whereBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { type DwPiece, dwSize, splitDepthwise } from './chunks.ts';
import { depthwiseConv2dParams } from './params.ts';
import { depthwiseConv2dGeometry, type DepthwiseGeometry } from './reference.ts';
import { DEPTHWISE_RECORD, type DepthwiseVariant, depthwiseConv2dWgsl, WG } from './wgsl.ts';

export type { DepthwiseVariant } from './wgsl.ts';

interface DwCase {
  readonly g: DepthwiseGeometry;
  readonly xOff: number;
  readonly wOff: number;
  readonly bOff: number;
  readonly yOff: number;
}

/** Geometry of a case, validated by the reference's own checks (same typed errors). */
export function depthwiseGeometryOf(c: OpCase): DepthwiseGeometry {
  return depthwiseConv2dGeometry(input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias'), depthwiseConv2dParams.read(c));
}

export const isRow4Shape = (g: DepthwiseGeometry): boolean =>
  g.kh === 3 && g.kw === 3 && g.stride[0] === 1 && g.stride[1] === 1 && g.dilation[0] === 1 && g.dilation[1] === 1;

export const depthwiseOutputElements = (g: DepthwiseGeometry): number => g.n * g.cout * g.oh * g.ow;

/** Encodes the convolution of cases whose inputs already sit in GPU buffers (used by the block). */
export async function depthwiseEncoder(ctx: GpuContext, cases: readonly DwCase[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, variant?: DepthwiseVariant): Promise<Encoder> {
  const v: DepthwiseVariant = variant ?? (cases.every((c) => isRow4Shape(c.g)) ? 'row4' : 'generic');
  const table = new TableBuilder(DEPTHWISE_RECORD);
  for (const { g, xOff, wOff, bOff, yOff } of cases) {
    const units = v === 'row4' ? g.n * g.cout * g.oh * Math.ceil(g.ow / 4) : depthwiseOutputElements(g);
    table.add(units, {
      xOff, wOff, bOff, yOff, C: g.c, H: g.h, W: g.w, M: g.multiplier, KH: g.kh, KW: g.kw, sH: g.stride[0], sW: g.stride[1],
      pH: g.padding[0], pW: g.padding[1], dH: g.dilation[0], dW: g.dilation[1], OH: g.oh, OW: g.ow, Cout: g.cout,
    });
  }
  return tableEncoder(ctx, whereBatch('depthwiseConv2d', cases), `depthwiseConv2d/${v}`, () => depthwiseConv2dWgsl(v), table, buffers, invocationGrid(table.totalWork, WG, maxPerDim(ctx)));
}

function packDepthwise(ctx: GpuContext, pieces: readonly DwPiece[], variant?: DepthwiseVariant): Promise<PreparedBatch> {
  const b = packBatch(pieces, (q, { xs, ps }, yOff): { desc: DwCase; shape: number[] } => ({
    desc: { g: q.g, xOff: xs.add(q.x), wOff: ps.add(q.weight), bOff: ps.addOptional(q.bias), yOff },
    shape: [...q.shape],
  }));
  return preparedFrom(ctx, 'dw', { x: b.xs, p: b.ps, outputElements: b.outputElements, slots: b.slots }, (buffers) => depthwiseEncoder(ctx, b.descs, buffers, variant));
}

function whole(c: OpCase): { piece: DwPiece; size: PieceSize; shape: number[] } {
  const g = depthwiseGeometryOf(c);
  const bias = optionalInput(c, 'bias');
  const shape = [g.n, g.cout, g.oh, g.ow];
  return { piece: { g, x: input(c, 'x').data, weight: input(c, 'weight').data, bias: bias?.data ?? null, shape }, size: dwSize(g, bias !== null), shape };
}

const parts: ChunkedKernel<DwPiece> = { name: 'depthwiseConv2d', whole, split: splitDepthwise, pack: (ctx, pieces) => packDepthwise(ctx, pieces) };

/** The whole batch prepared with `variant` (default: row4 where every case allows it). */
export function prepareDepthwiseConv2d(ctx: GpuContext, cases: readonly OpCase[], variant?: DepthwiseVariant): Promise<PreparedBatch> {
  return prepareWhole(ctx, parts, cases, (pieces) => packDepthwise(ctx, pieces, variant));
}

export const depthwiseConv2dKernel: OpKernel = chunkedKernel(parts);
