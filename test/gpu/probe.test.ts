import { expect, it } from 'vitest';
import { accuracyFromProbe, type ProbeResult, probeResultSchema, profileFromProbe, RELAXED_FIELDS } from '../../src/gpu/probe.ts';
import { runCli } from '../support/cli.ts';
import { describeGpu, isLavapipe, testBackend } from '../support/gpu.ts';

const backendArgs = (): string[] => {
  const b = testBackend();
  return b === undefined ? [] : ['--backend', b];
};

describeGpu('refsim probe', (gpu) => {
  it('measures the adapter and maps it to a profile (lavapipe: strict, exact division and sqrt)', () => {
    const r = runCli(['probe', '--json', '--samples', '65536', ...backendArgs()], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const p = probeResultSchema.parse(JSON.parse(r.stdout));
    expect(p.samples).toBe(65536);
    // Informative samples are the ones where fused and unfused results differ: there must be many.
    expect(p.mulAdd.informative).toBeGreaterThan(60_000);
    expect(p.profile).toBe(p.mulAdd.verdict === 'fused' ? 'fma' : 'strict');
    if (isLavapipe(gpu())) {
      expect(p.mulAdd.verdict).toBe('unfused');
      expect(p.fma.verdict).toBe('unfused');
      expect(p.profile).toBe('strict');
      expect(p.div.maxUlp).toBe(0);
      expect(p.sqrt.maxUlp).toBe(0);
      expect(p.inverseSqrt.maxUlp).toBeLessThanOrEqual(1);
      expect(p.subnormals).toEqual({ flushInputs: false, flushOutputs: false });
      // The relu finding: max loses -0 and NaN on lavapipe.
      expect(p.reluLike['max(x, 0.0)']).toEqual({ negZero: '0x00000000', nan: '0x00000000' });
      if (p.adapter.backend === 'vulkan') {
        // Run-time operands: lavapipe's arithmetic is strict IEEE in every relaxed-math property.
        const summaries = Object.fromEntries(RELAXED_FIELDS.map((k) => [k, p.relaxedMath[k].summary]));
        expect(summaries).toEqual(Object.fromEntries(RELAXED_FIELDS.map((k) => [k, 'strict'])));
      }
    } else {
      process.stderr.write(`probe on ${gpu().adapter.description}: ${JSON.stringify(p)}\n`);
    }
  });

  it('relaxed-math checks: every result is the IEEE or the rewritten one; the bit-pattern NaN test is never rewritten', () => {
    const r = runCli(['probe', '--json', '--samples', '4096', ...backendArgs()], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const p = probeResultSchema.parse(JSON.parse(r.stdout));
    const odd: string[] = [];
    for (const k of RELAXED_FIELDS) {
      const f = p.relaxedMath[k];
      for (const c of [...f.checks, ...(f.rewrites?.checks ?? [])]) {
        if (c.evidence.length === 0) odd.push(`${k}: ${c.expr} has no evidence`);
        // Rewrite checks with exact operations: a third result would mean the check's expectation is wrong.
        if (f.rewrites?.checks.includes(c) && c.rule === 'all' && c.matchedExpected + c.matchedAlternative !== c.informative) odd.push(`${k}: ${c.expr} ${JSON.stringify(c.evidence)}`);
      }
      expect(f.summary).toBe(f.checks.some((c) => c.verdict === 'relaxed') ? 'relaxed' : 'strict');
    }
    expect(odd).toEqual([]);
    const bitsNan = p.relaxedMath.nanInf.checks.find((c) => c.expr.startsWith('select(0.0, 1.0, (bitcast<u32>(a)'));
    expect(bitsNan?.verdict).toBe('strict');
    if (p.adapter.backend === 'vulkan') {
      // Tint's SPIR-V writer emits `!=` on floats as an ordered not-equal: false for NaN, whatever the driver.
      const ne = p.relaxedMath.nanInf.rewrites?.checks.find((c) => c.expr === 'select(0.0, 1.0, a != b)');
      expect(ne).toMatchObject({ verdict: 'relaxed', matchedAlternative: 2 });
    }
  });

  it('prints a readable report', () => {
    const r = runCli(['probe', '--samples', '4096', ...backendArgs()], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^adapter: /);
    expect(r.stdout).toMatch(/a\*b\+c: +(fused|unfused|mixed)/);
    expect(r.stdout).toMatch(/profile: (strict|fma)/);
    for (const label of ['NaN/Inf:', 'signed zero:', 'a/b vs a\\*\\(1/b\\):', 'reassociation:', 'contraction:']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${label} +(strict|relaxed)`, 'm'));
    }
  });
});

it('probe --samples rejects a non-integer with exit 2 and names the option', () => {
  const r = runCli(['probe', '--samples', '1.5']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--samples must be an integer in \[1, /);
});

it('maps probe results to profile and accuracy', () => {
  const base = {
    mulAdd: { verdict: 'fused', informative: 10, matchedFused: 10, matchedUnfused: 0 },
    div: { maxUlp: 2, samples: 10, worstInput: '' },
    sqrt: { maxUlp: 1, samples: 10, worstInput: '' },
    inverseSqrt: { maxUlp: 1, samples: 10, worstInput: '' },
    subnormals: { flushInputs: false, flushOutputs: true },
  } as const;
  expect(profileFromProbe(base)).toBe('fma');
  expect(profileFromProbe({ mulAdd: { ...base.mulAdd, verdict: 'mixed' } })).toBe('strict');
  expect(accuracyFromProbe(base as unknown as ProbeResult)).toEqual({ divUlp: 2, sqrtUlp: 1, inverseSqrtUlp: 1, flushSubnormals: true });
});
