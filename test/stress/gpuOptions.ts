/**
 * StressOptions for `refsim stress` runs on the test GPU (gpu.test.ts, watchdog.test.ts): four
 * threads on 1×8×8×8 blocks, verdicts under the profile and accuracy the probe measures on this
 * adapter, as the CLI does by default.
 */
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import type { IsolatedGpu } from '../../src/gpu/isolate.ts';
import type { Accuracy } from '../../src/ops/types.ts';
import type { Profile } from '../../src/reference/tensor.ts';
import { parseBlockShape } from '../../src/stress/blockCase.ts';
import { parseFaults } from '../../src/stress/fault.ts';
import type { StressMode, StressOptions } from '../../src/stress/types.ts';
import { gpuArithmetic, testBackend } from '../support/gpu.ts';

export type GpuStressOptions = (mode: StressMode, ops: number, faults?: string, extra?: Partial<StressOptions>) => StressOptions;

/**
 * Call inside a describeGpu body: the worker's probe of its GPU (gpuArithmetic, 2^16 samples, run
 * once for every file of the worker) in its beforeAll; the returned function gives the measured
 * profile and accuracy, for runs whose subject is not the probe itself.
 */
export function probedVerdicts(gpu: () => IsolatedGpu): () => { profile: Profile; accuracy: Accuracy } {
  let verdicts: { profile: Profile; accuracy: Accuracy } | null = null;
  beforeAll(async () => {
    const { profile, accuracy } = await gpuArithmetic(gpu(), 1 << 16);
    verdicts = { profile, accuracy };
  });
  return () => {
    if (verdicts === null) throw new Error('probedVerdicts: the probe did not run (call it inside a describeGpu body)');
    return verdicts;
  };
}

/** Call inside a describeGpu body: probes in its beforeAll; the returned function builds the options of one run. */
export function probedStressOptions(gpu: () => IsolatedGpu, dir: string): GpuStressOptions {
  const verdicts = probedVerdicts(gpu);
  return (mode, ops, faults = '', extra = {}) => {
    const { profile, accuracy } = verdicts();
    const backend = testBackend();
    return {
      threads: 4, ops, mode, shape: parseBlockShape('1x8x8x8'), seed: 20261126, timeoutMs: 20_000, engine: 'gpu',
      fixtureDir: join(dir, mode), faults: parseFaults(faults), batch: 1, distinct: null, depth: 2, profile, accuracy,
      ...(backend === undefined ? {} : { backend }), ...extra,
    };
  };
}
