/**
 * GPU test support. GPU work runs in an isolated child (src/gpu/isolate.ts) so a native crash fails
 * one test with a report instead of killing vitest. Without an adapter, tests are skipped with a
 * clearly printed reason; with REFSIM_REQUIRE_GPU=1 (CI) a missing adapter fails every test.
 *
 * Opening a device (a child process, Dawn, the adapter) and probing its arithmetic cost about a
 * second of CPU each, so a vitest worker keeps its GPU children for every file it runs (the `gpu`
 * project shares workers between files): one per backend, plus the most recent one opened with
 * test switches (sharedGpu). A child that crashed is replaced by its next job (IsolatedGpu), and
 * the children end with the worker (they leave when their parent's IPC channel closes).
 */
import { beforeAll, beforeEach, describe } from 'vitest';
import { NoAdapterError } from '../../src/gpu/errors.ts';
import { IsolatedGpu } from '../../src/gpu/isolate.ts';
import { accuracyFromProbe, type ProbeResult, profileFromProbe } from '../../src/gpu/probe.ts';
import type { BackendName } from '../../src/gpu/types.ts';
import type { Accuracy, OpCase } from '../../src/ops/types.ts';
import type { Profile, Tensor } from '../../src/reference/tensor.ts';
import { boundViolations, mismatches } from './gpuCompare.ts';

export const gpuRequired = (): boolean => process.env['REFSIM_REQUIRE_GPU'] === '1';

/** The backend the GPU tests use: REFSIM_BACKEND, else Dawn's default. */
export const testBackend = (): BackendName | undefined => (process.env['REFSIM_BACKEND'] || undefined) as BackendName | undefined;

/** Whether the adapter is Mesa's software rasterizer (lavapipe / llvmpipe), whose arithmetic is strict IEEE. */
export const isLavapipe = (gpu: IsolatedGpu): boolean => /llvmpipe|lavapipe/i.test(`${gpu.adapter.description} ${gpu.adapter.device}`);

/**
 * A describe block whose tests share the worker's isolated GPU (sharedGpu()). `gpu()` returns it
 * inside tests; they must not close it. Skips (printed) when there is no adapter, unless
 * REFSIM_REQUIRE_GPU=1.
 */
export function describeGpu(name: string, body: (gpu: () => IsolatedGpu) => void): void {
  describe(name, () => {
    let gpu: IsolatedGpu | null = null;
    let skipReason: string | null = null;
    beforeAll(async () => {
      try {
        gpu = await sharedGpu();
      } catch (e) {
        if (e instanceof NoAdapterError && !gpuRequired()) {
          skipReason = e.message;
          process.stderr.write(`\n[SKIP] GPU tests "${name}": ${e.message}\n       (REFSIM_REQUIRE_GPU=1 makes this a failure)\n`);
          return;
        }
        throw e;
      }
    });
    beforeEach((ctx) => {
      if (skipReason !== null) ctx.skip(skipReason);
    });
    body(() => {
      if (gpu === null) throw new Error(`GPU not open: ${skipReason ?? 'beforeAll failed'}`);
      return gpu;
    });
  });
}

/** The worker's GPUs: `''` for the plain one, the switches' JSON for the one opened with test switches. */
const shared = new Map<string, Promise<IsolatedGpu>>();

/**
 * The worker's isolated GPU on the test backend, its child run with `env` added (test-only
 * switches, e.g. forced GEMM tiles); opened on first use and kept for later tests and files. Only
 * the latest GPU with switches is kept: asking for other switches closes it (tests that use one
 * run one after another). Callers must not close what this returns.
 */
export async function sharedGpu(env: Record<string, string> = {}): Promise<IsolatedGpu> {
  const key = Object.keys(env).length === 0 ? '' : JSON.stringify(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1)));
  let gpu = shared.get(key);
  if (gpu === undefined) {
    if (key !== '') {
      for (const [k, other] of shared) {
        if (k === '') continue;
        shared.delete(k);
        await (await other.catch(() => null))?.close();
      }
    }
    gpu = openGpuWithEnv(env);
    shared.set(key, gpu);
    // A failed open is not kept: the next caller tries again (and reports its own error).
    gpu.catch(() => {
      if (shared.get(key) === gpu) shared.delete(key);
    });
  }
  return gpu;
}

