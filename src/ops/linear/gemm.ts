/**
 * linear on the GPU: Y[n, o] = Σ_i X[n, i] · W[o, i] + bias[o], each output accumulated
 * `acc + x·w` over i = 0..in-1 in order (docs/evaluation-order.md), through src/gpu/gemm.ts
 * (A = X rows, B(k, n) = W[n, k], k-contiguous).
 */
import type { OpCase } from '../types.ts';
import { linearGeometry } from './reference.ts';
import { type GemmProblem, gemmEncoder, type TileConfig } from '../../gpu/gemm.ts';
import { gpuOpFrom, input, optionalInput, Packer, preparedFrom, type PreparedBatch } from '../../gpu/kernel.ts';
import type { Encoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';

export const LINEAR_LAYOUT = { a: 'X', b: 'P', bContiguous: 'k' } as const;

export interface LinearDesc {
  readonly n: number;
  readonly inF: number;
  readonly outF: number;
  readonly xOff: number;
  readonly wOff: number;
  readonly bOff: number;
  readonly yOff: number;
}

export const linearProblem = (d: LinearDesc): GemmProblem => ({
  aOff: d.xOff, aRow: d.inF,
  bOff: d.wOff, bK: 1, bN: d.inF,
  cOff: d.yOff, cRow: d.outF,
  M: d.n, N: d.outF, K: d.inF,
  biasOff: d.bOff, biasOnM: false,
  batch: 1, aBatch: 0, bBatch: 0, cBatch: 0,
});

export function linearEncoder(ctx: GpuContext, descs: readonly LinearDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, tiles?: TileConfig): Promise<Encoder> {
  const where = { op: 'linear', caseIndex: descs.length === 1 ? 0 : null };
  return gemmEncoder(ctx, where, LINEAR_LAYOUT, descs.map(linearProblem), buffers, tiles);
}

export async function prepareLinear(ctx: GpuContext, cases: readonly OpCase[], tiles?: TileConfig): Promise<PreparedBatch> {
  const xs = new Packer();
  const ps = new Packer();
  let yEnd = 0;
  const descs: LinearDesc[] = [];
  const slots = cases.map((c) => {
    const x = input(c, 'x');
    const [n, inF, outF] = linearGeometry(x, input(c, 'weight'), optionalInput(c, 'bias'));
    const d: LinearDesc = { n, inF, outF, xOff: xs.add(x.data), wOff: ps.add(input(c, 'weight').data), bOff: ps.addOptional(optionalInput(c, 'bias')?.data), yOff: yEnd };
    descs.push(d);
    yEnd += n * outF;
    return { offset: d.yOff, shape: [n, outF] };
  });
  return preparedFrom(ctx, 'linear', { x: xs, p: ps, outputElements: yEnd, slots }, (buffers) => linearEncoder(ctx, descs, buffers, tiles));
}

export const linear = gpuOpFrom('linear', (ctx, cases) => prepareLinear(ctx, cases));
