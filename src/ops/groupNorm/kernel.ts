/**
 * groupNorm on the GPU (WGSL and order: ./wgsl.ts), one workgroup of 256 per (case, sample,
 * group). n and eps are passed as float32 (the record's f32 fields; no integer-to-float
 * conversion on the GPU).
 */
import { maxPerDim, workgroupGrid } from '../../gpu/dispatch.ts';
import { gpuOpFrom, input, optionalInput, preparedFrom, type PreparedBatch, whereBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { groupNormParams } from './params.ts';
import { groupNormGeometry, type GroupNormGeometry } from './reference.ts';
import { GROUP_NORM_RECORD, groupNormWgsl } from './wgsl.ts';

export interface GroupNormDesc {
  readonly g: GroupNormGeometry;
  readonly eps: number;
  readonly xOff: number;
  readonly gammaOff: number;
  readonly betaOff: number;
  readonly yOff: number;
}

export function groupNormEncoder(ctx: GpuContext, descs: readonly GroupNormDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }): Promise<Encoder> {
  const table = new TableBuilder(GROUP_NORM_RECORD);
  for (const { g, eps, xOff, gammaOff, betaOff, yOff } of descs) {
    const nF = (g.c / g.groups) * g.spatial;
    table.add(g.n * g.groups, { xOff, gOff: gammaOff, bOff: betaOff, yOff, C: g.c, spatial: g.spatial, G: g.groups, nF, eps });
  }
  return tableEncoder(ctx, whereBatch('groupNorm', descs), 'groupNorm', groupNormWgsl, table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

export async function prepareGroupNorm(ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch> {
  const b = packBatch(cases, (c, { xs, ps }, yOff): { desc: GroupNormDesc; shape: number[] } => {
    const x = input(c, 'x');
    const gamma = optionalInput(c, 'weight');
    const beta = optionalInput(c, 'bias');
    const { numGroups, eps } = groupNormParams.read(c);
    const g = groupNormGeometry(x, numGroups, gamma, beta, eps);
    return { desc: { g, eps, xOff: xs.add(x.data), gammaOff: ps.addOptional(gamma?.data), betaOff: ps.addOptional(beta?.data), yOff }, shape: [...x.shape] };
  });
  return preparedFrom(ctx, 'gn', { x: b.xs, p: b.ps, outputElements: b.outputElements, slots: b.slots }, (buffers) => groupNormEncoder(ctx, b.descs, buffers));
}

export const groupNormKernel: OpKernel = { run: gpuOpFrom('groupNorm', prepareGroupNorm), prepare: prepareGroupNorm };
