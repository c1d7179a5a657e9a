/**
 * adaptiveAvgPool2d on the GPU (WGSL and its two variants: ./wgsl.ts), in the order of
 * docs/evaluation-order.md: the window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns likewise, its
 * elements in row-major order summed by the 256-lane tree, then divided by the count as float32.
 * A case whose windows all hold at most SMALL_WINDOW elements runs one invocation per output
 * (`small`), any other one workgroup of 256 per output (`lanes256`).
 */
import { invocationGrid, maxPerDim, workgroupGrid } from '../../gpu/dispatch.ts';
import { gpuOpFrom, input, preparedFrom, whereBatch, type PreparedBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuWhere } from '../../gpu/errors.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';
import { adaptiveAvgPool2dWgsl, type PoolVariant, SMALL_WG, SMALL_WINDOW, STRIDE } from './wgsl.ts';

export type { PoolVariant } from './wgsl.ts';

export interface PoolDesc {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly xOff: number;
  readonly yOff: number;
}

const windows = (inSize: number, outSize: number) => Array.from({ length: outSize }, (_, i) => adaptiveWindow(i, inSize, outSize));
const widest = (ws: readonly [number, number][]) => ws.reduce((m, [a, b]) => Math.max(m, b - a), 0);

/** The variant a case runs: `small` when every window holds at most SMALL_WINDOW elements. */
export const poolVariant = (d: Pick<PoolDesc, 'h' | 'w' | 'oh' | 'ow'>): PoolVariant =>
  widest(windows(d.h, d.oh)) * widest(windows(d.w, d.ow)) <= SMALL_WINDOW ? 'small' : 'lanes256';

/** One variant's dispatch over its cases. */
function variantEncoder(ctx: GpuContext, where: GpuWhere, descs: readonly PoolDesc[], variant: PoolVariant, buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }): Promise<Encoder> {
  const table = new TableBuilder(STRIDE);
  for (const d of descs) {
    // f32(cnt) is exact below 2^24; larger windows are beyond what any case here can allocate anyway.
    if (d.h * d.w >= 2 ** 24) throw new RangeError(`adaptiveAvgPool2d: window of ${d.h * d.w} elements exceeds 2^24`);
    table.add(d.planes * d.oh * d.ow, [d.xOff, d.yOff, d.h, d.w, d.oh, d.ow, table.addExtra(windows(d.h, d.oh).flat()), table.addExtra(windows(d.w, d.ow).flat())]);
  }
  const grid = variant === 'small' ? invocationGrid(table.totalWork, SMALL_WG, maxPerDim(ctx)) : workgroupGrid(table.totalWork, maxPerDim(ctx));
  return tableEncoder(ctx, where, `adaptiveAvgPool2d/${variant}`, () => adaptiveAvgPool2dWgsl(variant), table, buffers, grid);
}

/**
 * Encodes the pooling of cases whose inputs already sit in GPU buffers (used by the block): each
 * case in its variant (poolVariant), or all in `variant` where given (`small` only takes windows of
 * at most SMALL_WINDOW elements).
 */
export async function poolEncoder(ctx: GpuContext, descs: readonly PoolDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, variant?: PoolVariant): Promise<Encoder> {
  if (variant === 'small' && !descs.every((d) => poolVariant(d) === 'small')) throw new RangeError(`adaptiveAvgPool2d: the small variant takes windows of at most ${SMALL_WINDOW} elements`);
  const of = (v: PoolVariant) => descs.filter((d) => (variant ?? poolVariant(d)) === v);
  const encoders = await Promise.all((['small', 'lanes256'] as const).filter((v) => of(v).length > 0).map((v) => variantEncoder(ctx, whereBatch('adaptiveAvgPool2d', descs), of(v), v, buffers)));
  return {
    encode: (pass) => encoders.forEach((e) => e.encode(pass)),
    destroy: () => encoders.forEach((e) => e.destroy()),
  };
}

export async function prepareAdaptiveAvgPool2d(ctx: GpuContext, cases: readonly OpCase[], variant?: PoolVariant): Promise<PreparedBatch> {
  const b = packBatch(cases, (c, { xs }, yOff) => {
    const x = input(c, 'x');
    const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, adaptiveAvgPool2dParams.read(c).outputSize);
    return { desc: { planes: n * ch, h, w, oh, ow, xOff: xs.add(x.data), yOff }, shape: [n, ch, oh, ow] };
  });
  return preparedFrom(ctx, 'pool', { x: b.xs, p: null, outputElements: b.outputElements, slots: b.slots }, (buffers) => poolEncoder(ctx, b.descs, buffers, variant));
}

const prepare = (ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch> => prepareAdaptiveAvgPool2d(ctx, cases);

export const adaptiveAvgPool2dKernel: OpKernel = { run: gpuOpFrom('adaptiveAvgPool2d', prepare), prepare };
