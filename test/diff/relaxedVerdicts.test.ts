/**
 * Verdicts that stay true under relaxed math, without Metal: the probe runs on a simulated backend
 * (test/support/perturbed.ts), its findings pick the bound family, and a simulated GPU computes the
 * ops reassociated (interleaved partial sums), with NaN turned to zero, or −0 turned to +0.
 */
import { describe, expect, it } from 'vitest';
import { judgementFromProbe } from '../../src/diff/gpu.ts';
import type { DiffGpu } from '../../src/diff/gpuRunner.ts';
import { relaxedCause, relaxedSummary, type RelaxedSummary } from '../../src/diff/relaxed.ts';
import { diffReportJson, type DiffReport, formatDiffText } from '../../src/diff/report.ts';
import { checkOne, type DiffRunOptions, type OpDiffSummary, runOpDiff } from '../../src/diff/run.ts';
import { runProbeOn } from '../../src/gpu/probe.ts';
import { opSpecs } from '../../src/ops/registry.ts';
import { EXACT_ACCURACY, type OpCase, type OpName } from '../../src/ops/types.ts';
import { fakeAdapter } from './fakes.ts';
import { LooseBackend, looseEval, type RelaxedMode, SimulatedProbeDevice } from '../support/perturbed.ts';
import { pinnedSeed } from '../support/seed.ts';

const probeOf = (mode: RelaxedMode) => runProbeOn(new SimulatedProbeDevice(mode), { samples: 1024, seed: 3 });

/** A GPU that evaluates each case with `lanes` interleaved partial sums per dot product. */
function reassociatingGpu(lanes: number): DiffGpu {
  const be = new LooseBackend(EXACT_ACCURACY, 'away', 'strict', 1, lanes);
  return {
    adapter: fakeAdapter,
    backend: 'metal',
    run: async (op, cases) => cases.map((c) => ({ shape: opSpecs[op].outputShape(c), data: looseEval(c, be) })),
    close() {},
  };
}

/** A GPU that computes the reference, then rewrites each output element with `map`. */
function mappingGpu(map: (v: number) => number): DiffGpu {
  return {
    adapter: fakeAdapter,
    backend: 'metal',
    run: async (op, cases) => cases.map((c) => {
      const out = opSpecs[op].reference(c, 'strict');
      return { shape: out.shape, data: out.data.map(map) };
    }),
    close() {},
  };
}

/**
 * linear(x, w) with products [+1, −1] × 64 then 24 × 2^-19: in the documented order the pairs
 * cancel exactly and the small terms add up to 3·2^-16 exactly; with two interleaved partial sums
 * the small terms fall below half an ULP of ±64 and are lost: 0 instead of 4.6e-5, more than the
 * documented order's bound (about 2.3e-5 here), well inside the any-order one.
 */
const cancelling: OpCase = (() => {
  const terms = [...Array.from({ length: 128 }, (_, i) => (i % 2 === 0 ? 1 : -1)), ...Array.from({ length: 24 }, () => 2 ** -19)];
  return {
    op: 'linear',
    params: {},
    inputs: { x: { shape: [1, terms.length], data: Float32Array.from(terms) }, weight: { shape: [1, terms.length], data: new Float32Array(terms.length).fill(1) }, bias: null },
  };
})();

describe('the bound family follows the probe', () => {
  it('auto: documented-order bounds on a backend that keeps the order, any-order bounds where the probe sees reassociation', async () => {
    const strict = judgementFromProbe(await probeOf({}), 'auto');
    expect(strict).toMatchObject({ boundOrder: 'documented', profile: 'strict' });
    expect(strict.profileSource).toBe('auto: probe found a*b+c unfused');
    const relaxed = judgementFromProbe(await probeOf({ reassociate: true }), 'auto');
    expect(relaxed.boundOrder).toBe('anyOrder');
    expect(relaxed.profileSource).toMatch(/^auto: probe found a\*b\+c unfused; probe saw reassociation: any-order bounds$/);
    expect(relaxed.relaxedMath.reassociation).toBe('relaxed');
  });

  it('a forced profile keeps documented-order bounds and says what the probe saw', async () => {
    const j = judgementFromProbe(await probeOf({ reassociate: true, contract: true }), 'strict');
    expect(j).toMatchObject({ boundOrder: 'documented', profile: 'strict' });
    expect(j.profileSource).toBe('--profile strict; probe says fma; probe saw reassociation, verdicts keep documented-order bounds');
  });

  it('NaN-to-zero or −0-to-+0 alone do not change the bound family', async () => {
    for (const mode of [{ nanToZero: true }, { negZeroToPosZero: true }]) {
      expect(judgementFromProbe(await probeOf(mode), 'auto').boundOrder).toBe('documented');
    }
  });
});

