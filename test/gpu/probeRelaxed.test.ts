/**
 * The probe's relaxed-math detection without a GPU: `refsim probe`'s measurements run on a
 * simulated backend (test/support/perturbed.ts) that evaluates the probe's WGSL forms with the
 * switches relaxed math may flip — reassociation, reciprocal division, NaN to zero, −0 to +0,
 * contraction, folded identities — one at a time; each must show in its own field and nowhere else.
 */
import { describe, expect, it } from 'vitest';
import { judgeCheck, type ProbeDevice, type ProbeResult, RELAXED_FIELDS, type RelaxedFieldName, runProbeOn } from '../../src/gpu/probe.ts';
import { f32Bits } from '../../src/reference/float32.ts';
import { type RelaxedMode, SimulatedProbeDevice } from '../support/perturbed.ts';
import { WgslExpr } from '../support/wgslExpr.ts';

const SAMPLES = 2048;
const probe = (dev: ProbeDevice) => runProbeOn(dev, { samples: SAMPLES, seed: 7 });

/** Per field, its run-time summary and its rewrites' summary (null: the field has none). */
function words(p: ProbeResult): Record<RelaxedFieldName, [string, string | null]> {
  return Object.fromEntries(RELAXED_FIELDS.map((k) => [k, [p.relaxedMath[k].summary, p.relaxedMath[k].rewrites?.summary ?? null]])) as Record<RelaxedFieldName, [string, string | null]>;
}

const STRICT: Record<RelaxedFieldName, [string, string | null]> = {
  nanInf: ['strict', 'strict'],
  signedZero: ['strict', 'strict'],
  reciprocalDivision: ['strict', 'strict'],
  reassociation: ['strict', 'strict'],
  contraction: ['strict', null],
};

describe('the WGSL evaluator behind the simulated backend', () => {
  it('evaluates IEEE float32 by default and each relaxed switch as described', () => {
    const big = 2 ** 24;
    expect(new WgslExpr('(a + b) - b').eval(1, big, 0)).toBe(0);
    expect(new WgslExpr('(a + b) - b', { reassociate: true }).eval(1, big, 0)).toBe(1);
    expect(new WgslExpr('(a + b) - b', { foldIdentities: true }).eval(1, big, 0)).toBe(1);
    expect(new WgslExpr('a / b').eval(1, 3, 0)).toBe(Math.fround(1 / 3));
    expect(new WgslExpr('select(0.0, 1.0, a != a)').eval(NaN, 0, 0)).toBe(1);
    expect(new WgslExpr('select(0.0, 1.0, a != b)', { orderedNotEqual: true }).eval(NaN, NaN, 0)).toBe(0);
    expect(new WgslExpr('select(0.0, 1.0, (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u)', { nanToZero: true }).eval(NaN, 0, 0)).toBe(1);
    expect(Object.is(new WgslExpr('0.0 + a').eval(-0, 0, 0), 0)).toBe(true);
    expect(Object.is(new WgslExpr('0.0 + a', { foldIdentities: true }).eval(-0, 0, 0), -0)).toBe(true);
    expect(Object.is(new WgslExpr('-a', { negZeroToPosZero: true }).eval(0, 0, 0), 0)).toBe(true);
    expect(new WgslExpr('max(a, b)').eval(NaN, 1, 0)).toBe(1);
    expect(new WgslExpr('select(0.0, 1.0, a > 0x1.fffffep+127f)').eval(Infinity, 0, 0)).toBe(1);
  });
});

