/**
 * Error-bound throughput: each op's bound (src/reference/bounds) on the same mid-size inputs as
 * the reference-ops suite, against the reference op itself (strict) timed in the same run, for
 * the exact accuracy and for WGSL's (divUlp 2.5, sqrtUlp 1, flushing); and the registry's bound
 * over many small generated cases (what `refsim diff` and the stress run do), in cases/s against
 * the reference on the same cases. Ratio: reference time / bound time (bound speed as a fraction
 * of the op's own speed). Times are process CPU time.
 */
import fc from 'fast-check';
import { Bench } from 'tinybench';
import { getOpSpec } from '../src/ops/registry.ts';
import { type Accuracy, EXACT_ACCURACY, type OpCase } from '../src/ops/types.ts';
import { OP_NAMES } from '../src/ops/index.ts';
import { fillGaussian } from '../src/ops/shared/values.ts';
import type { Tensor } from '../src/reference/tensor.ts';
import { type BenchRow, type BenchSuite, cpuNowMs } from './lib.ts';

const SUITE = 'error bounds';
const TIME_MS = Number(process.env['REFSIM_BENCH_MS'] ?? 1000);
const WGSL: Accuracy = { divUlp: 2.5, sqrtUlp: 1, inverseSqrtUlp: 2, flushSubnormals: true };

function t(shape: number[], seed: number, scale = 1): Tensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  fillGaussian(data, seed, scale, 0);
  return { shape, data };
}

const [C, H, W] = [64, 56, 56];
const x = t([1, C, H, W], 1);
const mid: OpCase[] = [
  { op: 'depthwiseConv2d', params: { stride: [1, 1], padding: [1, 1], dilation: [1, 1] }, inputs: { x, weight: t([C, 1, 3, 3], 2), bias: t([C], 3) } },
  { op: 'pointwiseConv2d', params: {}, inputs: { x, weight: t([C, C, 1, 1], 4, 0.125), bias: t([C], 5) } },
  { op: 'groupNorm', params: { numGroups: 32, eps: 1e-5 }, inputs: { x, weight: t([C], 6), bias: t([C], 7) } },
  { op: 'relu', params: {}, inputs: { x } },
  { op: 'adaptiveAvgPool2d', params: { outputSize: [7, 7] }, inputs: { x } },
  { op: 'linear', params: {}, inputs: { x: t([64, 1024], 8), weight: t([1024, 1024], 9, 1 / 32), bias: t([1024], 10) } },
  {
    op: 'depthwiseSeparableBlock',
    params: { numGroups: 32, eps: 1e-5 },
    inputs: {
      x, dwWeight: t([C, 1, 3, 3], 2), dwBias: t([C], 3), pwWeight: t([C, C, 1, 1], 4, 0.125), pwBias: t([C], 5),
      gnWeight: t([C], 6), gnBias: t([C], 7), fcWeight: t([10, C], 11), fcBias: t([10], 12),
    },
  },
];


async function timeMs(fn: () => unknown): Promise<number> {
  const bench = new Bench({ time: TIME_MS, iterations: 5, warmupIterations: 2, now: cpuNowMs });
  bench.add('x', fn);
  await bench.run();
  const r = bench.tasks[0]?.result;
  if (r === undefined || !('latency' in r)) throw new Error('tinybench produced no result');
  return r.latency.p50;
}

const suite: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  for (const c of mid) {
    const spec = getOpSpec(c.op);
    const shape = spec.outputShape(c);
    const ref = await timeMs(() => spec.reference(c, 'strict'));
    for (const [label, acc] of [['exact', EXACT_ACCURACY], ['WGSL', WGSL]] as const) {
      const b = await timeMs(() => spec.bound(c, acc));
      rows.push({
        suite: SUITE,
        name: `${c.op} bound (${label} accuracy), input ${c.inputs['x']!.shape.join('×')} → ${shape.join('×')}`,
        value: `${b.toFixed(2)} ms`,
        baseline: `reference strict ${ref.toFixed(2)} ms`,
        ratio: ref / b,
        ratioLabel: 'reference time / bound time',
      });
    }
  }
  // Many small generated cases, as the differential checker and stress run use them.
  for (const op of OP_NAMES) {
    const spec = getOpSpec(op);
    const cases = fc.sample(spec.arbitrary({ maxElements: 1024, specialValues: false }), { numRuns: 300, seed: 42 });
    const bound = await timeMs(() => {
      for (const c of cases) spec.bound(c, WGSL);
    });
    const ref = await timeMs(() => {
      for (const c of cases) spec.reference(c, 'strict');
    });
    rows.push({
      suite: SUITE,
      name: `${op} bound (WGSL accuracy) over 300 generated cases (≤ 1024 elements per input)`,
      value: `${((cases.length / bound) * 1000).toFixed(0)} cases/s`,
      baseline: `reference strict ${((cases.length / ref) * 1000).toFixed(0)} cases/s`,
      ratio: ref / bound,
      ratioLabel: 'reference time / bound time',
    });
  }
  return rows;
};

export default suite;
