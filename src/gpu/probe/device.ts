/**
 * What the probe runs on: a backend that evaluates a WGSL expression element by element and sums
 * rows of values in a loop. The GPU implementation compiles each into a tiny compute kernel; a
 * test can stand in a simulated backend (the detection logic only sees result bits).
 */
import type { AdapterReport, GpuContext } from '../types.ts';
import { elementMain, plainBindings } from '../entry.ts';
import { runPlainKernel } from '../plainKernel.ts';
import { uniformRecord } from '../record.ts';

/**
 * A loop sum per sample, from a +0 read at run time (as the kernels' accumulators start):
 * 'sum' adds one element per iteration; 'sum4' loads four elements, then adds them in order (the
 * shape of groupNorm's lane loop).
 */
export type LoopShape = 'sum' | 'sum4';

export interface ProbeDevice {
  readonly adapter: AdapterReport;
  /** Result bits of `expr` (WGSL over f32 `a`, `b`, `c`) for every element. */
  elementwise(name: string, expr: string, a: Float32Array, b: Float32Array, c: Float32Array): Promise<Uint32Array>;
  /** Result bits of the loop sum of each row of `len` consecutive elements of `x`, in `shape`. */
  loopSum(shape: LoopShape, len: number, x: Float32Array): Promise<Uint32Array>;
}

const WG = 256;

const ELEMENTWISE_PARAMS = uniformRecord('probe elementwise params', { count: 'u32' });
/** `zero`: the +0.0 the sums start from, read at run time so no compiler folds `0 + x`. */
const LOOP_PARAMS = uniformRecord('probe loop params', { count: 'u32', len: 'u32', zero: 'f32' });

function elementwiseWgsl(expr: string): string {
  return /* wgsl */ `
${plainBindings(ELEMENTWISE_PARAMS, [['A', 'array<f32>'], ['B', 'array<f32>'], ['C', 'array<f32>'], ['out', 'array<u32>']])}

${elementMain(WG, 'u.count')}
  let a = A[gi];
  let b = B[gi];
  let c = C[gi];
  out[gi] = bitcast<u32>(${expr});
}`;
}

function loopWgsl(shape: LoopShape): string {
  const unrolled = shape === 'sum4'
    ? `for (; e + 3u < u.len; e += 4u) {
    let v0 = X[base + e]; let v1 = X[base + e + 1u]; let v2 = X[base + e + 2u]; let v3 = X[base + e + 3u];
    p = p + v0; p = p + v1; p = p + v2; p = p + v3;
  }`
    : '';
  return /* wgsl */ `
${plainBindings(LOOP_PARAMS, [['X', 'array<f32>'], ['out', 'array<u32>']])}

${elementMain(WG, 'u.count')}
  let base = gi * u.len;
  var p = u.zero;
  var e = 0u;
  ${unrolled}
  for (; e < u.len; e++) { p = p + X[base + e]; }
  out[gi] = bitcast<u32>(p);
}`;
}

async function runKernel(ctx: GpuContext, name: string, key: string, wgsl: () => string, params: Uint32Array, inputs: readonly Float32Array[], n: number): Promise<Uint32Array> {
  const kernel = { where: { op: `probe ${name}`, caseIndex: null }, key, wgsl, params, buffers: [...inputs, n * 4], invocations: n, workgroupSize: WG };
  const [out] = await runPlainKernel(ctx, kernel, [[inputs.length, n * 4]]);
  return new Uint32Array(out!);
}

/** Evaluates `expr` (WGSL over f32 a, b, c) elementwise on the GPU and returns the result bits. */
export function evalElementwise(ctx: GpuContext, name: string, expr: string, a: Float32Array, b: Float32Array, c: Float32Array): Promise<Uint32Array> {
  const n = a.length;
  return runKernel(ctx, name, `probe/${expr}`, () => elementwiseWgsl(expr), Uint32Array.from(ELEMENTWISE_PARAMS.pack({ count: n })), [a, b, c], n);
}

/** The GPU as a ProbeDevice. */
export function gpuProbeDevice(ctx: GpuContext): ProbeDevice {
  return {
    adapter: ctx.adapter,
    elementwise: (name, expr, a, b, c) => evalElementwise(ctx, name, expr, a, b, c),
    loopSum(shape, len, x) {
      const rows = Math.floor(x.length / len);
      const params = Uint32Array.from(LOOP_PARAMS.pack({ count: rows, len, zero: 0 }));
      return runKernel(ctx, `loop ${shape}`, `probe/loop/${shape}`, () => loopWgsl(shape), params, [x], rows);
    },
  };
}
