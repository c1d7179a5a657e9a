/**
 * pointwiseConv2d on the GPU: per sample a GEMM Y[co, p] = Σ_ci W[co, ci] · X[ci, p] + bias[co],
 * each output accumulated `acc + x·w` over ci = 0..Cin-1 in order (docs/evaluation-order.md),
 * through the tiled kernel of ./gemm.ts.
 */
import type { OpCase } from '../types.ts';
import { pointwiseConv2dGeometry } from './reference.ts';
import { type GemmProblem, gemmEncoder, type TileConfig } from '../../gpu/gemm.ts';
import { gpuOpFrom, input, optionalInput, Packer, preparedFrom, type PreparedBatch } from '../../gpu/kernel.ts';
import type { Encoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';

export const POINTWISE_LAYOUT = { a: 'P', b: 'X', bContiguous: 'n' } as const;

export interface PointwiseDesc {
  readonly n: number;
  readonly cin: number;
  readonly hw: number;
  readonly cout: number;
  readonly xOff: number;
  readonly wOff: number;
  readonly bOff: number;
  readonly yOff: number;
}

export const pointwiseProblem = (d: PointwiseDesc): GemmProblem => ({
  aOff: d.wOff, aRow: d.cin,
  bOff: d.xOff, bK: d.hw, bN: 1,
  cOff: d.yOff, cRow: d.hw,
  M: d.cout, N: d.hw, K: d.cin,
  biasOff: d.bOff, biasOnM: true,
  batch: d.n, aBatch: 0, bBatch: d.cin * d.hw, cBatch: d.cout * d.hw,
});

export function pointwiseEncoder(ctx: GpuContext, descs: readonly PointwiseDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, tiles?: TileConfig): Promise<Encoder> {
  const where = { op: 'pointwiseConv2d', caseIndex: descs.length === 1 ? 0 : null };
  return gemmEncoder(ctx, where, POINTWISE_LAYOUT, descs.map(pointwiseProblem), buffers, tiles);
}

export async function preparePointwiseConv2d(ctx: GpuContext, cases: readonly OpCase[], tiles?: TileConfig): Promise<PreparedBatch> {
  const xs = new Packer();
  const ps = new Packer();
  let yEnd = 0;
  const descs: PointwiseDesc[] = [];
  const slots = cases.map((c) => {
    const x = input(c, 'x');
    const [n, cin, h, w, cout] = pointwiseConv2dGeometry(x, input(c, 'weight'), optionalInput(c, 'bias'));
    const d: PointwiseDesc = { n, cin, hw: h * w, cout, xOff: xs.add(x.data), wOff: ps.add(input(c, 'weight').data), bOff: ps.addOptional(optionalInput(c, 'bias')?.data), yOff: yEnd };
    descs.push(d);
    yEnd += n * cout * h * w;
    return { offset: d.yOff, shape: [n, cout, h, w] };
  });
  return preparedFrom(ctx, 'pw', { x: xs, p: ps, outputElements: yEnd, slots }, (buffers) => pointwiseEncoder(ctx, descs, buffers, tiles));
}

export const pointwiseConv2d = gpuOpFrom('pointwiseConv2d', (ctx, cases) => preparePointwiseConv2d(ctx, cases));
