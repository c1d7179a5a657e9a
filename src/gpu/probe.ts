/**
 * `refsim probe`: targeted kernels that measure the float32 arithmetic of the adapter in use —
 * whether `a*b+c` and `fma()` are fused, the max ULP error of `a/b`, `sqrt`, `inverseSqrt` against
 * correctly rounded float32, whether subnormal inputs/outputs are flushed, what `max`/`select` do
 * with −0 and NaN, and what relaxed math changes (NaN/Inf, signed zeros, reciprocal division,
 * reassociation, contraction; src/gpu/probe/relaxed.ts) — and map the result to the reference
 * Profile and Accuracy the checker uses.
 *
 * The measurements run on a ProbeDevice (src/gpu/probe/device.ts): the GPU here, a simulated
 * backend in the tests; detection only sees result bits.
 */
import { mulberry32 } from '../util/rng.ts';
import type { Accuracy } from '../ops/types.ts';
import type { Profile } from '../reference/tensor.ts';
import type { RefsimGpu } from './device.ts';
import { measureArithmetic } from './probe/arith.ts';
import { type ProbeDevice, gpuProbeDevice } from './probe/device.ts';
import { formatProbe as formatProbeWith } from './probe/format.ts';
import { measureRelaxedMath } from './probe/relaxed.ts';
import { type ProbeResult, probeResultSchema } from './probe/schema.ts';
import type { GpuContext } from './types.ts';

export { evalElementwise, gpuProbeDevice, type LoopShape, type ProbeDevice } from './probe/device.ts';
export { formatRelaxedMath } from './probe/format.ts';
export type { CheckResult, MathWord, RelaxedField } from './probe/checks.ts';
export { judgeCheck, sameResult } from './probe/checks.ts';
export { RELAXED_FIELDS, type ProbeResult, probeResultSchema, type RelaxedFieldName, type RelaxedMath } from './probe/schema.ts';

export interface ProbeOptions {
  /** Random samples per measured operation (default 2^20). */
  readonly samples?: number;
  readonly seed?: number;
}

/** Runs every probe measurement on `dev`. */
export async function runProbeOn(dev: ProbeDevice, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const n = opts.samples ?? 1 << 20;
  const seed = opts.seed ?? 20261126;
  const r = mulberry32(seed);
  const arithmetic = await measureArithmetic(dev, n, r);
  const relaxedMath = await measureRelaxedMath(dev, n, r);
  const result = { adapter: { ...dev.adapter }, samples: n, seed, ...arithmetic, relaxedMath };
  return probeResultSchema.parse({ ...result, profile: profileFromProbe(result) });
}

/** Runs every probe kernel on the GPU `ctx`. */
export function runProbe(ctx: RefsimGpu | GpuContext, opts: ProbeOptions = {}): Promise<ProbeResult> {
  return runProbeOn(gpuProbeDevice(ctx), opts);
}

/** The reference profile a backend matches: 'fma' when it fuses `acc + a*b`, else 'strict'. */
export function profileFromProbe(p: Pick<ProbeResult, 'mulAdd'>): Profile {
  return p.mulAdd.verdict === 'fused' ? 'fma' : 'strict';
}

/** The Accuracy model for the checker's bounds, from the measured errors. */
export function accuracyFromProbe(p: Pick<ProbeResult, 'div' | 'sqrt' | 'inverseSqrt' | 'subnormals'>): Accuracy {
  return {
    divUlp: p.div.maxUlp,
    sqrtUlp: p.sqrt.maxUlp,
    inverseSqrtUlp: p.inverseSqrt.maxUlp,
    flushSubnormals: p.subnormals.flushInputs || p.subnormals.flushOutputs,
  };
}

/** The human-readable probe report. */
export function formatProbe(p: ProbeResult): string {
  return formatProbeWith(p, accuracyFromProbe(p));
}

/** Isolated-job entry (src/gpu/isolateJobs.ts). */
export const probeJob = (ctx: RefsimGpu, payload: unknown): Promise<unknown> => runProbe(ctx, (payload ?? {}) as ProbeOptions);
