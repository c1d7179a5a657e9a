/**
 * The GPU seam of the event-id counter: WGSL `atomicAdd` on a u32 storage counter, one id per
 * invocation, `id = atomicAdd(&counter, 1) + 1` (the `++counter` of the source, on a 32-bit id).
 * The counter's start value is settable so the wrap through 2^32 − 1 → 0 (the invalid-event
 * sentinel) can be reached. The ids go to src/mps/events/idCheck.ts's checkIds (width 32).
 */
import { InputRangeError } from '../errors.ts';
import { GRID_BUILTINS, dispatch, invocationGrid, linearInvocation, maxPerDim } from './dispatch.ts';
import { bindGroup, getPipeline, readBack, release, storageEmpty, storageFrom, submitGuarded, uniformFrom } from './runtime.ts';
import type { GpuContext } from './types.ts';

const WG = 256;

export function eventIdsWgsl(): string {
  return /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> counter: atomic<u32>;
@group(0) @binding(2) var<storage, read_write> ids: array<u32>;

@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${linearInvocation(WG)}
  if (gi >= u.count) { return; }
  ids[gi] = atomicAdd(&counter, 1u) + 1u;
}`;
}

export interface EventIdsResult {
  /** The id each invocation received, by invocation index. */
  readonly ids: Uint32Array;
  /** The counter after the dispatch (start + count, wrapped). */
  readonly finalCounter: number;
}

/** Acquires `count` ids on the GPU from a counter starting at `start` (u32). */
export async function generateEventIds(ctx: GpuContext, count: number, start = 0): Promise<EventIdsResult> {
  if (!Number.isSafeInteger(count) || count < 1 || count > 2 ** 28) throw new InputRangeError('count', 'an integer in [1, 2^28]', count);
  if (!Number.isSafeInteger(start) || start < 0 || start > 0xffffffff) throw new InputRangeError('start', 'an integer in [0, 2^32 - 1]', start);
  const where = { op: 'eventIds', caseIndex: null };
  const pipeline = await getPipeline(ctx, 'eventIds', eventIdsWgsl, where);
  const bufs = [uniformFrom(ctx, new Uint32Array([count, 0, 0, 0]), 'eventIds params'), storageFrom(ctx, new Uint32Array([start]), 'counter'), storageEmpty(ctx, count * 4, 'ids')];
  try {
    const group = bindGroup(ctx, pipeline, bufs, 'eventIds');
    await submitGuarded(ctx, where, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      dispatch(pass, invocationGrid(count, WG, maxPerDim(ctx)));
      pass.end();
    });
    const ids = new Uint32Array(await readBack(ctx, where, bufs[2] as GPUBuffer, count * 4));
    const finalCounter = new Uint32Array(await readBack(ctx, where, bufs[1] as GPUBuffer, 4))[0] ?? 0;
    return { ids, finalCounter };
  } finally {
    release(...bufs);
  }
}
