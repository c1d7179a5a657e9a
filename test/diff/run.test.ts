import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakOutput, withBrokenKernel } from '../../src/diff/gpuRunner.ts';
import { brokenKernelFromEnv } from '../../src/testHooks.ts';
import { fixtureCase, readFixture } from '../../src/diff/fixture.ts';
import { formatRepro, reproduce } from '../../src/diff/repro.ts';
import { generateCases, runOpDiff, shardRange, type DiffRunOptions } from '../../src/diff/run.ts';
import { EXACT_ACCURACY, type OpCase } from '../../src/ops/types.ts';
import { numel } from '../../src/reference/tensor.ts';
import { fcParams } from '../support/seed.ts';
import { addUlps, fakeGpu, fakeLinear, fakeRelu } from './fakes.ts';

const base: DiffRunOptions = {
  cases: 60, seed: 1234, shard: { index: 1, count: 1 }, batch: 16, profile: 'strict', accuracy: EXACT_ACCURACY,
  gen: { maxElements: 24, specialValues: false }, fixturesDir: null,
};

const caseSize = (c: OpCase) => Object.values(c.inputs).reduce((a, t) => a + (t === null ? 0 : numel(t.shape)), 0);

describe('case generation and shards', () => {
  it('case k is the value fc.check tests at path k', async () => {
    const arb = fakeLinear.arbitrary(base.gen);
    const all = generateCases(arb, 99, 0, 30);
    for (const k of [0, 7, 29]) {
      let seen: OpCase | null = null;
      await fc.check(fc.property(arb, (c) => { seen = c; return false; }), { seed: 99, path: String(k), numRuns: 1, endOnFailure: true });
      expect(seen).toEqual(all[k]);
    }
    expect(generateCases(arb, 99, 12, 5)).toEqual(all.slice(12, 17));
  });

  it('shards are disjoint and cover the campaign', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 16 }), (cases, count) => {
        let next = 0;
        for (let i = 1; i <= count; i++) {
          const r = shardRange(cases, { index: i, count });
          expect(r.start).toBe(next);
          expect(r.end).toBeGreaterThanOrEqual(r.start);
          next = r.end;
        }
        expect(next).toBe(cases);
      }),
      fcParams(100),
    );
  });

  it('a sharded campaign sees exactly the cases of the whole one', async () => {
    const seen: string[] = [];
    const gpu = fakeGpu({ linear: fakeLinear }, (_o, c) => { seen.push(JSON.stringify(c, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v))); });
    const whole = await runOpDiff(fakeLinear, gpu, base);
    const wholeSeen = seen.splice(0);
    let total = 0;
    for (let i = 1; i <= 3; i++) total += (await runOpDiff(fakeLinear, gpu, { ...base, shard: { index: i, count: 3 } })).cases;
    expect(total).toBe(whole.cases);
    expect(seen).toEqual(wholeSeen);
  });
});