/** Opens an extra isolated GPU whose child runs with `env` added (test-only switches); the caller closes it. */
export async function openGpuWithEnv(env: Record<string, string>): Promise<IsolatedGpu> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const backend = testBackend();
    return await IsolatedGpu.open(backend === undefined ? {} : { backend });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** What the adapter's arithmetic matches, from a (small) probe run in the isolated child. */
export interface GpuArithmetic {
  readonly profile: Profile;
  /** Division and square roots correctly rounded, subnormals kept, sums in order: results can be bit-exact even for ops with ⊘ and sqrt. */
  readonly exact: boolean;
  readonly accuracy: Accuracy;
  /** The probe saw the backend reassociate sums (relaxed math): no order-dependent result is bit-exact; verdicts use any-order bounds. */
  readonly reassociates: boolean;
}

const arithmetic = new WeakMap<IsolatedGpu, Map<number, Promise<GpuArithmetic>>>();

/** The probe of `gpu` with `samples` samples, run once per GPU and sample count and shared by every test file the worker runs. */
export function gpuArithmetic(gpu: IsolatedGpu, samples = 16384): Promise<GpuArithmetic> {
  let bySamples = arithmetic.get(gpu);
  if (bySamples === undefined) {
    bySamples = new Map();
    arithmetic.set(gpu, bySamples);
  }
  let p = bySamples.get(samples);
  if (p === undefined) {
    p = gpu.job<ProbeResult>('probe', { samples }).then((r) => {
      const accuracy = accuracyFromProbe(r);
      const reassociates = r.relaxedMath.reassociation.summary === 'relaxed';
      const exact = accuracy.divUlp === 0 && accuracy.sqrtUlp === 0 && !accuracy.flushSubnormals && !reassociates;
      return { profile: profileFromProbe(r), exact, accuracy, reassociates };
    });
    bySamples.set(samples, p);
  }
  return p;
}

/**
 * The check for ops whose order contains ⊘ or sqrt: bit equality where the probe found them
 * correctly rounded and subnormals kept (lavapipe), else every element exact or within the op's
 * derived bound (the same verdict `refsim diff` gives). Returns the failures, empty when the batch
 * passes.
 */
export function checkDivisionOp(a: GpuArithmetic, cases: readonly OpCase[], got: readonly Tensor[], want: readonly Tensor[]): string[] {
  return a.exact ? mismatches(cases, got, want) : boundViolations(cases, got, want, a.accuracy, a.profile, orderOf(a));
}

const orderOf = (a: GpuArithmetic) => (a.reassociates ? 'anyOrder' : 'documented');

/**
 * The check for multiply-add-only ops on normal-range inputs: bit equality under the probed
 * profile, unless the probe saw the backend reassociate sums (relaxed math, e.g. Dawn on Metal);
 * then exact or within the op's any-order bound, the verdict `refsim diff --profile auto` gives.
 */
export function checkInOrder(a: GpuArithmetic, cases: readonly OpCase[], got: readonly Tensor[], want: readonly Tensor[]): string[] {
  return a.reassociates ? boundViolations(cases, got, want, a.accuracy, a.profile, 'anyOrder') : mismatches(cases, got, want);
}

/**
 * The check for multiply-add-only ops (convolutions, linear) on inputs with special values (NaN,
 * ±Inf, −0, subnormals, extreme magnitudes): bit equality where the probe found subnormals kept
 * (the kernel then matches the probed profile exactly), else the differential checker's verdict:
 * exact or within the bound under the probed accuracy, which is where flushed subnormal inputs,
 * products and sums land. Normal-range inputs are checked bit for bit on every backend (suiteValues.ts
 * NORMAL_MIN explains why nothing can flush there).
 */
export function checkSpecialValues(a: GpuArithmetic, cases: readonly OpCase[], got: readonly Tensor[], want: readonly Tensor[]): string[] {
  return a.accuracy.flushSubnormals || a.reassociates ? boundViolations(cases, got, want, a.accuracy, a.profile, orderOf(a)) : mismatches(cases, got, want);
}
