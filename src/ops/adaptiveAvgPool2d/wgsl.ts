/**
 * adaptiveAvgPool2d's WGSL, in the order of docs/evaluation-order.md: the window's elements in
 * row-major order summed by the 256-lane tree, then divided by the count as float32. Two variants,
 * the same additions in the same order per output:
 * - `lanes256`: one workgroup of 256 per output element, each lane a strided slice, then the
 *   shared-memory tree (any window);
 * - `small`: one invocation per output element, for windows of at most SMALL_WINDOW elements (an
 *   output as large as the input or larger: 64×512×4×4 → 7×7 has windows of 1 to 4 elements, on
 *   which a workgroup of 256 would idle 252 lanes). Element e of the window is lane e's only
 *   element (`+0 + v[e]`), every other lane holds +0, and the tree runs over the first
 *   SMALL_WINDOW lanes. The 256-lane tree's levels above those only ever add a +0 lane, which
 *   leaves a value unchanged: a lane never holds −0 (it starts at +0, and an IEEE sum is −0 only
 *   when both addends are −0), and x + (+0) = x for every other x, NaN and ±Inf included
 *   (src/reference/treeSum.ts skips the same steps).
 */
import { tableMain } from '../../gpu/entry.ts';
import { tableReads, tableRecord } from '../../gpu/record.ts';
import { tablePrelude } from '../../gpu/table.ts';
import { treeReduceWgsl } from '../../gpu/treeSum.ts';

/**
 * A case's record. The windows [start, end) of every output row and column are computed on the
 * host (⌊i·H/OH⌋ overflows u32 on wide inputs) and stored as pairs in the table's extra data at
 * rowsAt / colsAt.
 */
export const POOL_RECORD = tableRecord('adaptiveAvgPool2d record', {
  xOff: 'u32', yOff: 'u32', H: 'u32', W: 'u32', OH: 'u32', OW: 'u32', rowsAt: 'u32', colsAt: 'u32',
});

export type PoolVariant = 'lanes256' | 'small';

/** Largest window (elements) of the `small` variant: a power of two, the lanes of its private tree. */
export const SMALL_WINDOW = 16;
/** Invocations per workgroup of the `small` variant. */
export const SMALL_WG = 64;

// The output element r of case k: its window [r0, r1) × [c0, c1), count and first element.
const windowOf = /* wgsl */ `
${tableReads(POOL_RECORD)}
  let j = r % OW;
  let i = (r / OW) % OH;
  let plane = r / (OW * OH);
  let r0 = extra(rowsAt + 2u * i);
  let r1 = extra(rowsAt + 2u * i + 1u);
  let c0 = extra(colsAt + 2u * j);
  let c1 = extra(colsAt + 2u * j + 1u);
  let ww = c1 - c0;
  let cnt = (r1 - r0) * ww;
  let base = xOff + plane * H * W + r0 * W + c0;`;

export function adaptiveAvgPool2dWgsl(variant: PoolVariant = 'lanes256'): string {
  if (variant === 'small') {
    return /* wgsl */ `${tablePrelude(POOL_RECORD)}
${tableMain('invocation', SMALL_WG)}
  ${windowOf}
  var p: array<f32, ${SMALL_WINDOW}>;
  for (var l = 0u; l < ${SMALL_WINDOW}u; l++) { p[l] = batch.zero; }
  // Lane e holds +0 + v[e], e in row-major order (the host keeps cnt ≤ ${SMALL_WINDOW}).
  var e = 0u;
  for (var rr = 0u; rr < r1 - r0; rr++) {
    for (var q = 0u; q < ww; q++) {
      p[e] = p[e] + X[base + rr * W + q];
      e++;
    }
  }
  for (var s = ${SMALL_WINDOW / 2}u; s > 0u; s = s >> 1u) {
    for (var l = 0u; l < s; l++) { p[l] = p[l] + p[l + s]; }
  }
  Y[yOff + r] = p[0] / f32(cnt);
}`;
  }
  return /* wgsl */ `${tablePrelude(POOL_RECORD)}
${treeReduceWgsl}
${tableMain('workgroup')}
  ${windowOf}
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