describe('relaxed-math detection on a simulated backend', () => {
  it('a strict backend reads strict everywhere, rewrites included; profile strict, division exact', async () => {
    const p = await probe(new SimulatedProbeDevice());
    expect(words(p)).toEqual(STRICT);
    expect(p.profile).toBe('strict');
    expect(p.div.maxUlp).toBe(0);
    expect(p.mulAdd.verdict).toBe('unfused');
  });

  const cases: { mode: RelaxedMode; relaxed: Partial<Record<RelaxedFieldName, [string, string | null]>> }[] = [
    { mode: { reassociate: true }, relaxed: { reassociation: ['relaxed', 'relaxed'] } },
    { mode: { reciprocal: true }, relaxed: { reciprocalDivision: ['relaxed', 'relaxed'] } },
    { mode: { nanToZero: true }, relaxed: { nanInf: ['relaxed', 'relaxed'] } },
    { mode: { negZeroToPosZero: true }, relaxed: { signedZero: ['relaxed', 'relaxed'] } },
    { mode: { contract: true }, relaxed: { contraction: ['relaxed', null] } },
    // lavapipe's pattern: arithmetic strict, visible identities folded, `!=` ordered.
    {
      mode: { foldIdentities: true, orderedNotEqual: true },
      relaxed: { nanInf: ['strict', 'relaxed'], signedZero: ['strict', 'relaxed'], reassociation: ['strict', 'relaxed'] },
    },
  ];
  for (const { mode, relaxed } of cases) {
    it(`${JSON.stringify(mode)} shows in ${Object.keys(relaxed).join(', ')} only`, async () => {
      const p = await probe(new SimulatedProbeDevice(mode));
      expect(words(p)).toEqual({ ...STRICT, ...relaxed });
    });
  }

  it('contraction also fuses a*b+c: the profile becomes fma', async () => {
    const p = await probe(new SimulatedProbeDevice({ contract: true }));
    expect(p.mulAdd.verdict).toBe('fused');
    expect(p.profile).toBe('fma');
  });

  it('reciprocal division shows in the division error too, and the evidence names inputs, got and the IEEE result', async () => {
    const p = await probe(new SimulatedProbeDevice({ reciprocal: true }));
    expect(p.div.maxUlp).toBeGreaterThan(0);
    const c = p.relaxedMath.reciprocalDivision.checks[0]!;
    expect(c.matchedAlternative).toBe(c.informative);
    expect(c.informative).toBeGreaterThan(SAMPLES / 20);
    const e = c.evidence[0]!;
    expect(e.inputs).toHaveLength(2);
    expect(e.got).toBe(e.alternative);
    expect(e.got).not.toBe(e.expected);
  });

  it('NaN-to-zero evidence: NaN + 1 gives +0 where IEEE gives a NaN', async () => {
    const p = await probe(new SimulatedProbeDevice({ nanToZero: true }));
    const add = p.relaxedMath.nanInf.checks.find((c) => c.expr === 'a + b')!;
    expect(add.verdict).toBe('relaxed');
    expect(add.evidence[0]).toEqual({ inputs: ['a = NaN (0x7fc00001)', 'b = 1 (0x3f800000)'], got: '0 (0x00000000)', expected: 'NaN (any payload)' });
    // Decisions on the bit pattern survive (what relu does).
    expect(p.relaxedMath.nanInf.checks.find((c) => c.expr.includes('bitcast<u32>'))!.verdict).toBe('strict');
  });

  it('reassociation shows in the loop sums like the kernels\' lane loops, not only in visible chains', async () => {
    const p = await probe(new SimulatedProbeDevice({ reassociate: true }));
    const loops = p.relaxedMath.reassociation.checks.filter((c) => c.expr.startsWith('loop'));
    expect(loops.map((c) => c.verdict)).toEqual(['relaxed', 'relaxed']);
    for (const c of loops) expect(c.mismatches).toBeGreaterThan(c.samples / 2);
  });

  it('an approximate division that is not a reciprocal reads strict on reciprocalDivision (its error is the div ULP)', async () => {
    const base = new SimulatedProbeDevice();
    const approx: ProbeDevice = {
      adapter: base.adapter,
      loopSum: (s, l, x) => base.loopSum(s, l, x),
      async elementwise(name, expr, a, b, c) {
        const out = await base.elementwise(name, expr, a, b, c);
        if (expr.includes('/')) for (let i = 0; i < out.length; i += 2) out[i] = (out[i]! + 1) >>> 0;
        return out;
      },
    };
    const p = await probe(approx);
    expect(p.div.maxUlp).toBe(1);
    expect(p.relaxedMath.reciprocalDivision.summary).toBe('strict');
  });
});

describe('judgeCheck', () => {
  const inputs = (i: number) => [`#${i}`];
  it("rule 'all': one differing sample makes it relaxed; any NaN matches a NaN; mismatches come first in the evidence", () => {
    const nanA = 0x7fc00001;
    const nanB = 0xffc00000;
    const ok = judgeCheck({ expr: 'x', rule: 'all', got: [nanA, 5], expected: [nanB, 5], inputs });
    expect(ok).toMatchObject({ verdict: 'strict', mismatches: 0, informative: 2, matchedExpected: 2 });
    const bad = judgeCheck({ expr: 'x', rule: 'all', got: [1, 2, 3, 4, 5, 6], expected: [1, 2, 3, 4, 5, 7], alternative: [1, 2, 3, 4, 9, 6], inputs });
    expect(bad).toMatchObject({ verdict: 'relaxed', mismatches: 1, informative: 2, matchedExpected: 1, matchedAlternative: 1 });
    expect(bad.evidence.map((e) => e.inputs[0])).toEqual(['#5', '#4']);
  });

  it("rule 'majority': relaxed only when more informative samples give the rewritten result than the IEEE one", () => {
    const expected = [1, 2, 3, 4];
    const alternative = [9, 9, 9, 9];
    expect(judgeCheck({ expr: 'x', rule: 'majority', got: [9, 2, 3, 7], expected, alternative, inputs }).verdict).toBe('strict');
    expect(judgeCheck({ expr: 'x', rule: 'majority', got: [9, 9, 9, 4], expected, alternative, inputs }).verdict).toBe('relaxed');
    expect(judgeCheck({ expr: 'x', rule: 'majority', got: [f32Bits(1), 9, 9, 4], expected, alternative, inputs }).evidence).toHaveLength(4);
  });
});
