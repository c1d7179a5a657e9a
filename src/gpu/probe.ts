/**
 * `refsim probe`: targeted kernels that measure the float32 arithmetic of the adapter in use —
 * whether `a*b+c` and `fma()` are fused, the max ULP error of `a/b`, `sqrt`, `inverseSqrt` against
 * correctly rounded float32, whether subnormal inputs/outputs are flushed, and what `max`/`select`
 * do with −0 and NaN — and map the result to the reference Profile and Accuracy the checker uses.
 *
 * Correctly rounded float32 references come from double arithmetic: for + − × ÷ and sqrt of
 * float32 operands, rounding the double result to float32 is correctly rounded (double has more
 * than 2·24+2 bits). For a*b+c the product is exact in double; samples are kept only where the
 * double sum is exact too (its TwoSum error is 0), so `Math.fround` of it is the exact fused result.
 */
import { z } from 'zod';
import type { Accuracy } from '../ops/types.ts';
import type { Profile } from '../reference/tensor.ts';
import type { RefsimGpu } from './device.ts';
import { GRID_BUILTINS, dispatch, invocationGrid, linearInvocation, maxPerDim } from './dispatch.ts';
import { bindGroup, getPipeline, readBack, release, storageEmpty, storageFrom, submitGuarded, uniformFrom } from './runtime.ts';
import type { GpuContext } from './types.ts';

const WG = 256;
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const bitsOf = (x: number): number => {
  F32[0] = x;
  return U32[0] ?? 0;
};
const fromBits = (b: number): number => {
  U32[0] = b >>> 0;
  return F32[0] ?? 0;
};
const hex = (b: number): string => `0x${(b >>> 0).toString(16).padStart(8, '0')}`;
/** Position on the float32 number line (monotone in value, −0 and +0 both at 0). */
const ordinal = (b: number): number => (b & 0x80000000 ? -(b & 0x7fffffff) : b);
const ulpBetween = (a: number, b: number): number => Math.abs(ordinal(a) - ordinal(b));

/** Deterministic PRNG (mulberry32) so a probe is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random float32 with a uniformly random mantissa and an exponent in [lo, hi], random sign if `signed`. */
function randomF32(r: () => number, lo: number, hi: number, signed: boolean): number {
  const e = lo + Math.floor(r() * (hi - lo + 1));
  const m = Math.floor(r() * 0x800000);
  const sign = signed && r() < 0.5 ? 0x80000000 : 0;
  return fromBits(sign | ((e + 127) << 23) | m);
}

