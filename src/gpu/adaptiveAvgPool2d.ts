/**
 * adaptiveAvgPool2d on the GPU, one workgroup of 256 per output element, in the order of
 * docs/evaluation-order.md: the window rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) × columns likewise, its
 * elements in row-major order summed by the 256-lane tree, then divided by the count as float32.
 */
import type { OpCase } from '../ops/types.ts';
import { adaptiveAvgPool2dParams } from '../ops/adaptiveAvgPool2d/params.ts';
import { adaptiveAvgPool2dGeometry, adaptiveWindow } from '../reference/adaptiveAvgPool2d.ts';
import { GRID_BUILTINS, LINEAR_WG, maxPerDim, workgroupGrid } from './dispatch.ts';
import { gpuOpFrom, input, Packer, preparedFrom, type PreparedBatch } from './kernel.ts';
import { type Encoder, TableBuilder, tableEncoder, tablePrelude } from './table.ts';
import { treeReduceWgsl } from './treeSum.ts';
import type { GpuContext } from './types.ts';

// Record: work start, xOff, yOff, H, W, OH, OW, rowsAt, colsAt. The windows [start, end) of every
// output row and column are computed on the host (⌊i·H/OH⌋ overflows u32 on wide inputs) and
// stored as pairs in the table's extra data at rowsAt / colsAt.
const STRIDE = 9;

export function adaptiveAvgPool2dWgsl(): string {
  return /* wgsl */ `${tablePrelude(STRIDE)}
${treeReduceWgsl}
@compute @workgroup_size(256)
fn main(${GRID_BUILTINS}) {
  ${LINEAR_WG}
  if (wg >= batch.totalWork) { return; }
  let k = findCase(wg);
  let r = wg - rec(k, 0u);
  let xOff = rec(k, 1u); let yOff = rec(k, 2u);
  let H = rec(k, 3u); let W = rec(k, 4u); let OH = rec(k, 5u); let OW = rec(k, 6u);
  let j = r % OW;
  let i = (r / OW) % OH;
  let plane = r / (OW * OH);
  let rowsAt = rec(k, 7u); let colsAt = rec(k, 8u);
  let r0 = extra(rowsAt + 2u * i);
  let r1 = extra(rowsAt + 2u * i + 1u);
  let c0 = extra(colsAt + 2u * j);
  let c1 = extra(colsAt + 2u * j + 1u);
  let ww = c1 - c0;
  let cnt = (r1 - r0) * ww;
  let base = xOff + plane * H * W + r0 * W + c0;
  var p = batch.zero;
  // Each lane's elements e = lid, lid+256, … are added in that order; four of them are loaded
  // before the four additions so each invocation keeps four loads in flight (one at a time left
  // the H100 at ~650 GB/s on 3136-element windows). Same additions, same order.
  var e = lid;
  if (ww == W) {
    // Full-width windows are contiguous: skip the per-element division (the order is the same).
    for (; e + 768u < cnt; e += 1024u) {
      let v0 = X[base + e]; let v1 = X[base + e + 256u]; let v2 = X[base + e + 512u]; let v3 = X[base + e + 768u];
      p = p + v0; p = p + v1; p = p + v2; p = p + v3;
    }
    for (; e < cnt; e += 256u) { p = p + X[base + e]; }
  } else {
    for (; e + 768u < cnt; e += 1024u) {
      let e1 = e + 256u; let e2 = e + 512u; let e3 = e + 768u;
      let v0 = X[base + (e / ww) * W + e % ww]; let v1 = X[base + (e1 / ww) * W + e1 % ww];
      let v2 = X[base + (e2 / ww) * W + e2 % ww]; let v3 = X[base + (e3 / ww) * W + e3 % ww];
      p = p + v0; p = p + v1; p = p + v2; p = p + v3;
    }
    for (; e < cnt; e += 256u) { p = p + X[base + (e / ww) * W + e % ww]; }
  }
  let s = treeReduce(lid, p);
  if (lid == 0u) { Y[yOff + r] = s / f32(cnt); }
}`;
}

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
  const table = new TableBuilder(STRIDE);
  for (const d of descs) {
    // f32(cnt) is exact below 2^24; larger windows are beyond what any case here can allocate anyway.
    if (d.h * d.w >= 2 ** 24) throw new RangeError(`adaptiveAvgPool2d: window of ${d.h * d.w} elements exceeds 2^24`);
    const windows = (inSize: number, outSize: number) => Array.from({ length: outSize }, (_, i) => adaptiveWindow(i, inSize, outSize)).flat();
    table.add(d.planes * d.oh * d.ow, [d.xOff, d.yOff, d.h, d.w, d.oh, d.ow, table.addExtra(windows(d.h, d.oh)), table.addExtra(windows(d.w, d.ow))]);
  }
  const where = { op: 'adaptiveAvgPool2d', caseIndex: descs.length === 1 ? 0 : null };
  return tableEncoder(ctx, where, 'adaptiveAvgPool2d', adaptiveAvgPool2dWgsl, table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

export async function prepareAdaptiveAvgPool2d(ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch> {
  const xs = new Packer();
  let yEnd = 0;
  const descs: PoolDesc[] = [];
  const slots = cases.map((c) => {
    const x = input(c, 'x');
    const [n, ch, h, w, oh, ow] = adaptiveAvgPool2dGeometry(x, adaptiveAvgPool2dParams.read(c).outputSize);
    const d: PoolDesc = { planes: n * ch, h, w, oh, ow, xOff: xs.add(x.data), yOff: yEnd };
    descs.push(d);
    yEnd += n * ch * oh * ow;
    return { offset: d.yOff, shape: [n, ch, oh, ow] };
  });
  return preparedFrom(ctx, 'pool', { x: xs, p: null, outputElements: yEnd, slots }, (buffers) => poolEncoder(ctx, descs, buffers));
}

export const adaptiveAvgPool2d = gpuOpFrom('adaptiveAvgPool2d', prepareAdaptiveAvgPool2d);
