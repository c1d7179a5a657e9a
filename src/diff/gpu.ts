/**
 * The checker's GPU: src/gpu's crash-isolated device (a Dawn/driver crash becomes a typed error
 * naming the op and case instead of killing `refsim diff`), plus the arithmetic profile and
 * accuracy to judge it by, from `refsim probe`'s measurements.
 */
import { IsolatedGpu } from '../gpu/isolate.ts';
import { accuracyFromProbe, type ProbeResult, probeResultSchema } from '../gpu/probe.ts';
import type { BackendName } from '../gpu/types.ts';
import type { Accuracy } from '../ops/types.ts';
import type { Profile } from '../reference/tensor.ts';
import { brokenKernelFromEnv } from '../testHooks.ts';
import { type DiffGpu, withBrokenKernel } from './gpuRunner.ts';
import { type BoundOrder, relaxedSummary, type RelaxedSummary } from './relaxed.ts';

export interface OpenDiffGpuOptions {
  readonly backend?: BackendName;
  readonly adapter?: string;
}

/** Opens the isolated GPU as a DiffGpu (with REFSIM_TEST_BREAK_KERNEL applied, when set). */
export async function openDiffGpu(opts: OpenDiffGpuOptions = {}): Promise<DiffGpu & { readonly isolated: IsolatedGpu }> {
  const broken = brokenKernelFromEnv();
  const isolated = await IsolatedGpu.open({
    ...(opts.backend === undefined ? {} : { backend: opts.backend }),
    ...(opts.adapter === undefined ? {} : { adapter: opts.adapter }),
  });
  return Object.assign(withBrokenKernel(diffGpuFrom(isolated), broken), { isolated });
}

/** An isolated GPU seen as the checker's DiffGpu (close() closes the child). */
export function diffGpuFrom(isolated: IsolatedGpu): DiffGpu {
  return {
    adapter: isolated.adapter,
    backend: isolated.adapter.backend,
    run: (op, cases) => isolated.runBatch(op, cases),
    close: () => isolated.close(),
  };
}

export interface Judgement {
  readonly profile: Profile;
  readonly profileSource: string;
  readonly accuracy: Accuracy;
  /** Which bound family verdicts use: 'anyOrder' where the probe saw reassociation (auto only). */
  readonly boundOrder: BoundOrder;
  /** The probe's relaxed-math summary (names the cause of NaN/Inf and −0 violations). */
  readonly relaxedMath: RelaxedSummary;
  readonly probe: ProbeResult;
}

/** Default probe size for `refsim diff`: enough samples to see NVIDIA's 2-ULP division in a second. */
export const DIFF_PROBE_SAMPLES = 1 << 18;

/**
 * The judgement from a probe: the accuracy (bounds) always comes from the probe, the profile from
 * it unless forced; with `auto`, a backend that reassociates sums is judged by any-order bounds.
 */
export function judgementFromProbe(probe: ProbeResult, requested: Profile | 'auto'): Judgement {
  const accuracy = accuracyFromProbe(probe);
  const relaxedMath = relaxedSummary(probe);
  const reassociates = relaxedMath.reassociation === 'relaxed';
  if (requested !== 'auto') {
    const note = reassociates ? '; probe saw reassociation, verdicts keep documented-order bounds' : '';
    return { profile: requested, profileSource: `--profile ${requested}; probe says ${probe.profile}${note}`, accuracy, boundOrder: 'documented', relaxedMath, probe };
  }
  const note = reassociates ? '; probe saw reassociation: any-order bounds' : '';
  return { profile: probe.profile, profileSource: `auto: probe found a*b+c ${probe.mulAdd.verdict}${note}`, accuracy, boundOrder: reassociates ? 'anyOrder' : 'documented', relaxedMath, probe };
}

/** Probes the GPU and judges by the result (judgementFromProbe). */
export async function judge(isolated: IsolatedGpu, requested: Profile | 'auto', samples = DIFF_PROBE_SAMPLES): Promise<Judgement> {
  return judgementFromProbe(probeResultSchema.parse(await isolated.job('probe', { samples })), requested);
}
