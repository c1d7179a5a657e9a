import { describe, expect, it } from 'vitest';
import { runMain } from './inProcess.ts';

describe('refsim pool', () => {
  it('replays the upstream sequence: LIFO reuse keeps the id, id 0 and a colliding id after 2^32, failed release; exit 1', async () => {
    const r = await runMain(['pool', '--variant', 'upstream']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/variant=upstream {2}ids 32-bit/);
    expect(r.stdout).toMatch(/c = acquireEvent\(false\)\n {4}→ id 2: reused event #2 from the pool \(old id kept\)/);
    expect(r.stdout).toMatch(/→ id 0 \(the invalid-event sentinel\): created event #3/);
    expect(r.stdout).toMatch(/→ id 1: created event #4; emplace kept in-use\[1\] = #1; #4 went back to the pool/);
    expect(r.stdout).toMatch(/releaseEvent\(a = 1\)\n {4}→ TORCH_CHECK failed: Invalid Event ID: 1 /);
    expect(r.stdout).toMatch(/summary: 1 sentinel id\(s\) handed out, 1 id\(s\) returned that named another caller's event, 1 release\(s\) failed/);
  });

  it('prints JSON with the counter at 2^64 - 1 before the wrap for the seed variant', async () => {
    const r = await runMain(['pool', '--json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as { variant: string; width: number; steps: Array<{ action: string; counter: string }> };
    expect(s).toMatchObject({ variant: 'seed', width: 64 });
    expect(s.steps.find((st) => st.action.startsWith('[model]'))?.counter).toBe(String(2n ** 64n - 1n));
  });

  it('rejects an unknown variant (exit 2)', async () => {
    expect((await runMain(['pool', '--variant', 'atomic'])).code).not.toBe(0);
  });
});
