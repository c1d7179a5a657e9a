/**
 * adaptiveAvgPool2d on the GPU (WGSL: ./wgsl.ts), one workgroup of 256 per output element, in the
 * order of docs/evaluation-order.md: the window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns likewise, its
 * elements in row-major order summed by the 256-lane tree, then divided by the count as float32.
 */
import { maxPerDim, workgroupGrid } from '../../gpu/dispatch.ts';
import { gpuOpFrom, input, preparedFrom, whereBatch, type PreparedBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';
import { adaptiveAvgPool2dWgsl, POOL_RECORD } from './wgsl.ts';

export interface PoolDesc {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly xOff: number;
  readonly yOff: number;
}

export function poolEncoder(ctx: GpuContext, descs: readonly PoolDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }): Promise<Encoder> {
  const table = new TableBuilder(POOL_RECORD);
  for (const d of descs) {
    // f32(cnt) is exact below 2^24; larger windows are beyond what any case here can allocate anyway.
    if (d.h * d.w >= 2 ** 24) throw new RangeError(`adaptiveAvgPool2d: window of ${d.h * d.w} elements exceeds 2^24`);
    const windows = (inSize: number, outSize: number) => Array.from({ length: outSize }, (_, i) => adaptiveWindow(i, inSize, outSize)).flat();
    const rowsAt = table.addExtra(windows(d.h, d.oh));
    const colsAt = table.addExtra(windows(d.w, d.ow));
    table.add(d.planes * d.oh * d.ow, { xOff: d.xOff, yOff: d.yOff, H: d.h, W: d.w, OH: d.oh, OW: d.ow, rowsAt, colsAt });
  }
  return tableEncoder(ctx, whereBatch('adaptiveAvgPool2d', descs), 'adaptiveAvgPool2d', adaptiveAvgPool2dWgsl, table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

export async function prepareAdaptiveAvgPool2d(ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch> {
  const b = packBatch(cases, (c, { xs }, yOff) => {
    const x = input(c, 'x');
    const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, adaptiveAvgPool2dParams.read(c).outputSize);
    return { desc: { planes: n * ch, h, w, oh, ow, xOff: xs.add(x.data), yOff }, shape: [n, ch, oh, ow] };
  });
  return preparedFrom(ctx, 'pool', { x: b.xs, p: null, outputElements: b.outputElements, slots: b.slots }, (buffers) => poolEncoder(ctx, b.descs, buffers));
}

export const adaptiveAvgPool2dKernel: OpKernel = { run: gpuOpFrom('adaptiveAvgPool2d', prepareAdaptiveAvgPool2d), prepare: prepareAdaptiveAvgPool2d };
