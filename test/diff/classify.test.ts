import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, classifyCase, flushSubnormalInputs, ULP_BUCKETS } from '../../src/diff/classify.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import { f32Bits, f32FromBits, ulpDistance, ulpDistanceBits } from '../../src/reference/float32.ts';
import { EXACT_ACCURACY, type Accuracy, type OpCase, type OpName } from '../../src/ops/types.ts';
import type { Tensor } from '../../src/reference/tensor.ts';
import { fcParams } from '../support/seed.ts';

const t = (values: number[]): Tensor => ({ shape: [1, 1, 1, values.length], data: Float32Array.from(values) });
const fromBits = (bits: number[]): Tensor => ({ shape: [bits.length], data: new Float32Array(Uint32Array.from(bits).buffer) });

function spyBound(perElement: number) {
  const calls: Accuracy[] = [];
  return {
    calls,
    spec: {
      bound(c: OpCase, a: Accuracy) {
        calls.push(a);
        return new Float64Array(c.inputs['x']!.data.length).fill(perElement);
      },
    },
  };
}

function classify(op: OpName, got: Tensor, expected: Tensor, bound = 0, accuracy: Accuracy = EXACT_ACCURACY) {
  const s = spyBound(bound);
  const c: OpCase = { op, params: {}, inputs: { x: expected } };
  return { v: classifyCase({ spec: s.spec, case: c, got, expected, accuracy }), calls: s.calls };
}

