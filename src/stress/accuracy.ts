/**
 * The profile and accuracy a stress run judges the GPU by. By default they are measured: the GPU
 * probe (src/gpu/probe.ts) runs once, in the crash-isolated GPU child, before any worker starts.
 * With --profile the probe is skipped and the accuracy is the WGSL specification's own limits,
 * which every conforming implementation meets (looser than any measured one, never hand-picked).
 */
import type { Accuracy } from '../ops/types.ts';
import type { Profile } from '../reference/tensor.ts';
import { IsolatedGpu } from '../gpu/isolate.ts';
import { accuracyFromProbe, probeResultSchema } from '../gpu/probe.ts';
import type { AdapterReport, OpenGpuOptions } from '../gpu/types.ts';

/**
 * WGSL's f32 accuracy (W3C WGSL, "Floating Point Accuracy"): x / y 2.5 ULP, inverseSqrt 2 ULP,
 * sqrt inherited from 1.0 / inverseSqrt(x) (2 + 2.5, rounded up to 5 ULP), and implementations
 * may flush subnormals.
 */
export const WGSL_SPEC_ACCURACY: Accuracy = { divUlp: 2.5, sqrtUlp: 5, inverseSqrtUlp: 2, flushSubnormals: true };

export interface MeasuredArithmetic {
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  readonly adapter: AdapterReport;
}

/** Runs the GPU probe in an isolated child process and maps it to a profile and accuracy. */
export async function probeArithmetic(opts: OpenGpuOptions, samples = 1 << 20): Promise<MeasuredArithmetic> {
  const gpu = await IsolatedGpu.open(opts);
  try {
    const p = probeResultSchema.parse(await gpu.job('probe', { samples }));
    return { profile: p.profile, accuracy: accuracyFromProbe(p), adapter: p.adapter };
  } finally {
    await gpu.close();
  }
}
