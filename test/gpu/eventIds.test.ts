import { expect, it } from 'vitest';
import type { EventIdsResult } from '../../src/gpu/eventIds.ts';
import { checkIds } from '../../src/mps/events/idCheck.ts';
import { describeGpu } from '../support/gpu.ts';

/** Each invocation is its own "thread" holding one id (invocation order is not acquisition order). */
const perInvocation = (ids: Uint32Array): Uint32Array[] => Array.from({ length: ids.length }, (_, i) => ids.subarray(i, i + 1));

describeGpu('gpu event-id generator (atomicAdd)', (gpu) => {
  it('hands out unique contiguous ids start+1 … start+N, one per invocation', async () => {
    const count = 200_000;
    const start = 41;
    const r = await gpu().job<EventIdsResult>('eventIds', { count, start });
    expect(r.ids.length).toBe(count);
    const report = checkIds(perInvocation(r.ids), { start: BigInt(start), width: 32 });
    expect(report, JSON.stringify(report, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toMatchObject({ ok: true, duplicates: 0, missing: 0, unexpected: 0, total: count });
    expect(report.min).toBe(BigInt(start + 1));
    expect(report.max).toBe(BigInt(start + count));
    expect(r.finalCounter).toBe(start + count);
  });

  it('wraps the 32-bit id through the sentinel 0 when started near 2^32', async () => {
    const count = 5000;
    const start = 2 ** 32 - 1000;
    const r = await gpu().job<EventIdsResult>('eventIds', { count, start });
    const report = checkIds(perInvocation(r.ids), { start: BigInt(start), width: 32 });
    expect(report.wraps).toBe(true);
    expect(report.duplicates).toBe(0);
    expect(report.missing).toBe(0);
    expect(report.unexpected).toBe(0);
    expect(report.sentinelHits).toBe(1); // counter value 2^32 → id 0, the invalid-event sentinel
    expect(r.finalCounter).toBe((start + count) % 2 ** 32);
  });

  it('rejects a start outside u32 with a typed error naming it', async () => {
    await expect(gpu().job('eventIds', { count: 10, start: 2 ** 32 })).rejects.toThrow(/start must be an integer in \[0, 2\^32 - 1\]/);
  });
});
