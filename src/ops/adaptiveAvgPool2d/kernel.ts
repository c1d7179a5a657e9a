/**
 * adaptiveAvgPool2d on the GPU (WGSL and its two variants: ./wgsl.ts), in the order of
 * docs/evaluation-order.md: the window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns likewise, its
 * elements in row-major order summed by the 256-lane tree, then divided by the count as float32.
 * A case whose windows all hold at most SMALL_WINDOW elements runs one invocation per output
 * (`small`), any other one workgroup of 256 per output (`lanes256`). A problem bigger than one
 * buffer runs in chunks (./chunks.ts: planes, else output tiles with explicit windows).
 */
import { chunkedKernel, type PieceSize } from '../../gpu/chunk.ts';
import { invocationGrid, maxPerDim, workgroupGrid } from '../../gpu/dispatch.ts';
import type { GpuWhere } from '../../gpu/errors.ts';
import { input, preparedFrom, whereBatch, type PreparedBatch } from '../../gpu/kernel.ts';
import { type Encoder, TableBuilder, tableEncoder } from '../../gpu/table.ts';
import type { GpuContext } from '../../gpu/types.ts';
import { packBatch } from '../shared/batch.ts';
import type { OpCase, OpKernel } from '../types.ts';
import { adaptiveWindows, largestWindow, type PoolPiece, poolSize, splitPool } from './chunks.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dGeometry } from './reference.ts';
import { adaptiveAvgPool2dWgsl, POOL_RECORD, type PoolVariant, SMALL_WG, SMALL_WINDOW } from './wgsl.ts';

export type { PoolVariant } from './wgsl.ts';

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

type Windows = Pick<PoolDesc, 'h' | 'w' | 'oh' | 'ow' | 'rows' | 'cols'>;
const rowsOf = (d: Windows): readonly number[] => d.rows ?? adaptiveWindows(d.h, d.oh);
const colsOf = (d: Windows): readonly number[] => d.cols ?? adaptiveWindows(d.w, d.ow);

/** The variant a case runs: `small` when every window holds at most SMALL_WINDOW elements. */
export const poolVariant = (d: Windows): PoolVariant => (largestWindow(rowsOf(d), colsOf(d)) <= SMALL_WINDOW ? 'small' : 'lanes256');

/** One variant's dispatch over its cases. */
function variantEncoder(ctx: GpuContext, where: GpuWhere, descs: readonly PoolDesc[], variant: PoolVariant, buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }): Promise<Encoder> {
  const table = new TableBuilder(POOL_RECORD);
  for (const d of descs) {
    const rows = rowsOf(d);
    const cols = colsOf(d);
    // f32(cnt) is exact below 2^24.
    const most = largestWindow(rows, cols);
    if (most >= 2 ** 24) throw new RangeError(`adaptiveAvgPool2d: a window of ${most} elements exceeds 2^24 (its count is converted to float32 on the GPU)`);
    const rowsAt = table.addExtra(rows);
    const colsAt = table.addExtra(cols);
    table.add(d.planes * d.oh * d.ow, { xOff: d.xOff, yOff: d.yOff, H: d.h, W: d.w, OH: d.oh, OW: d.ow, rowsAt, colsAt });
  }
  const grid = variant === 'small' ? invocationGrid(table.totalWork, SMALL_WG, maxPerDim(ctx)) : workgroupGrid(table.totalWork, maxPerDim(ctx));
  return tableEncoder(ctx, where, `adaptiveAvgPool2d/${variant}`, () => adaptiveAvgPool2dWgsl(variant), table, buffers, grid);
}

/**
 * Encodes the pooling of cases whose inputs already sit in GPU buffers (also used by the block):
 * each case in its variant (poolVariant), or all in `variant` where given (`small` only takes
 * windows of at most SMALL_WINDOW elements).
 */
export async function poolEncoder(ctx: GpuContext, descs: readonly PoolDesc[], buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer }, variant?: PoolVariant): Promise<Encoder> {
  if (variant === 'small' && !descs.every((d) => poolVariant(d) === 'small')) throw new RangeError(`adaptiveAvgPool2d: the small variant takes windows of at most ${SMALL_WINDOW} elements`);
  const of = (v: PoolVariant) => descs.filter((d) => (variant ?? poolVariant(d)) === v);
  const where = whereBatch('adaptiveAvgPool2d', descs);
  const encoders = await Promise.all((['small', 'lanes256'] as const).filter((v) => of(v).length > 0).map((v) => variantEncoder(ctx, where, of(v), v, buffers)));
  return {
    encode: (pass) => encoders.forEach((e) => e.encode(pass)),
    destroy: () => encoders.forEach((e) => e.destroy()),
  };
}

function packPool(ctx: GpuContext, pieces: readonly PoolPiece[], variant?: PoolVariant): Promise<PreparedBatch> {
  const b = packBatch(pieces, (q, { xs }, yOff): { desc: PoolDesc; shape: number[] } => ({
    desc: { planes: q.planes, h: q.h, w: q.w, oh: q.oh, ow: q.ow, xOff: xs.add(q.x), yOff, rows: q.rows, cols: q.cols },
    shape: [...q.shape],
  }));
  return preparedFrom(ctx, 'pool', { x: b.xs, p: null, outputElements: b.outputElements, slots: b.slots }, (buffers) => poolEncoder(ctx, b.descs, buffers, variant));
}

function whole(c: OpCase): { piece: PoolPiece; size: PieceSize; shape: number[] } {
  const x = input(c, 'x');
  const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, adaptiveAvgPool2dParams.read(c).outputSize);
  const piece = { planes: n * ch, h, w, oh, ow, x: x.data, rows: adaptiveWindows(h, oh), cols: adaptiveWindows(w, ow), shape: [n, ch, oh, ow] };
  return { piece, size: poolSize(piece), shape: piece.shape };
}

export const adaptiveAvgPool2dKernel: OpKernel = chunkedKernel({ name: 'adaptiveAvgPool2d', whole, split: splitPool, pack: (ctx, pieces) => packPool(ctx, pieces) });

/** The cases as one batch (no chunking), every case in `variant` where given (the benchmark's forced variants). */
export function prepareAdaptiveAvgPool2d(ctx: GpuContext, cases: readonly OpCase[], variant?: PoolVariant): Promise<PreparedBatch> {
  if (variant === undefined) return adaptiveAvgPool2dKernel.prepare(ctx, cases);
  return packPool(ctx, cases.map((c) => whole(c).piece), variant);
}
