/**
 * adaptiveAvgPool2d on the GPU (WGSL: ./wgsl.ts), one workgroup of 256 per output element, in the
 * order of docs/evaluation-order.md: the window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns likewise, its
 * elements in row-major order summed by the 256-lane tree, then divided by the count as float32.
 */
import { chunkedKernel, type PieceSize } from '../../gpu/chunk.ts';
import { maxPerDim, workgroupGrid } from '../../gpu/dispatch.ts';
import { input, preparedFrom, whereBatch, type PreparedBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { adaptiveWindows, largestWindow, type PoolPiece, poolSize, splitPool } from './chunks.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dGeometry } from './reference.ts';
import { adaptiveAvgPool2dWgsl, POOL_RECORD } from './wgsl.ts';

export interface PoolDesc {
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly xOff: number;
  readonly yOff: number;
  /** Explicit windows of a tile (./chunks.ts), flat [start, end) pairs; absent: the adaptive windows. */
  readonly rows?: readonly number[];
  readonly cols?: readonly number[];
}

export function poolEncoder(ctx: GpuContext, descs: readonly PoolDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }): Promise<Encoder> {
  const table = new TableBuilder(POOL_RECORD);
  for (const d of descs) {
    const rows = d.rows ?? adaptiveWindows(d.h, d.oh);
    const cols = d.cols ?? adaptiveWindows(d.w, d.ow);
    // f32(cnt) is exact below 2^24.
    const most = largestWindow(rows, cols);
    if (most >= 2 ** 24) throw new RangeError(`adaptiveAvgPool2d: a window of ${most} elements exceeds 2^24 (its count is converted to float32 on the GPU)`);
    const rowsAt = table.addExtra(rows);
    const colsAt = table.addExtra(cols);
    table.add(d.planes * d.oh * d.ow, { xOff: d.xOff, yOff: d.yOff, H: d.h, W: d.w, OH: d.oh, OW: d.ow, rowsAt, colsAt });
  }
  return tableEncoder(ctx, whereBatch('adaptiveAvgPool2d', descs), 'adaptiveAvgPool2d', adaptiveAvgPool2dWgsl, table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

function packPool(ctx: GpuContext, pieces: readonly PoolPiece[]): Promise<PreparedBatch> {
  const b = packBatch(pieces, (q, { xs }, yOff): { desc: PoolDesc; shape: number[] } => ({
    desc: { planes: q.planes, h: q.h, w: q.w, oh: q.oh, ow: q.ow, xOff: xs.add(q.x), yOff, rows: q.rows, cols: q.cols },
    shape: [...q.shape],
  }));
  return preparedFrom(ctx, 'pool', { x: b.xs, p: null, outputElements: b.outputElements, slots: b.slots }, (buffers) => poolEncoder(ctx, b.descs, buffers));
}

function whole(c: OpCase): { piece: PoolPiece; size: PieceSize; shape: number[] } {
  const x = input(c, 'x');
  const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, adaptiveAvgPool2dParams.read(c).outputSize);
  const piece = { planes: n * ch, h, w, oh, ow, x: x.data, rows: adaptiveWindows(h, oh), cols: adaptiveWindows(w, ow), shape: [n, ch, oh, ow] };
  return { piece, size: poolSize(piece), shape: piece.shape };
}

export const adaptiveAvgPool2dKernel: OpKernel = chunkedKernel({ name: 'adaptiveAvgPool2d', whole, split: splitPool, pack: packPool });

export const prepareAdaptiveAvgPool2d = adaptiveAvgPool2dKernel.prepare;
