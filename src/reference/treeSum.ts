/**
 * The lane-strided tree sum of docs/evaluation-order.md, the reduction order a GPU workgroup of
 * 256 invocations naturally uses (each lane accumulates a strided slice, then a shared-memory
 * tree halves the lanes):
 *
 * 1. lane `l ∈ [0, 256)`: `p[l] = +0; for e = l, l+256, … < n: p[l] = p[l] ⊕ v[e]`
 *    (sum of products: the multiply-add `p[l] ⊕ (a[e] ⊗ b[e])`, fused under profile 'fma').
 * 2. `for s = 128, 64, …, 1: for l < s: p[l] = p[l] ⊕ p[l+s]`; the result is `p[0]`.
 *
 * 256 lanes always, also for tiny n (empty lanes hold +0, so a lone −0 sums to +0).
 * The elements are contiguous: `v[offset + e]`. Callers with strided data gather first.
 */
import { fma32f } from './float32.ts';
import type { Profile } from './tensor.ts';

export const TREE_LANES = 256;

// Float32Array stores round to float32, so `lanes[l] = lanes[l] + v` is exactly `p[l] ⊕ v`.
// Each function takes a local alias: a module-level binding would be re-read (and checked for
// its temporal dead zone) on every loop iteration.
const laneStore = new Float32Array(TREE_LANES);

/*
 * Shortcut, bit-identical to the full 256-lane tree: a lane never holds −0 (it starts at +0, and
 * an IEEE sum is −0 only when both addends are −0; an exact zero fma is −0 only with acc = −0),
 * and x ⊕ +0 = x for every other x, NaN and ±Inf included. So lanes that received no element
 * (l ≥ active) stay +0 and every tree step that would read one is the identity: it is skipped,
 * and those lanes are never even cleared.
 */
function treeReduce(active: number): number {
  const lanes = laneStore;
  if (active === 0) return 0;
  let live = active;
  for (let s = TREE_LANES >> 1; s >= 1; s >>= 1) {
    const m = Math.min(s, live - s);
    for (let l = 0; l < m; l++) lanes[l] = lanes[l]! + lanes[l + s]!;
    if (live > s) live = s;
  }
  return lanes[0]!;
}

/** Tree sum of `v[offset .. offset+n)`. */
export function treeSum(v: Float32Array, offset: number, n: number): number {
  const lanes = laneStore;
  const active = Math.min(n, TREE_LANES);
  lanes.fill(0, 0, active);
  const end = offset + n;
  let base = offset;
  // Two strided passes per lane per loop trip: the same order p[l] ⊕ v[e] ⊕ v[e+256], fewer lane loads/stores.
  for (; base + 2 * TREE_LANES <= end; base += 2 * TREE_LANES) {
    for (let l = 0; l < TREE_LANES; l++) lanes[l] = Math.fround(lanes[l]! + v[base + l]!) + v[base + TREE_LANES + l]!;
  }
  for (; base < end; base += TREE_LANES) {
    const m = Math.min(TREE_LANES, end - base);
    for (let l = 0; l < m; l++) lanes[l] = lanes[l]! + v[base + l]!;
  }
  return treeReduce(active);
}

/**
 * Tree sum of a 2-D window read in row-major order: element e = r·cols + c is
 * `v[offset + r·rowStride + c]` (the same order as gathering the window and calling treeSum,
 * without the gather).
 */
export function treeSumWindow(v: Float32Array, offset: number, rowStride: number, rows: number, cols: number): number {
  const lanes = laneStore;
  const n = rows * cols;
  const active = Math.min(n, TREE_LANES);
  lanes.fill(0, 0, active);
  let l = 0;
  for (let r = 0; r < rows; r++) {
    const row = offset + r * rowStride;
    for (let c = 0; c < cols; c++) {
      lanes[l] = lanes[l]! + v[row + c]!;
      l = (l + 1) & (TREE_LANES - 1);
    }
  }
  return treeReduce(active);
}

/** Tree sum of products `a[aOffset+e] ⊗ b[bOffset+e]`, `e < n`, each step a multiply-add. */
export function treeSumProducts(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  n: number,
  profile: Profile = 'strict',
): number {
  const lanes = laneStore;
  const active = Math.min(n, TREE_LANES);
  lanes.fill(0, 0, active);
  for (let base = 0; base < n; base += TREE_LANES) {
    const m = Math.min(TREE_LANES, n - base);
    const ai = aOffset + base;
    const bi = bOffset + base;
    if (profile === 'fma') {
      for (let l = 0; l < m; l++) lanes[l] = fma32f(a[ai + l]!, b[bi + l]!, lanes[l]!);
    } else {
      for (let l = 0; l < m; l++) lanes[l] = lanes[l]! + Math.fround(a[ai + l]! * b[bi + l]!);
    }
  }
  return treeReduce(active);
}

/**
 * Tree sum of squared deviations: with `d[e] = v[offset+e] ⊖ mean`, the multiply-adds
 * `p[l] ⊕ (d[e] ⊗ d[e])` (groupNorm's variance numerator). `mean` must be a float32 value.
 */
export function treeSumSquaredDeviations(v: Float32Array, offset: number, n: number, mean: number, profile: Profile = 'strict'): number {
  const lanes = laneStore;
  const active = Math.min(n, TREE_LANES);
  lanes.fill(0, 0, active);
  const end = offset + n;
  for (let base = offset; base < end; base += TREE_LANES) {
    const m = Math.min(TREE_LANES, end - base);
    if (profile === 'fma') {
      for (let l = 0; l < m; l++) {
        const d = Math.fround(v[base + l]! - mean);
        lanes[l] = fma32f(d, d, lanes[l]!);
      }
    } else {
      for (let l = 0; l < m; l++) {
        const d = Math.fround(v[base + l]! - mean);
        lanes[l] = lanes[l]! + Math.fround(d * d);
      }
    }
  }
  return treeReduce(active);
}