describe('classifyCase', () => {
  it('identical bits: all exact, bounds never computed', () => {
    const x = t([1, -0, NaN, Infinity, 1e-40]);
    const { v, calls } = classify('linear', t([1, -0, NaN, Infinity, 1e-40]), x);
    expect(v).toMatchObject({ elements: 5, exact: 5, within: 0, violations: 0, worst: null });
    expect(v.histogram).toEqual([5, 0, 0, 0, 0, 0, 0]);
    expect(calls).toHaveLength(0);
  });

  it('a 1-ULP difference is within a covering bound and a violation outside it', () => {
    const one = 1;
    const next = f32FromBits(f32Bits(1) + 1);
    const inside = classify('linear', t([next, 2]), t([one, 2]), 2 ** -23);
    expect(inside.v).toMatchObject({ exact: 1, within: 1, violations: 0 });
    expect(inside.v.worst).toMatchObject({ index: 0, ulp: 1, verdict: 'within', bound: 2 ** -22 });
    expect(inside.v.histogram).toEqual([1, 1, 0, 0, 0, 0, 0]);
    const outside = classify('linear', t([next, 2]), t([one, 2]), 2 ** -25);
    expect(outside.v).toMatchObject({ exact: 1, within: 0, violations: 1 });
    expect(outside.v.differing[0]).toMatchObject({ index: 0, verdict: 'violation', reason: 'bound', ulp: 1 });
  });

  it('uses bound(gpuAccuracy) + bound(EXACT), computing each once', () => {
    const acc: Accuracy = { divUlp: 2, sqrtUlp: 1, inverseSqrtUlp: 1, flushSubnormals: true };
    const { v, calls } = classify('linear', t([1.5, 2.5, 3.5]), t([1, 2, 3]), 0.25, acc);
    // |diff| = 0.5 = 0.25 + 0.25: inside only because both bounds are added.
    expect(v).toMatchObject({ within: 3, violations: 0 });
    expect(calls).toEqual([EXACT_ACCURACY, acc]);
  });

  it('NaN on one side is a violation, NaN vs another NaN is within, without bounds', () => {
    const { v, calls } = classify('linear', fromBits([0x7fc00000, 0x7fc00001, 0x3f800000]), fromBits([0x3f800000, 0x7fc00000, 0x7fc00000]));
    expect(v).toMatchObject({ exact: 0, within: 1, violations: 2 });
    expect(v.differing.map((e) => [e.index, e.verdict, e.reason])).toEqual([
      [0, 'violation', 'nan'], [2, 'violation', 'nan'], [1, 'within', undefined],
    ]);
    expect(v.histogram[ULP_BUCKETS.length - 1]).toBe(2);
    // NaN vs another NaN has no ULP distance: not in bucket 0 (identical bits only) but in sameValue.
    expect(v.histogram[0]).toBe(v.exact);
    expect(v.sameValue).toBe(1);
    expect(v.differing.find((e) => e.index === 1)).toMatchObject({ sameValue: true, verdict: 'within' });
    expect(calls).toHaveLength(0);
  });

  it('an infinity against a finite value is a violation even with an infinite bound', () => {
    const max = f32FromBits(0x7f7fffff);
    const { v } = classify('linear', t([Infinity, -Infinity]), t([max, Infinity]), Infinity);
    expect(v.violations).toBe(2);
    expect(v.differing.every((e) => e.reason === 'inf')).toBe(true);
  });

  it('−0 vs +0 is a violation for relu (sign defined) and within for linear', () => {
    expect(classify('relu', t([0]), t([-0])).v).toMatchObject({ violations: 1, differing: [{ reason: 'signed-zero', ulp: 0 }] });
    expect(classify('linear', t([0]), t([-0])).v).toMatchObject({ violations: 0, within: 1, exact: 0, sameValue: 1, histogram: [0, 0, 0, 0, 0, 0, 0] });
  });

  it('a differing finite pair under an infinite bound is unbounded: neither within nor a violation', () => {
    const { v } = classify('linear', t([1.5, 2, 7]), t([1, 2, 3]), Infinity);
    expect(v).toMatchObject({ exact: 1, within: 0, unbounded: 2, violations: 0 });
    expect(v.differing.map((e) => [e.index, e.verdict])).toEqual([[0, 'unbounded'], [2, 'unbounded']]);
    // A violation elsewhere is listed first and is the worst at equal ULP distance.
    const mixed = classifyCase({
      spec: { bound: () => Float64Array.of(Infinity, 0) }, case: { op: 'linear', params: {}, inputs: {} },
      got: t([2, 4]), expected: t([1, 2]), accuracy: EXACT_ACCURACY,
    });
    expect(mixed.differing.map((e) => e.verdict)).toEqual(['violation', 'unbounded']);
    expect(mixed.worst).toMatchObject({ index: 1, verdict: 'violation' });
  });

  it('totalBound replaces bound(accuracy) + bound(EXACT) and is computed once, only when needed', () => {
    let calls = 0;
    const totalBound = () => {
      calls++;
      return Float64Array.of(0.5, 0.5, 0.5);
    };
    const spec = { bound: () => { throw new Error('spec.bound must not be called'); } };
    const c: OpCase = { op: 'linear', params: {}, inputs: {} };
    const same = classifyCase({ spec, case: c, got: t([1, 2, 3]), expected: t([1, 2, 3]), accuracy: EXACT_ACCURACY, totalBound });
    expect(same.exact).toBe(3);
    expect(calls).toBe(0);
    const v = classifyCase({ spec, case: c, got: t([1.5, 2.75, 3]), expected: t([1, 2, 3]), accuracy: EXACT_ACCURACY, totalBound });
    expect(v).toMatchObject({ exact: 1, within: 1, violations: 1 });
    expect(v.differing[0]).toMatchObject({ index: 1, bound: 0.5, reason: 'bound' });
    expect(calls).toBe(1);
  });

  it("select: 'worst' keeps the largest ULP distances (violations first), 'first' the lowest indices", () => {
    const base = Array.from({ length: 300 }, (_, i) => 1 + i / 64);
    const got = base.map((v, i) => f32FromBits(f32Bits(v) + (i % 7) + 1));
    const c: OpCase = { op: 'linear', params: {}, inputs: {} };
    const run = (select: 'first' | 'worst') =>
      classifyCase({ spec: { bound: () => new Float64Array(300).fill(1) }, case: c, got: t(got), expected: t(base), accuracy: EXACT_ACCURACY, keep: 5, select });
    expect(run('first').differing.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    const worst = run('worst').differing;
    expect(worst.map((e) => e.ulp)).toEqual([7, 7, 7, 7, 7]);
    expect(worst.map((e) => e.index)).toEqual([6, 13, 20, 27, 34]);
  });

  it('an output of the wrong shape is all violations', () => {
    const { v } = classify('linear', t([1, 2]), t([1, 2, 3]));
    expect(v).toMatchObject({ violations: 3, exact: 0, worst: { reason: 'shape' } });
  });

  it('verdicts follow the definition for random finite pairs and bounds', () => {
    const f = fc.float({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(f, f, fc.double({ min: 0, max: 4, noNaN: true })), { minLength: 1, maxLength: 20 }), (rows) => {
        const got = t(rows.map((r) => r[0]));
        const exp = t(rows.map((r) => r[1]));
        const c: OpCase = { op: 'linear', params: {}, inputs: { x: exp } };
        const spec = { bound: () => Float64Array.from(rows.map((r) => r[2] / 2)) };
        const v = classifyCase({ spec, case: c, got, expected: exp, accuracy: EXACT_ACCURACY, keep: 100 });
        let exact = 0;
        let viol = 0;
        rows.forEach(([g, r, b], i) => {
          const gf = got.data[i]!;
          const rf = exp.data[i]!;
          if (f32Bits(gf) === f32Bits(rf)) exact++;
          else if (!(Math.abs(gf - rf) <= b)) viol++;
          void g; void r;
        });
        expect(v.exact).toBe(exact);
        expect(v.violations).toBe(viol);
        expect(v.unbounded).toBe(0);
        expect(v.exact + v.within + v.violations).toBe(rows.length);
        // The columns partition the elements: exact (= ulp 0), NaN/±0, and the other ULP buckets.
        expect(v.histogram[0]).toBe(v.exact);
        expect(v.histogram.reduce((a, b) => a + b, 0) + v.sameValue).toBe(rows.length);
      }),
      fcParams(300),
    );
  });
});

