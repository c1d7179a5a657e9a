import { describe, expect, it } from 'vitest';
import { runMain } from './inProcess.ts';

describe('refsim align / alloc / --help', () => {
  it('prints the rounded size', async () => {
    const r = await runMain(['align', '100', '16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/result: 112 /);
  });

  it('prints the exact failure and exits 1', async () => {
    const r = await runMain(['align', 'SIZE_MAX', '16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/AlignmentOverflowError/);
    const z = await runMain(['align', '5', '0', '--bits', '32']);
    expect(z.stdout).toMatch(/SIZE_MAX - Alignment \+ 1 += 0/);
  });

  it('shows the upstream wrap', async () => {
    const r = await runMain(['align', '2^64-1', '16', '--variant', 'upstream', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: '0', sumWrapped: true, overflowLimit: null });
  });

  it('rejects a malformed operand with one clear line and exit 2', async () => {
    const r = await runMain(['align', '12.5', '16']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^refsim: size must be an unsigned integer literal/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('sizes an allocation', async () => {
    const r = await runMain(['alloc', '5000000', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pool: 'private-large', allocationSize: '5013504', heapSize: String(32 * 2 ** 20) });
  });

  it('has --help and --version', async () => {
    const h = await runMain(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/align/);
    expect((await runMain(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