function probeWgsl(expr: string): string {
  return /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> C: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${linearInvocation(WG)}
  if (gi >= u.count) { return; }
  let a = A[gi];
  let b = B[gi];
  let c = C[gi];
  out[gi] = bitcast<u32>(${expr});
}`;
}

/** Evaluates `expr` (WGSL over f32 a, b, c) elementwise on the GPU and returns the result bits. */
export async function evalElementwise(ctx: GpuContext, name: string, expr: string, a: Float32Array, b: Float32Array, c: Float32Array): Promise<Uint32Array> {
  const where = { op: `probe ${name}`, caseIndex: null };
  const pipeline = await getPipeline(ctx, `probe/${expr}`, () => probeWgsl(expr), where);
  const n = a.length;
  const bufs = [uniformFrom(ctx, new Uint32Array([n, 0, 0, 0]), 'probe params'), storageFrom(ctx, a, 'A'), storageFrom(ctx, b, 'B'), storageFrom(ctx, c, 'C'), storageEmpty(ctx, n * 4, 'out')];
  try {
    const group = bindGroup(ctx, pipeline, bufs, `probe ${name}`);
    await submitGuarded(ctx, where, (enc) => {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      dispatch(pass, invocationGrid(n, WG, maxPerDim(ctx)));
      pass.end();
    });
    return new Uint32Array(await readBack(ctx, where, bufs[4] as GPUBuffer, n * 4));
  } finally {
    release(...bufs);
  }
}

const fusionSchema = z.object({
  verdict: z.enum(['fused', 'unfused', 'mixed']),
  /** Samples whose fused and unfused float32 results differ (the informative ones). */
  informative: z.number().int(),
  matchedFused: z.number().int(),
  matchedUnfused: z.number().int(),
});
const ulpSchema = z.object({ maxUlp: z.number(), samples: z.number().int(), worstInput: z.string() });
const bitsPairSchema = z.object({ negZero: z.string(), nan: z.string() });

export const probeResultSchema = z.object({
  adapter: z.object({
    vendor: z.string(),
    architecture: z.string(),
    device: z.string(),
    description: z.string(),
    backend: z.string(),
    featureLevel: z.enum(['core', 'compatibility']),
  }),
  samples: z.number().int(),
  seed: z.number().int(),
  mulAdd: fusionSchema,
  fma: fusionSchema,
  div: ulpSchema,
  sqrt: ulpSchema,
  inverseSqrt: ulpSchema,
  subnormals: z.object({
    /** A subnormal operand of a multiply read as 0. */
    flushInputs: z.boolean(),
    /** A multiply whose exact result is subnormal returned 0. */
    flushOutputs: z.boolean(),
  }),
  /** Result bits for x = −0 and x = NaN (0x7fc00001). PyTorch relu wants 0x80000000 and the NaN. */
  reluLike: z.object({
    'max(x, 0.0)': bitsPairSchema,
    'select(x, 0.0, x < 0.0)': bitsPairSchema,
    /** Does `0.0 + x` keep IEEE's +0 for x = −0 (a compiler folding it to `x` would return −0)? */
    '0.0 + x': z.object({ negZero: z.string() }),
  }),
  profile: z.enum(['strict', 'fma']),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

export interface ProbeOptions {
  /** Random samples per measured operation (default 2^20). */
  readonly samples?: number;
  readonly seed?: number;
}

async function measureFusion(ctx: GpuContext, expr: string, n: number, r: () => number): Promise<z.infer<typeof fusionSchema>> {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const c = new Float32Array(n);
  const fused = new Uint32Array(n);
  const unfused = new Uint32Array(n);
  let k = 0;
  while (k < n) {
    const x = randomF32(r, -4, 4, true);
    const y = randomF32(r, -4, 4, true);
    const p = x * y; // exact in double
    const z0 = -Math.fround(p) + randomF32(r, -30, -20, true) * p; // close to −p: the low bits of p matter
    const zf = Math.fround(z0);
    const s = p + zf;
    if (s - p !== zf || s - zf !== p) continue; // keep only exact double sums
    a[k] = x;
    b[k] = y;
    c[k] = zf;
    fused[k] = bitsOf(Math.fround(s));
    unfused[k] = bitsOf(Math.fround(Math.fround(p) + zf));
    k++;
  }
  const got = await evalElementwise(ctx, expr, expr, a, b, c);
  let informative = 0;
  let matchedFused = 0;
  let matchedUnfused = 0;
  for (let i = 0; i < n; i++) {
    if (fused[i] === unfused[i]) continue;
    informative++;
    if (got[i] === fused[i]) matchedFused++;
    else if (got[i] === unfused[i]) matchedUnfused++;
  }
  const verdict = matchedFused === informative ? 'fused' : matchedUnfused === informative ? 'unfused' : 'mixed';
  return { verdict, informative, matchedFused, matchedUnfused };
}

async function measureUlp(
  ctx: GpuContext,
  name: string,
  expr: string,
  n: number,
  gen: () => [number, number],
  exact: (a: number, b: number) => number,
): Promise<z.infer<typeof ulpSchema>> {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) [a[i], b[i]] = gen();
  const got = await evalElementwise(ctx, name, expr, a, b, new Float32Array(n));
  let maxUlp = 0;
  let worstInput = '';
  for (let i = 0; i < n; i++) {
    const want = bitsOf(Math.fround(exact(a[i] ?? 0, b[i] ?? 0)));
    const d = ulpBetween(got[i] ?? 0, want);
    if (d > maxUlp) {
      maxUlp = d;
      worstInput = `a=${a[i]} b=${b[i]} got ${hex(got[i] ?? 0)} want ${hex(want)}`;
    }
  }
  return { maxUlp, samples: n, worstInput };
}

/** Runs every probe kernel on `ctx`. */
export async function runProbe(ctx: RefsimGpu | GpuContext, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const n = opts.samples ?? 1 << 20;
  const seed = opts.seed ?? 20261126;
  const r = rng(seed);
  const mulAdd = await measureFusion(ctx, 'a * b + c', n, r);
  const fma = await measureFusion(ctx, 'fma(a, b, c)', n, r);
  const div = await measureUlp(ctx, 'div', 'a / b', n, () => [randomF32(r, -60, 60, true), randomF32(r, -60, 60, true)], (x, y) => x / y);
  const sqrt = await measureUlp(ctx, 'sqrt', 'sqrt(a)', n, () => [randomF32(r, -126, 127, false), 0], (x) => Math.sqrt(x));
  const inverseSqrt = await measureUlp(ctx, 'inverseSqrt', 'inverseSqrt(a)', n, () => [randomF32(r, -126, 127, false), 0], (x) => 1 / Math.sqrt(x));

  const tiny = fromBits(0x00000400); // 2^-139, subnormal
  const sub = await evalElementwise(ctx, 'subnormals', 'a * b', new Float32Array([tiny, 2 ** -70]), new Float32Array([2 ** 100, 2 ** -70]), new Float32Array(2));
  const nan = fromBits(0x7fc00001);
  const xs = new Float32Array([-0, nan]);
  const zeros = new Float32Array(2);
  const maxBits = await evalElementwise(ctx, 'max', 'max(a, 0.0)', xs, zeros, zeros);
  const selBits = await evalElementwise(ctx, 'select', 'select(a, 0.0, a < 0.0)', xs, zeros, zeros);
  const zeroAdd = await evalElementwise(ctx, 'zero add', '0.0 + a', xs, zeros, zeros);
  const pair = (v: Uint32Array) => ({ negZero: hex(v[0] ?? 0), nan: hex(v[1] ?? 0) });

  const result: Omit<ProbeResult, 'profile'> = {
    adapter: { ...ctx.adapter },
    samples: n,
    seed,
    mulAdd,
    fma,
    div,
    sqrt,
    inverseSqrt,
    subnormals: { flushInputs: sub[0] === 0, flushOutputs: sub[1] === 0 },
    reluLike: { 'max(x, 0.0)': pair(maxBits), 'select(x, 0.0, x < 0.0)': pair(selBits), '0.0 + x': { negZero: hex(zeroAdd[0] ?? 0) } },
  };
  return probeResultSchema.parse({ ...result, profile: profileFromProbe(result) });
}

/** The reference profile a backend matches: 'fma' when it fuses `acc + a*b`, else 'strict'. */
export function profileFromProbe(p: Pick<ProbeResult, 'mulAdd'>): Profile {
  return p.mulAdd.verdict === 'fused' ? 'fma' : 'strict';
}

/** The Accuracy model for the checker's bounds, from the measured errors. */
export function accuracyFromProbe(p: ProbeResult): Accuracy {
  return {
    divUlp: p.div.maxUlp,
    sqrtUlp: p.sqrt.maxUlp,
    inverseSqrtUlp: p.inverseSqrt.maxUlp,
    flushSubnormals: p.subnormals.flushInputs || p.subnormals.flushOutputs,
  };
}

/** The human-readable probe report. */
export function formatProbe(p: ProbeResult): string {
  const f = (x: z.infer<typeof fusionSchema>) => `${x.verdict} (${x.matchedFused} fused / ${x.matchedUnfused} unfused of ${x.informative} informative samples)`;
  const u = (x: z.infer<typeof ulpSchema>) => `max ${x.maxUlp} ULP over ${x.samples} samples${x.maxUlp > 0 ? `; worst: ${x.worstInput}` : ''}`;
  const a = p.adapter;
  return [
    `adapter: ${a.description || a.device} (vendor ${a.vendor || '?'}, ${a.architecture || '?'}; backend ${a.backend}, ${a.featureLevel})`,
    `a*b+c:        ${f(p.mulAdd)}`,
    `fma(a,b,c):   ${f(p.fma)}`,
    `a/b:          ${u(p.div)}`,
    `sqrt:         ${u(p.sqrt)}`,
    `inverseSqrt:  ${u(p.inverseSqrt)}`,
    `subnormals:   inputs ${p.subnormals.flushInputs ? 'flushed' : 'kept'}, outputs ${p.subnormals.flushOutputs ? 'flushed' : 'kept'}`,
    `max(x,0.0):   -0 -> ${p.reluLike['max(x, 0.0)'].negZero}, NaN(0x7fc00001) -> ${p.reluLike['max(x, 0.0)'].nan}`,
    `select(x,0.0,x<0.0): -0 -> ${p.reluLike['select(x, 0.0, x < 0.0)'].negZero}, NaN -> ${p.reluLike['select(x, 0.0, x < 0.0)'].nan}`,
    `0.0 + x:      -0 -> ${p.reluLike['0.0 + x'].negZero} (IEEE: 0x00000000)`,
    `profile: ${p.profile}; accuracy: ${JSON.stringify(accuracyFromProbe(p))}`,
  ].join('\n');
}

/** Isolated-job entry (src/gpu/isolateJobs.ts). */
export const probeJob = (ctx: RefsimGpu, payload: unknown): Promise<unknown> => runProbe(ctx, (payload ?? {}) as ProbeOptions);