describe('ULP distance and buckets', () => {
  it('counts float32 steps: within a binade it is |a − b| / ulp(binade)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 253 }), fc.integer({ min: 0, max: 2 ** 23 - 1 }), fc.integer({ min: 0, max: 2 ** 23 - 1 }), fc.boolean(), (e, m1, m2, neg) => {
        const s = neg ? -1 : 1;
        const a = s * (1 + m1 / 2 ** 23) * 2 ** (e - 127);
        const b = s * (1 + m2 / 2 ** 23) * 2 ** (e - 127);
        expect(ulpDistanceBits(f32Bits(a), f32Bits(b))).toBe(Math.abs(a - b) / 2 ** (e - 127 - 23));
      }),
      fcParams(300),
    );
  });

  it('agrees with the reference ulpDistance on random bit patterns (NaN pairs aside)', () => {
    const bits = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    fc.assert(
      fc.property(bits, bits, (a, b) => {
        const x = f32FromBits(a);
        const y = f32FromBits(b);
        if (Number.isNaN(x) && Number.isNaN(y)) return;
        expect(ulpDistanceBits(a, b)).toBe(ulpDistance(x, y));
      }),
      fcParams(1000),
    );
  });

  it('crosses zero and treats ±0 as the same point', () => {
    const tiny = f32FromBits(1);
    expect(ulpDistanceBits(f32Bits(tiny), f32Bits(-tiny))).toBe(2);
    expect(ulpDistanceBits(f32Bits(0), f32Bits(-0))).toBe(0);
    expect(ulpDistanceBits(0x7fc00000, 0)).toBe(Infinity);
  });

  it('buckets are 0, 1, 2, 3–4, 5–16, 17–256, >256', () => {
    const cases: Array<[number, string]> = [[0, '0'], [1, '1'], [2, '2'], [3, '3-4'], [4, '3-4'], [5, '5-16'], [16, '5-16'], [17, '17-256'], [256, '17-256'], [257, '>256'], [Infinity, '>256']];
    for (const [ulp, label] of cases) expect(ULP_BUCKETS[bucketOf(ulp)]!.label).toBe(label);
  });

  describe('flushed subnormal inputs on a flushing backend', () => {
    const flushing: Accuracy = { ...EXACT_ACCURACY, flushSubnormals: true };
    // linear, one input feature: out[0][0] = x·w = 1e-40·(−Inf) = −Inf; a flushing GPU computes 0·(−Inf) = NaN.
    const c: OpCase = { op: 'linear', params: {}, inputs: { x: { shape: [1, 1], data: Float32Array.from([1e-40]) }, weight: { shape: [1, 1], data: Float32Array.from([-Infinity]) }, bias: null } };
    const spec = getOpSpec('linear');
    const expected = spec.reference(c, 'strict');
    const run = (got: number, accuracy: Accuracy) => classifyCase({ spec, case: c, got: { shape: [1, 1], data: Float32Array.from([got]) }, expected, accuracy, profile: 'strict' });

    it('the reference really is −Inf and the flushed case really is 0·(−Inf)', () => {
      expect(expected.data[0]).toBe(-Infinity);
      const f = flushSubnormalInputs(c)!;
      expect(Object.is(f.inputs['x']!.data[0], 0)).toBe(true);
      expect(Number.isNaN(spec.reference(f, 'strict').data[0])).toBe(true);
      expect(flushSubnormalInputs({ ...c, inputs: { ...c.inputs, x: { shape: [1, 1], data: Float32Array.from([-0.5]) } } })).toBeNull();
    });

    it('NaN where 0·Inf explains it is within on a flushing backend, a violation on a non-flushing one', () => {
      expect(run(NaN, flushing)).toMatchObject({ within: 1, violations: 0 });
      expect(run(NaN, EXACT_ACCURACY)).toMatchObject({ within: 0, violations: 1 });
    });

    it('a non-finite value the flushed inputs do not explain stays a violation', () => {
      expect(run(Infinity, flushing)).toMatchObject({ violations: 1 });
      expect(run(0, flushing)).toMatchObject({ violations: 1 });
      // Without the reference and profile the classifier cannot know: violation.
      const bare = classifyCase({ spec: { bound: spec.bound }, case: c, got: { shape: [1, 1], data: Float32Array.from([NaN]) }, expected, accuracy: flushing });
      expect(bare.violations).toBe(1);
    });
  });
});
