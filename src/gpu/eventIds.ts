/**
 * The GPU seam of the event-id counter: WGSL `atomicAdd` on a u32 storage counter, one id per
 * invocation, `id = atomicAdd(&counter, 1) + 1` (the `++counter` of the source, on a 32-bit id).
 * The counter's start value is settable so the wrap through 2^32 − 1 → 0 (the invalid-event
 * sentinel) can be reached. The ids go to src/mps/events/idCheck.ts's checkIds (width 32).
 */
import { InputRangeError } from '../errors.ts';
import { elementMain, plainBindings } from './entry.ts';
import { runPlainKernel } from './plainKernel.ts';
import { uniformRecord } from './record.ts';
import type { GpuContext } from './types.ts';

const WG = 256;

const EVENT_IDS_PARAMS = uniformRecord('eventIds params', { count: 'u32' });

export function eventIdsWgsl(): string {
  return /* wgsl */ `
${plainBindings(EVENT_IDS_PARAMS, [['counter', 'atomic<u32>', 'read_write'], ['ids', 'array<u32>']])}

${elementMain(WG, 'u.count')}
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
  const kernel = {
    where, key: 'eventIds', wgsl: eventIdsWgsl, params: Uint32Array.from(EVENT_IDS_PARAMS.pack({ count })),
    buffers: [new Uint32Array([start]), count * 4], invocations: count, workgroupSize: WG,
  };
  const [ids, counter] = await runPlainKernel(ctx, kernel, [[1, count * 4], [0, 4]]);
  return { ids: new Uint32Array(ids!), finalCounter: new Uint32Array(counter!)[0] ?? 0 };
}