describe('verdicts on a reassociating GPU', () => {
  it('a cancelling dot product summed in two interleaved partial sums violates the documented-order bound, not the any-order bound', async () => {
    const gpu = reassociatingGpu(2);
    const documented = await checkOne(opSpecs.linear, gpu, cancelling, 'strict', EXACT_ACCURACY, 'documented');
    expect(documented.got.data[0]).toBe(0);
    expect(documented.expected.data[0]).toBe(3 * 2 ** -16);
    expect(documented.verdict).toMatchObject({ violations: 1, differing: [{ verdict: 'violation', reason: 'bound' }] });
    const anyOrder = await checkOne(opSpecs.linear, gpu, cancelling, 'strict', EXACT_ACCURACY, 'anyOrder');
    expect(anyOrder.verdict).toMatchObject({ violations: 0, within: 1 });
    expect(anyOrder.verdict.differing[0]!.bound!).toBeGreaterThan(documented.verdict.differing[0]!.bound!);
  });

  const seed = pinnedSeed ?? 20261125;
  for (const op of ['linear', 'pointwiseConv2d', 'depthwiseConv2d'] as const satisfies readonly OpName[]) {
    it(`${op}: property-generated cases summed in 4 interleaved partial sums pass under the any-order bound (seed ${seed})`, async () => {
      const opts: DiffRunOptions = {
        cases: 80, seed, shard: { index: 1, count: 1 }, batch: 16, profile: 'strict', accuracy: EXACT_ACCURACY, boundOrder: 'anyOrder',
        gen: { maxElements: 512, specialValues: false }, fixturesDir: null, shrink: false,
      };
      const s = await runOpDiff(opSpecs[op], reassociatingGpu(4), opts);
      expect(s.violations, `${op}: ${s.violations} violations; first at seed ${seed} path ${s.firstViolationIndex}: ${JSON.stringify(s.worst)}`).toBe(0);
      // The reordering is real: many elements are not bit-identical.
      expect(s.within).toBeGreaterThan(0);
    });
  }
});

/** One op's report (special values) on a GPU that rewrites outputs, with the probe summary given. */
async function specialReport(op: OpName, map: (v: number) => number, relaxedMath: RelaxedSummary): Promise<{ summary: OpDiffSummary; report: DiffReport }> {
  const seed = pinnedSeed ?? 20261125;
  const opts: DiffRunOptions = {
    cases: 120, seed, shard: { index: 1, count: 1 }, batch: 32, profile: 'strict', accuracy: EXACT_ACCURACY,
    gen: { maxElements: 256, specialValues: true }, fixturesDir: null, shrink: false,
  };
  const summary = await runOpDiff(opSpecs[op], mappingGpu(map), opts);
  const report: DiffReport = {
    adapter: fakeAdapter, backend: 'metal', profile: 'strict', profileSource: 'auto: test', accuracy: EXACT_ACCURACY,
    seed, cases: 120, shard: opts.shard, batch: 32, gen: opts.gen, ops: [summary], seconds: 1, boundOrder: 'documented', relaxedMath,
  };
  return { summary, report };
}

const nanToZero = (v: number) => (Number.isNaN(v) ? 0 : v);

describe('violations relaxed math explains stay violations, and the report names the cause', () => {
  it('NaN read back as 0: linear violations of reason nan, attributed to relaxedMath.nanInf', async () => {
    const relaxedMath = relaxedSummary(await probeOf({ nanToZero: true }));
    const { summary, report } = await specialReport('linear', nanToZero, relaxedMath);
    expect(summary.violations).toBeGreaterThan(0);
    expect(summary.violationReasons).toEqual({ bound: 0, nan: summary.violations, inf: 0, 'signed-zero': 0, shape: 0 });
    const text = formatDiffText(report);
    expect(text).toMatch(/^verdicts: documented-order bounds; relaxed math seen: nanInf$/m);
    expect(text).toContain(`  ${summary.violations} of them (nan): likely cause: the backend's relaxed math does not preserve NaN/±Inf (refsim probe: relaxedMath.nanInf relaxed)`);
    expect(text).toMatch(/FAILED: \d+ violations/);
    const json = diffReportJson(report) as { relaxedMath: RelaxedSummary; ops: { relaxedMathCauses: unknown[] }[] };
    expect(json.relaxedMath.nanInf).toBe('relaxed');
    expect(json.ops[0]!.relaxedMathCauses).toEqual([{ reason: 'nan', count: summary.violations, cause: 'nanInf' }]);
  });

  it('the same violations on a backend the probe found strict name no cause', async () => {
    const relaxedMath = relaxedSummary(await probeOf({}));
    const { summary, report } = await specialReport('linear', nanToZero, relaxedMath);
    expect(summary.violations).toBeGreaterThan(0);
    const text = formatDiffText(report);
    expect(text).toMatch(/^verdicts: documented-order bounds; relaxed math seen: none$/m);
    expect(text).not.toContain('likely cause');
  });

  it('relu decides on bit patterns, so its NaN violations are not blamed on relaxed math', async () => {
    const relaxedMath = relaxedSummary(await probeOf({ nanToZero: true, negZeroToPosZero: true }));
    const { summary, report } = await specialReport('relu', (v) => (Object.is(v, -0) ? 0 : nanToZero(v)), relaxedMath);
    expect(summary.violationReasons.nan).toBeGreaterThan(0);
    expect(summary.violationReasons['signed-zero']).toBeGreaterThan(0);
    expect(formatDiffText(report)).not.toContain('likely cause');
  });

  it('relaxedCause: reason to property, only where the probe found that property relaxed', () => {
    const all = (w: 'strict' | 'relaxed'): RelaxedSummary => ({ nanInf: w, signedZero: w, reciprocalDivision: w, reassociation: w, contraction: w });
    expect(relaxedCause('linear', 'inf', all('relaxed'), 'documented')).toBe('nanInf');
    expect(relaxedCause('linear', 'signed-zero', all('relaxed'), 'documented')).toBe('signedZero');
    expect(relaxedCause('linear', 'bound', all('relaxed'), 'documented')).toBe('reassociation');
    expect(relaxedCause('linear', 'bound', all('relaxed'), 'anyOrder')).toBeNull();
    expect(relaxedCause('linear', 'shape', all('relaxed'), 'documented')).toBeNull();
    expect(relaxedCause('linear', 'nan', all('strict'), 'documented')).toBeNull();
    expect(relaxedCause('relu', 'nan', all('relaxed'), 'documented')).toBeNull();
  });
});
