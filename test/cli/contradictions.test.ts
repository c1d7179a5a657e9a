/**
 * Reports that contradicted themselves: counter printed "ok" beside repeated ids, the diff table's
 * exact and ulp 0 columns disagreed on NaN pairs, and a GPU crash report carried Dawn's start-up
 * warnings instead of the crash's own lines.
 */
import { describe, expect, it } from 'vitest';
import { formatDiffText, diffReportJson } from '../../src/diff/report.ts';
import { runOpDiff } from '../../src/diff/run.ts';
import { filterNativeNoise } from '../../src/gpu/nativeNoise.ts';
import { EXACT_ACCURACY } from '../../src/ops/types.ts';
import { opSpecs } from '../../src/ops/registry.ts';
import { fakeAdapter, fakeGpu } from '../diff/fakes.ts';
import { openGpuWithEnv } from '../support/gpu.ts';
import { NoAdapterError } from '../../src/gpu/errors.ts';
import { runMain } from './inProcess.ts';

describe('refsim counter never says ok beside repeats', () => {
  it('ids repeated from before --start: verdict FAIL naming them, JSON ok false, exit 1', async () => {
    const args = ['counter', '--width', '32', '--start', '4294967296', '--workers', '2', '--ids-per-worker', '4'];
    const r = await runMain(args);
    expect(r.stdout).toMatch(/REPEATS: 8 id\(s\) per trial/);
    expect(r.stdout).not.toMatch(/verdict: ok/);
    expect(r.stdout).toMatch(/verdict: FAIL \(ids repeat ones handed out before --start\)/);
    expect(r.code).toBe(1);
    const j = await runMain([...args, '--json']);
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout) as { ok: boolean; runs: Array<{ ok: boolean; reissued: number; problems: string[] }> };
    expect(out.ok).toBe(false);
    expect(out.runs[0]).toMatchObject({ ok: false, reissued: 8, problems: ['ids repeat ones handed out before --start'] });
  });

  it('a clean run still says ok (exit 0)', async () => {
    const r = await runMain(['counter', '--workers', '2', '--ids-per-worker', '100']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: ok \(every id unique, none repeated from before --start, no sentinel\)/);
  });
});

describe('refsim diff --special: NaN rows read consistently', () => {
  it('exact = ulp 0 = identical bits; NaN pairs with other bits have their own column and no ULP figure', async () => {
    // The fake GPU returns every NaN with its sign bit flipped: equal as NaN, different bits.
    const relu = opSpecs.relu;
    const gpu = fakeGpu({ relu }, (out) => {
      const u = new Uint32Array(out.data.buffer, out.data.byteOffset, out.data.length);
      out.data.forEach((v, i) => { if (Number.isNaN(v)) u[i] = (u[i]! ^ 0x80000000) >>> 0; });
    });
    const s = await runOpDiff(relu, gpu, {
      cases: 80, seed: 3, shard: { index: 1, count: 1 }, batch: 16, profile: 'strict', accuracy: EXACT_ACCURACY,
      gen: { maxElements: 32, specialValues: true }, fixturesDir: null,
    });
    expect(s.sameValue).toBeGreaterThan(0);
    expect(s.violations).toBe(0);
    expect(s.histogram[0]).toBe(s.exact);
    expect(s.exact + s.sameValue + s.histogram.slice(1).reduce((a, b) => a + b, 0)).toBe(s.elements);
    const report = {
      adapter: fakeAdapter, backend: 'vulkan', profile: 'strict' as const, profileSource: 'test', accuracy: EXACT_ACCURACY,
      seed: 3, cases: 80, shard: { index: 1, count: 1 }, batch: 16, gen: { maxElements: 32, specialValues: true }, ops: [s], seconds: 1,
    };
    const text = formatDiffText(report);
    const row = text.split('\n').find((l) => l.startsWith('relu '))!.trim().split(/\s+/);
    // op cases elements exact% ulp0 ulp1 ulp2 ulp3-4 ulp5-16 ulp17-256 ulp>256 NaN/±0 violations cases/s
    expect(row[4]).toBe(String(s.exact));
    expect(row[11]).toBe(String(s.sameValue));
    expect(row[3]).toBe(`${((100 * s.exact) / s.elements).toFixed(2)}%`);
    expect(text).toMatch(/^relu: worst NaN vs NaN, other bits at case \d+ \S+: gpu NaN \(0x[0-9a-f]{8}\) vs ref NaN \(0x[0-9a-f]{8}\)$/m);
    expect(text).not.toMatch(/0 ULP at .* NaN/);
    const json = diffReportJson(report) as { ops: Array<{ sameValueOtherBits: number; worst: { ulp: number | null }; ulpHistogram: Record<string, number>; exact: number }> };
    expect(json.ops[0]).toMatchObject({ sameValueOtherBits: s.sameValue, worst: { ulp: null } });
    expect(json.ops[0]!.ulpHistogram['0']).toBe(json.ops[0]!.exact);
  });
});

describe('GPU process stderr: Dawn start-up warnings and native frames are dropped from reports', () => {
  it('filters the noise and keeps the message', () => {
    const raw = [
      'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.',
      'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.',
      'FATAL ERROR: vkQueueSubmit failed',
      '----- Native stack trace -----',
      ' 1: 0xb78db3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]',
      '#3 0x00007f12 in dawn::native::vulkan::Queue::Submit',
      '',
    ].join('\n');
    expect(filterNativeNoise(raw)).toBe('FATAL ERROR: vkQueueSubmit failed');
  });

  it('a crash report from the isolated GPU carries no "artificially reduced" warning (GPU)', async (ctx) => {
    let gpu;
    try {
      gpu = await openGpuWithEnv({ REFSIM_TEST_CRASH_MARKER: '7' });
    } catch (e) {
      if (e instanceof NoAdapterError && process.env['REFSIM_REQUIRE_GPU'] !== '1') return ctx.skip(e.message);
      throw e;
    }
    try {
      const err = await gpu.runBatch('relu', [{ op: 'relu', params: {}, inputs: { x: { shape: [1], data: Float32Array.from([7]) } } }]).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/GPU worker process crashed during relu case 0: signal SIGSEGV/);
      expect((err as Error).message).not.toMatch(/artificially reduced/);
    } finally {
      await gpu.close();
    }
  });
});
