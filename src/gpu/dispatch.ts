/**
 * The one place dispatch sizes are computed. A job is a number of work units (invocations for
 * elementwise kernels, workgroups for reductions); grids fold into two dimensions when the count
 * exceeds the per-dimension limit, and kernels recover the linear index with `LINEAR_WG`.
 */
import { forcedMaxWorkgroupsPerDim } from '../testHooks.ts';
import type { GpuContext } from './types.ts';

export interface Grid {
  readonly x: number;
  readonly y: number;
}

/** Workgroup grid for `workgroups` workgroups (at least one, so an empty batch is still a valid dispatch). */
export function workgroupGrid(workgroups: number, maxPerDim = 65535): Grid {
  const n = Math.max(1, Math.ceil(workgroups));
  if (n <= maxPerDim) return { x: n, y: 1 };
  const y = Math.ceil(n / maxPerDim);
  if (y > maxPerDim) throw new RangeError(`dispatch of ${n} workgroups exceeds ${maxPerDim}² workgroups`);
  return { x: Math.ceil(n / y), y };
}

/** Grid for `invocations` independent invocations at `workgroupSize` per workgroup. */
export function invocationGrid(invocations: number, workgroupSize: number, maxPerDim = 65535): Grid {
  return workgroupGrid(Math.ceil(invocations / workgroupSize), maxPerDim);
}

/**
 * The per-dimension workgroup limit. REFSIM_TEST_MAX_WORKGROUPS_PER_DIM lowers it (test-only), so
 * the folded-grid path runs on small batches instead of dispatches of 65536+ workgroups.
 */
export function maxPerDim(ctx: GpuContext): number {
  const limit = ctx.device.limits.maxComputeWorkgroupsPerDimension;
  const forced = forcedMaxWorkgroupsPerDim();
  return forced === null ? limit : Math.min(forced, limit);
}

export function dispatch(pass: GPUComputePassEncoder, grid: Grid): void {
  pass.dispatchWorkgroups(grid.x, grid.y, 1);
}

/** WGSL: the builtins a folded-grid kernel declares in its entry point's parameter list. */
export const GRID_BUILTINS =
  '@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32';
/** WGSL: `wg` = linear workgroup index in a folded grid. */
export const LINEAR_WG = 'let wg = wid.x + wid.y * nwg.x;';
/** WGSL: `gi` = linear invocation index for workgroup size `size` in a folded grid. */
export const linearInvocation = (size: number): string => `${LINEAR_WG}\n  let gi = wg * ${size}u + lid;`;
