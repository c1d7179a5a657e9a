/**
 * `refsim diff` and `refsim repro` end to end: the command line through main(argv) in this process
 * (the same code the executable runs, without a process start per run), the real GPU through the
 * isolated child, and `refsim diff | head` through the real executable and a real pipe. The
 * broken-kernel test is the acceptance test of issue 6: a deliberately wrong GPU path
 * (REFSIM_TEST_BREAK_KERNEL) is caught, shrunk, saved as a fixture and reproduced by `refsim repro`,
 * which stops reproducing once the kernel is right again.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { IsolatedGpu } from '../../src/gpu/isolate.ts';
import { NoAdapterError } from '../../src/gpu/errors.ts';
import { runMain } from './inProcess.ts';

const required = process.env['REFSIM_REQUIRE_GPU'] === '1';
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*:\d+:\d+/);

let haveGpu = false;
beforeAll(async () => {
  try {
    await (await IsolatedGpu.open()).close();
    haveGpu = true;
  } catch (e) {
    if (!(e instanceof NoAdapterError) || required) throw e;
    process.stderr.write(`\n[SKIP] refsim diff/repro CLI tests: ${e.message}\n`);
  }
});

describe('refsim diff / repro: argument errors (no GPU needed)', () => {
  it.each([
    [['diff', '--shard', '3/2'], /--shard must be i\/n with 1 ≤ i ≤ n/],
    [['diff', '--op', 'softmax'], /--op must be one of depthwiseConv2d, .*; got "softmax"/],
    [['diff', '--cases', '0'], /--cases must be an integer in \[1, /],
    [['diff', '--batch', 'x'], /--batch must be an integer/],
  ])('%j → one line, exit 2', async (args, re) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
  });

  it('a corrupted fixture is a schema error, never a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refsim-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'refsim-mismatch/1', op: 'relu', inputs: { x: { shape: [2], bits: ['3f800000'] } } }));
    const r = await runMain(['repro', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^refsim: fixture .*bad\.json does not match the refsim-mismatch\/1 schema: /);
    noStack(r.stderr);
    const missing = await runMain(['repro', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read fixture .*ENOENT/);
  });
});

describe('refsim diff / repro on the GPU', () => {
  it('checks relu: report with adapter, profile, ULP buckets; --json and --html files', async (ctx) => {
    if (!haveGpu) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'refsim-cli-'));
    const r = await runMain(['diff', '--op', 'relu', '--cases', '120', '--seed', '11', '--special', '--fixtures-dir', dir, '--json', join(dir, 'r.json'), '--html', join(dir, 'r.html')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^adapter: .* · (vulkan|metal|d3d12|opengles) · /m);
    expect(r.stdout).toMatch(/^profile: (strict|fma) \(auto: probe found a\*b\+c /m);
    expect(r.stdout).toMatch(/ulp 0 +ulp 1 +ulp 2 +ulp 3-4 +ulp 5-16 +ulp 17-256 +ulp >256 +NaN\/±0 +unbounded +violations/);
    expect(r.stdout).toMatch(/^relu +120 /m);
    expect(r.stdout).toMatch(/OK: no violations/);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json).toMatchObject({ ok: true, seed: 11, cases: 120, shard: '1/1', specialValues: true, ops: [{ op: 'relu', cases: 120, violations: 0 }] });
    expect(json.ops[0].exact).toBe(json.ops[0].elements);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(readdirSync(dir).sort()).toEqual(['r.html', 'r.json']);
  });

  it('--shard i/n runs its share of the campaign (disjointness: test/diff/run.test.ts)', async (ctx) => {
    if (!haveGpu) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'refsim-cli-'));
    const r = await runMain(['diff', '--op', 'relu', '--cases', '91', '--seed', '3', '--shard', '2/3', '--quiet', '--json', join(dir, 's.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/seed 3 · 91 cases per op · shard 2\/3 · /);
    // Shard 2 of 3 of 91 cases: run indices [30, 60).
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'))).toMatchObject({ shard: '2/3', cases: 91, ops: [{ op: 'relu', cases: 30 }] });
  });

  it('a broken kernel is caught, shrunk, saved and reproduced by refsim repro', async (ctx) => {
    if (!haveGpu) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'refsim-cli-'));
    const env = { REFSIM_TEST_BREAK_KERNEL: 'relu' };
    const r = await runMain(['diff', '--op', 'relu', '--cases', '100', '--seed', '21', '--quiet', '--fixtures-dir', dir], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^relu: worst \d+ ULP at case \d+ \[[^\]]+\]: gpu /m);
    expect(r.stdout).toMatch(/FAILED: \d+ violations/);
    const m = /shrunk to seed 21 path ([\d:]+): (\S+\.json)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const fixture = m![2]!;
    expect(fixture.startsWith(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([fixture.slice(dir.length + 1)]);
    expect(fixture).toMatch(/mismatch-relu-[0-9a-f]{12}\.json$/);
    expect(JSON.parse(readFileSync(fixture, 'utf8'))).toMatchObject({ op: 'relu', profile: expect.any(String), generator: { seed: 21, path: m![1] } });

    const still = await runMain(['repro', fixture], env);
    expect(still.code).toBe(1);
    expect(still.stdout).toMatch(/#0 output\[[^\]]+\] \(index \d+\): VIOLATION \(bound\)/);
    expect(still.stdout).toMatch(/gpu {8}\S+ \(0x[0-9a-f]{8}\)\n {5}reference {2}\S+ \(0x[0-9a-f]{8}\)/);
    expect(still.stdout).toMatch(/ULP distance 1048576; \|gpu − reference\| \S+ > bound 0/);
    expect(still.stdout).toMatch(/receptive field: 1 input element\n {7}x\[[^\]]+\] = \S+ \(0x[0-9a-f]{8}\)/);
    expect(still.stdout).toMatch(/MISMATCH REPRODUCES/);

    const fixed = await runMain(['repro', fixture]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/0 violations\n(.|\n)*mismatch does not reproduce/);
  });

  it('`refsim diff | head -3` stops quietly when the reader goes away', (ctx) => {
    if (!haveGpu) return ctx.skip();
    const bin = fileURLToPath(new URL('../../bin/refsim.js', import.meta.url));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" diff --op relu --cases 20 --seed 1 | head -c 10; echo; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^adapter: /);
    expect(r.stderr).toMatch(/status=0/);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    // No violation, so nothing was written to the default fixtures directory.
    expect(existsSync('fixtures') ? readdirSync('fixtures').filter((n) => n.startsWith('mismatch-')) : []).toEqual([]);
  });
});
