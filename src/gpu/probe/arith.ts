/**
 * The probe's accuracy measurements: whether `a*b+c` and `fma()` are fused, the max ULP error of
 * `a/b`, `sqrt`, `inverseSqrt` against correctly rounded float32, whether subnormal inputs and
 * outputs are flushed, and what `max`/`select`/`0.0 + x` do with −0 and NaN.
 */
import { f32Bits, f32FromBits, hex8, ulpDistanceBits } from '../../reference/float32.ts';
import type { ProbeDevice } from './device.ts';
import { fusionSamples, randomF32 } from './samples.ts';
import type { FusionResult, ReluLike, UlpResult } from './schema.ts';

const hex = (b: number): string => `0x${hex8(b)}`;

export async function measureFusion(dev: ProbeDevice, expr: string, n: number, r: () => number): Promise<FusionResult> {
  const s = fusionSamples(r, 1, n);
  const got = await dev.elementwise(expr, expr, s.a, s.b, s.c);
  let informative = 0;
  let matchedFused = 0;
  let matchedUnfused = 0;
  for (let i = 0; i < n; i++) {
    const fused = s.fused[i]!;
    const unfused = s.unfused[i]!;
    if (fused === unfused) continue;
    informative++;
    if (got[i] === fused) matchedFused++;
    else if (got[i] === unfused) matchedUnfused++;
  }
  const verdict = matchedFused === informative ? 'fused' : matchedUnfused === informative ? 'unfused' : 'mixed';
  return { verdict, informative, matchedFused, matchedUnfused };
}

export async function measureUlp(
  dev: ProbeDevice,
  name: string,
  expr: string,
  n: number,
  gen: () => [number, number],
  exact: (a: number, b: number) => number,
): Promise<UlpResult> {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) [a[i], b[i]] = gen();
  const got = await dev.elementwise(name, expr, a, b, new Float32Array(n));
  let maxUlp = 0;
  let worstInput = '';
  for (let i = 0; i < n; i++) {
    const want = f32Bits(Math.fround(exact(a[i] ?? 0, b[i] ?? 0)));
    const d = ulpDistanceBits(got[i] ?? 0, want);
    // A NaN where a number is due counts as the largest distance (JSON keeps it finite).
    const dist = Number.isFinite(d) ? d : 0xffffffff;
    if (dist > maxUlp) {
      maxUlp = dist;
      worstInput = `a=${a[i]} b=${b[i]} got ${hex(got[i] ?? 0)} want ${hex(want)}`;
    }
  }
  return { maxUlp, samples: n, worstInput };
}

/** The accuracy measurements, drawing samples from `r` in a fixed order. */
export async function measureArithmetic(dev: ProbeDevice, n: number, r: () => number) {
  const mulAdd = await measureFusion(dev, 'a * b + c', n, r);
  const fma = await measureFusion(dev, 'fma(a, b, c)', n, r);
  const div = await measureUlp(dev, 'div', 'a / b', n, () => [randomF32(r, -60, 60, true), randomF32(r, -60, 60, true)], (x, y) => x / y);
  const sqrt = await measureUlp(dev, 'sqrt', 'sqrt(a)', n, () => [randomF32(r, -126, 127, false), 0], (x) => Math.sqrt(x));
  const inverseSqrt = await measureUlp(dev, 'inverseSqrt', 'inverseSqrt(a)', n, () => [randomF32(r, -126, 127, false), 0], (x) => 1 / Math.sqrt(x));

  const tiny = f32FromBits(0x00000400); // 2^-139, subnormal
  const sub = await dev.elementwise('subnormals', 'a * b', new Float32Array([tiny, 2 ** -70]), new Float32Array([2 ** 100, 2 ** -70]), new Float32Array(2));
  const xs = new Float32Array(new Uint32Array([0x80000000, 0x7fc00001]).buffer); // −0, NaN with a payload
  const zeros = new Float32Array(2);
  const maxBits = await dev.elementwise('max', 'max(a, 0.0)', xs, zeros, zeros);
  const selBits = await dev.elementwise('select', 'select(a, 0.0, a < 0.0)', xs, zeros, zeros);
  const zeroAdd = await dev.elementwise('zero add', '0.0 + a', xs, zeros, zeros);
  const pair = (v: Uint32Array) => ({ negZero: hex(v[0] ?? 0), nan: hex(v[1] ?? 0) });
  const reluLike: ReluLike = { 'max(x, 0.0)': pair(maxBits), 'select(x, 0.0, x < 0.0)': pair(selBits), '0.0 + x': { negZero: hex(zeroAdd[0] ?? 0) } };
  return {
    mulAdd,
    fma,
    div,
    sqrt,
    inverseSqrt,
    subnormals: { flushInputs: sub[0] === 0, flushOutputs: sub[1] === 0 },
    reluLike,
  };
}
