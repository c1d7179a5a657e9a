/**
 * `refsim check` throughput on one large dump: a 32×64×56×56 groupNorm (32 groups, affine) whose
 * output is the reference under 'fma' (so some elements differ and every bound is computed), read
 * from a safetensors file, judged with the CUDA accuracy model — against the reference alone on the
 * same inputs, in the same run. Times are process CPU time (tinybench p50).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { CUDA_MODEL } from '../src/check/accuracy.ts';
import { checkDump } from '../src/check/check.ts';
import { readDump } from '../src/check/dump.ts';
import { encodeSafetensors } from '../src/check/safetensors.ts';
import { getOpSpec } from '../src/ops/registry.ts';
import { fillGaussian } from '../src/ops/shared/values.ts';
import type { OpCase } from '../src/ops/types.ts';
import type { Tensor } from '../src/reference/tensor.ts';
import { type BenchRow, type BenchSuite, cpuNowMs } from './lib.ts';

const SHAPE = [32, 64, 56, 56];

function t(shape: number[], seed: number, scale = 1, offset = 0): Tensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillGaussian(data, seed, scale, offset);
  return { shape, data };
}

async function p50(fn: () => unknown): Promise<number> {
  const bench = new Bench({ time: 2000, iterations: 5, warmupIterations: 1, now: cpuNowMs });
  bench.add('x', fn);
  await bench.run();
  const r = bench.tasks[0]?.result;
  if (r === undefined || !('latency' in r)) throw new Error('tinybench produced no result');
  return r.latency.p50;
}

const suite: BenchSuite = async () => {
  const c: OpCase = { op: 'groupNorm', params: { numGroups: 32, eps: 1e-5 }, inputs: { x: t(SHAPE, 1), weight: t([64], 2, 0.5, 1), bias: t([64], 3) } };
  const spec = getOpSpec('groupNorm');
  const output = spec.reference(c, 'fma');
  const dir = mkdtempSync(join(tmpdir(), 'refsim-bench-check-'));
  const file = join(dir, 'gn.safetensors');
  writeFileSync(file, encodeSafetensors({ x: c.inputs['x']!, weight: c.inputs['weight']!, bias: c.inputs['bias']!, output }, { op: 'groupNorm', params: JSON.stringify(c.params), device: 'cuda:0' }));
  try {
    const elements = output.data.length;
    let differing = 0;
    const check = await p50(() => {
      const v = checkDump(readDump(file), { accuracy: CUDA_MODEL, moments: 'stable', profile: 'strict', keep: 5 }).check.verdict;
      if (v.violations + v.unbounded > 0) throw new Error('the fma reference must be within the bound');
      differing = v.within;
    });
    const ref = await p50(() => spec.reference(c, 'strict'));
    return [{
      suite: 'check',
      name: `refsim check of a ${SHAPE.join('×')} groupNorm dump (G=32, affine; read + reference + bounds + classify; ${differing} of ${elements} elements differ)`,
      value: `${((elements / check) * 1000 / 1e6).toFixed(2)} M elements/s (${check.toFixed(0)} ms)`,
      baseline: `reference alone (strict): ${((elements / ref) * 1000 / 1e6).toFixed(2)} M elements/s (${ref.toFixed(0)} ms)`,
      ratio: ref / check,
      ratioLabel: 'reference time / check time',
    } satisfies BenchRow];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default suite;
