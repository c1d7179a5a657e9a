import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from './inProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-stress-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('refsim stress (CLI, fake engine)', () => {
  it("prints the seed's line, per-thread detail and the id check; exit 0", async () => {
    const r = await runMain(['stress', '--engine', 'fake', '--threads', '2', '--ops', '6', '--shape', '1x4x6x6', '--seed', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^DepthwiseConv\+GroupNorm: 6\/6 in \d+\.\d\ds, errors=0$/);
    expect(r.stdout).toMatch(/mode=separate threads=2 shape=1x4x6x6 batch=1 depth=2 seed=5 /);
    expect(r.stdout).toMatch(/^ {2}0 +3\/3 +0 +[\d.]+ +\d+\/0\/0 +done$/m);
    expect(r.stdout).toMatch(/^ {2}1 +3\/3 +0 +[\d.]+ +\d+\/0\/0 +done$/m);
    expect(r.stdout).toMatch(/event ids: 6 taken, 6 unique, range 1\.\.6: PASS/);
    expect(r.stdout).toMatch(/stress test: PASS\n$/);
  });

  it('exits 1 and names the failing thread and op when a worker returns a wrong result (--json)', async () => {
    const r = await runMain(['stress', '--engine', 'fake', '--threads', '2', '--ops', '4', '--shape', '1x4x6x6', '--mode', 'shared', '--seed', '5', '--json', '--fixtures', dir], { REFSIM_STRESS_FAULT: 'wrong:1:0' });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { ok: boolean; errors: number; passed: number; failures: { thread: number; op: number; kind: string; fixture: string }[] };
    expect(j).toMatchObject({ ok: false, errors: 1, passed: 3 });
    expect(j.failures).toHaveLength(1);
    expect(j.failures[0]).toMatchObject({ thread: 1, op: 0, kind: 'wrong' });
    expect(j.failures[0]!.fixture).toMatch(/mismatch-depthwiseSeparableBlock-[0-9a-f]+\.json$/);
  });

  it('rejects bad input with one line and exit 2', async () => {
    for (const [args, msg] of [
      [['--shape', '16x16'], /--shape must be NxCxHxW/],
      [['--threads', '0'], /--threads must be an integer in \[1, 64\]/],
      [['--timeout-ms', 'soon'], /--timeout-ms must be an integer/],
    ] as const) {
      const r = await runMain(['stress', '--engine', 'fake', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
    // No adapter for the backend: the environment (exit 3), one line naming it (the workers' startup failures collapse into it).
    for (const mode of ['separate', 'shared']) {
      const n = await runMain(['stress', '--backend', process.platform === 'win32' ? 'metal' : 'd3d12', '--profile', 'strict', '--threads', '2', '--mode', mode]);
      expect(n.code).toBe(3);
      expect(n.stderr).toMatch(/^refsim: no WebGPU adapter for backend (d3d12|metal)/);
      expect(n.stderr.trim().split('\n')).toHaveLength(1);
    }
    const f = await runMain(['stress', '--engine', 'fake'], { REFSIM_STRESS_FAULT: 'boom' });
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/^refsim: REFSIM_STRESS_FAULT must be/);
  });
});