describe('runOpDiff', () => {
  it('a GPU that agrees: every element exact, cases submitted in batches', async () => {
    const gpu = fakeGpu({ linear: fakeLinear });
    const s = await runOpDiff(fakeLinear, gpu, base);
    expect(s).toMatchObject({ cases: 60, violations: 0, within: 0, worst: null, shrunk: null });
    expect(s.exact).toBe(s.elements);
    expect(s.elements).toBeGreaterThan(60);
    expect(gpu.submits).toEqual([16, 16, 16, 12]);
  });

  it('small errors inside the bound are counted, with the ULP histogram and the worst element', async () => {
    // 1 ULP on element 0 of every case, 3 ULP on element 1 when present: inside (k+1)·2^-24·Σ|x·w| unless the sum is tiny.
    const gpu = fakeGpu({ linear: fakeLinear }, (o) => { if (o.data[0] !== 0) addUlps(o, 0, 1); });
    const s = await runOpDiff(fakeLinear, gpu, { ...base, fixturesDir: null, shrink: false });
    expect(s.within + s.violations).toBeGreaterThan(0);
    expect(s.histogram[1]).toBe(s.within + s.violations);
    expect(s.worst).toMatchObject({ ulp: 1, index: 0 });
    expect(s.exact + s.within + s.violations).toBe(s.elements);
  });

  it('a broken kernel is caught, shrunk to a minimal case, saved, and reproduced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refsim-run-'));
    const gpu = withBrokenKernel(fakeGpu({ linear: fakeLinear, relu: fakeRelu }), 'relu');
    const ok = await runOpDiff(fakeLinear, gpu, { ...base, fixturesDir: dir });
    expect(ok.violations).toBe(0);
    const s = await runOpDiff(fakeRelu, gpu, { ...base, fixturesDir: dir });
    expect(s.violations).toBeGreaterThan(0);
    expect(s.firstViolationIndex).not.toBeNull();
    const shrunk = s.shrunk!;
    expect(shrunk.reproducedAlone).toBe(true);
    expect(shrunk.path.startsWith(`${s.firstViolationIndex}:`) || shrunk.path === String(s.firstViolationIndex)).toBe(true);
    // Minimal: one element, the smallest positive value that the break still flips.
    const x = shrunk.case.inputs['x']!;
    expect(x.shape).toEqual([1, 1, 1, 1]);
    expect(x.data[0]).toBeGreaterThan(0);
    expect(shrunk.verdict.violations).toBe(1);
    const f = readFixture(shrunk.fixture!);
    expect(f).toMatchObject({ op: 'relu', backend: 'vulkan', profile: 'strict', generator: { seed: 1234, path: shrunk.path } });
    expect(fixtureCase(f)).toEqual(shrunk.case);
    const again = await reproduce(f, fakeRelu, gpu);
    expect(again.reproduces).toBe(true);
    const text = formatRepro(fakeRelu, again, { file: shrunk.fixture! });
    expect(text).toMatch(/output\[n=0 c=0 h=0 w=0\] \(index 0\): VIOLATION \(bound\)/);
    expect(text).toMatch(/receptive field: 1 input element\n {7}x\[n=0 c=0 h=0 w=0\] = /);
    expect(text).toMatch(/ULP distance 1048576/);
    expect(text).toMatch(/MISMATCH REPRODUCES/);
    // The fixed GPU no longer reproduces it.
    const fixed = await reproduce(f, fakeRelu, fakeGpu({ relu: fakeRelu }));
    expect(fixed.reproduces).toBe(false);
    expect(formatRepro(fakeRelu, fixed, { file: 'f.json' })).toMatch(/does not reproduce/);
  });

  it('a failure that only shows in batches is saved unshrunk and flagged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refsim-run-'));
    const gpu = fakeGpu({ linear: fakeLinear }, (o, _c, j, n) => { if (n > 1 && j === 3) addUlps(o, 0, 1000); });
    const s = await runOpDiff(fakeLinear, gpu, { ...base, fixturesDir: dir });
    expect(s.firstViolationIndex).toBe(3);
    expect(s.shrunk).toMatchObject({ reproducedAlone: false, path: '3' });
    expect(caseSize(s.shrunk!.case)).toBeGreaterThan(0);
  });
});

describe('REFSIM_TEST_BREAK_KERNEL', () => {
  it('names one op; anything else is a clear error', () => {
    expect(brokenKernelFromEnv({})).toBeNull();
    expect(brokenKernelFromEnv({ REFSIM_TEST_BREAK_KERNEL: 'relu' })).toBe('relu');
    expect(() => brokenKernelFromEnv({ REFSIM_TEST_BREAK_KERNEL: 'conv' })).toThrow(/REFSIM_TEST_BREAK_KERNEL must be one of depthwiseConv2d, .*; got "conv"/);
  });

  it('flips mantissa bit 20 of finite non-zero elements at even indices only', () => {
    const out = breakOutput({ shape: [6], data: Float32Array.from([1, 1, 0, 1, Infinity, 2]) });
    expect(Array.from(out.data)).toEqual([1.125, 1, 0, 1, Infinity, 2]);
  });
});
