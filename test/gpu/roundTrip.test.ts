/**
 * A batch's one GPU round trip (src/gpu/runtime.ts submitAndRead: dispatches and the copy to the
 * CPU in one submission, the error scopes answered while the map is pending) keeps what the
 * former five waits gave: the bits read back, a typed error for each failure, balanced error
 * scopes. Runs in a process of its own (test/gpu/fixtures/roundTrip.ts) because it destroys its
 * device and lowers the GPU timeout.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeGpu } from '../support/gpu.ts';

const script = fileURLToPath(new URL('./fixtures/roundTrip.ts', import.meta.url));

describeGpu('gpu one-round-trip submission', () => {
  it('reads back exact bits and reports validation errors, timeouts and a lost device typed, with the scopes balanced', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, { ok: boolean; value?: unknown; name?: string; kind?: string; message?: string }>;
    const bits = (xs: number[]) => xs.map((x) => new Uint32Array(new Float32Array([x]).buffer)[0]);
    expect(out['reads back']).toEqual({ ok: true, value: [...bits([1.5, -0, 3]), 0x7fc00000] });
    expect(out['validation']).toMatchObject({ ok: false, name: 'GpuValidationError', kind: 'validation' });
    expect(out['validation']?.message).toMatch(/roundTrip case 0: No pipeline set/);
    expect(out['exception while recording']).toMatchObject({ ok: false, name: 'RangeError', message: 'recording failed' });
    expect(out['scope stack empty']).toMatchObject({ ok: false, message: expect.stringMatching(/no error scopes/i) });
    expect(out['reads back after']).toEqual({ ok: true, value: bits([1.5, -0]) });
    expect(out['copy out of range']).toMatchObject({ ok: false, name: 'GpuValidationError', kind: 'validation' });
    expect(out['timeout']).toMatchObject({ ok: false, name: 'GpuTimeoutError' });
    expect(out['device lost']).toMatchObject({ ok: false, name: 'GpuDeviceLostError' });
  });
});
