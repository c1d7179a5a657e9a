/**
 * The entry points the WGSL kernels share: `fn main` over a folded grid (./dispatch.ts) up to the
 * point where a kernel's own work begins, so the guard and the indexing are written once.
 */
import { GRID_BUILTINS, LINEAR_WG, linearInvocation } from './dispatch.ts';
import type { AnyRecordLayout } from './record.ts';

/**
 * `fn main` of a kernel over a work table (./table.ts) up to the unit's case: one unit per
 * workgroup of 256 ('workgroup', the lane in `lid`) or one per invocation ('invocation'). After it
 * `k` is the unit's case and `r` the unit's index within that case.
 */
export function tableMain(per: 'workgroup' | 'invocation', size = 256): string {
  const [index, id] = per === 'workgroup' ? [LINEAR_WG, 'wg'] : [linearInvocation(size), 'gi'];
  return `@compute @workgroup_size(${size})
fn main(${GRID_BUILTINS}) {
  ${index}
  if (${id} >= batch.totalWork) { return; }
  let k = findCase(${id});
  let r = ${id} - rec(k, 0u);`;
}

/** `fn main` of a kernel with one invocation per element, up to the element `gi` (those at or past `count` return). */
export function elementMain(size: number, count: string): string {
  return `@compute @workgroup_size(${size})
fn main(${GRID_BUILTINS}) {
  ${linearInvocation(size)}
  if (gi >= ${count}) { return; }`;
}

/**
 * The bindings of a kernel without a work table: uniform `u` of `struct Params` (the members of
 * `params`, packed on the host by `params.pack`) at binding 0, then the storage buffers at bindings
 * 1, 2, … in order, read-only except the last (or those marked 'read_write').
 */
export function plainBindings(params: AnyRecordLayout, buffers: readonly (readonly [name: string, type: string, access?: 'read' | 'read_write'])[]): string {
  if (params.first !== 0) throw new Error(`${params.label}: uniform params start at word 0`);
  const last = buffers.length - 1;
  return [
    `struct Params { ${params.members()} }`,
    '@group(0) @binding(0) var<uniform> u: Params;',
    ...buffers.map(([name, type, access], i) => `@group(0) @binding(${i + 1}) var<storage, ${access ?? (i === last ? 'read_write' : 'read')}> ${name}: ${type};`),
  ].join('\n');
}
