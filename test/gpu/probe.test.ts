import { expect, it } from 'vitest';
import { accuracyFromProbe, type ProbeResult, probeResultSchema, profileFromProbe } from '../../src/gpu/probe.ts';
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
    } else {
      process.stderr.write(`probe on ${gpu().adapter.description}: ${JSON.stringify(p)}\n`);
    }
  });

  it('prints a readable report', () => {
    const r = runCli(['probe', '--samples', '4096', ...backendArgs()], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^adapter: /);
    expect(r.stdout).toMatch(/a\*b\+c: +(fused|unfused|mixed)/);
    expect(r.stdout).toMatch(/profile: (strict|fma)/);
  });
});

it('probe --samples rejects a non-integer with exit 2 and names the option', () => {
  const r = runCli(['probe', '--samples', '1.5']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--samples must be a positive integer/);
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
