import { describe, expect, it } from 'vitest';
import { runMain } from './inProcess.ts';

describe('refsim counter', () => {
  it('makes the sentinel collision at the 2^64 wrap explicit and exits 1', async () => {
    const r = await runMain(['counter', '--start', '18446744073709551613', '--workers', '2', '--ids-per-worker', '4']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expected ids 18446744073709551614 … 5 \(wraps past 2\^64 − 1 to 0\)/);
    expect(r.stdout).toMatch(/SENTINEL COLLISION: id 0 .* handed out in 1\/1 trial\(s\); the model predicts it at acquisition #3 of 8/);
    expect(r.stdout).toMatch(/REPEATS: 5 id\(s\) .* the model's first repeat is acquisition #4 \(id 1, /);
    expect(r.stdout).toMatch(/verdict: FAIL/);
    const ids = [...r.stdout.matchAll(/got ids: (.*)/g)].flatMap((m) => m[1]!.split(', '));
    expect(ids.sort()).toEqual(['0', '1', '18446744073709551614', '18446744073709551615', '2', '3', '4', '5']);
  });

  it('passes a clean atomic run (exit 0) and reports JSON per variant', async () => {
    const r = await runMain(['counter', '--workers', '2', '--ids-per-worker', '20000', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; runs: Array<Record<string, unknown>> };
    expect(out.ok).toBe(true);
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]).toMatchObject({ variant: 'seed', width: 64, total: 40000, duplicates: 0, missing: 0, sentinelHits: 0, min: '1', max: '40000' });
  });

  it('shows 32-bit ids reaching 0 after 2^32 events (upstream) next to the 64-bit seed variant', async () => {
    // One worker: the upstream increment is a plain load and store, so two racing workers could
    // (rarely, under load) duplicate an id and change the counts this test pins.
    const r = await runMain(['counter', '--variant', 'both', '--start', '2^32-3', '--workers', '1', '--ids-per-worker', '8', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { runs: Array<Record<string, unknown>> };
    expect(out.runs.map((x) => [x['variant'], x['width'], x['sentinelHits'], x['reissued'], x['max']])).toEqual([
      ['seed', 64, 0, 0, '4294967301'],
      ['upstream', 32, 1, 5, '4294967295'],
    ]);
  });

  it('rejects bad input with one line and exit 2', async () => {
    for (const args of [['--workers', '0'], ['--ids-per-worker', 'many'], ['--start', '2^64'], ['--trials', '-1']]) {
      const r = await runMain(['counter', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
