/**
 * groupNorm's WGSL: one workgroup of 256 per (case, sample, group), in the order of
 * docs/evaluation-order.md: mean = treeSum(v) / n; var = treeSum of (v−mean)·(v−mean) multiply-adds
 * / n; sd = sqrt(var + eps); t = (v − mean) / sd; then by what the case has: weight and bias
 * `t * γ + β` (one multiply-add), weight only `t * γ`, bias only `t + β`, neither `t`.
 */
import { tableMain } from '../../gpu/entry.ts';
import { tableReads, tableRecord } from '../../gpu/record.ts';
import { tablePrelude } from '../../gpu/table.ts';
import { treeReduceWgsl } from '../../gpu/treeSum.ts';

/** A case's record: offsets (gOff, bOff: γ and β, NONE when absent), shape, and n and eps as float32. */
export const GROUP_NORM_RECORD = tableRecord('groupNorm record', {
  xOff: 'u32', gOff: 'u32', bOff: 'u32', yOff: 'u32', C: 'u32', spatial: 'u32', G: 'u32', nF: 'f32', eps: 'f32',
});

export function groupNormWgsl(): string {
  return /* wgsl */ `${tablePrelude(GROUP_NORM_RECORD)}
${treeReduceWgsl}
${tableMain('workgroup')}
${tableReads(GROUP_NORM_RECORD)}
  let g = r % G;
  let b = r / G;
  let cg = C / G;
  let cnt = cg * spatial;
  let first = (b * C + g * cg) * spatial;
  let base = xOff + first;

  // Both lane loops load four of a lane's elements (e, e+256, e+512, e+768) before adding them in
  // order: four loads in flight per invocation instead of one; same operations, same order.
  var p = batch.zero;
  var e = lid;
  for (; e + 768u < cnt; e += 1024u) {
    let v0 = X[base + e]; let v1 = X[base + e + 256u]; let v2 = X[base + e + 512u]; let v3 = X[base + e + 768u];
    p = p + v0; p = p + v1; p = p + v2; p = p + v3;
  }
  for (; e < cnt; e += 256u) { p = p + X[base + e]; }
  let mean = treeReduce(lid, p) / nF;

  var q = batch.zero;
  e = lid;
  for (; e + 768u < cnt; e += 1024u) {
    let d0 = X[base + e] - mean; let d1 = X[base + e + 256u] - mean;
    let d2 = X[base + e + 512u] - mean; let d3 = X[base + e + 768u] - mean;
    q = q + d0 * d0; q = q + d1 * d1; q = q + d2 * d2; q = q + d3 * d3;
  }
  for (; e < cnt; e += 256u) {
    let d = X[base + e] - mean;
    q = q + d * d;
  }
  let variance = treeReduce(lid, q) / nF;
  let sd = sqrt(variance + eps);

  for (var e = lid; e < cnt; e += 256u) {
    let c = g * cg + e / spatial;
    let t = (X[base + e] - mean) / sd;
    var y = t;
    if (gOff != NONE && bOff != NONE) {
      y = t * P[gOff + c] + P[bOff + c];
    } else if (gOff != NONE) {
      y = t * P[gOff + c];
    } else if (bOff != NONE) {
      y = t + P[bOff + c];
    }
    Y[yOff + first + e] = y;
  }
}`;
}
