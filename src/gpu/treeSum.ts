/**
 * WGSL of the lane-strided tree sum (docs/evaluation-order.md, src/reference/treeSum.ts): a
 * workgroup of exactly 256 invocations; lane l accumulates elements l, l+256, … from a +0 read at run
 * time, then the shared-memory tree `p[l] = p[l] + p[l+s]` for s = 128 … 1. Call `treeReduce` from
 * uniform control flow with every lane's partial; every lane gets p[0].
 */
export const TREE_LANES = 256;

export const treeReduceWgsl = /* wgsl */ `
var<workgroup> lanes: array<f32, ${TREE_LANES}>;

fn treeReduce(lid: u32, partial: f32) -> f32 {
  lanes[lid] = partial;
  workgroupBarrier();
  for (var s = ${TREE_LANES / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { lanes[lid] = lanes[lid] + lanes[lid + s]; }
    workgroupBarrier();
  }
  let total = lanes[0];
  workgroupBarrier();
  return total;
}
`;
