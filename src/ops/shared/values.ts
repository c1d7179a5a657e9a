/**
 * Value and shape generators shared by the op specs' fast-check arbitraries. Tensors hold exact
 * float32 values: small tensors element by element from fc.float (shrinkable per element),
 * larger ones from a seeded generator (fast enough for thousands of cases a second) whose seed,
 * scale and offset fast-check draws and shrinks. With `specialValues`, NaN, ±Inf, −0,
 * subnormals and huge/tiny magnitudes are planted at drawn positions.
 */
import fc from 'fast-check';
import type { CaseGenOptions } from '../types.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { mulberry32 } from '../../util/rng.ts';

const SPECIALS: readonly number[] = [
  NaN, Infinity, -Infinity, -0, 0, 2 ** -149, -(2 ** -149), 1e-40, -3e-39, 2 ** -126, 3.4028234663852886e38,
  -3.4028234663852886e38, 1e30, -1e30, 1e-30, 65504, -1,
];

/** A float32 value: mostly normal and in [−8, 8]; with specials, any float32 including NaN/±Inf. */
export function f32Value(opts: CaseGenOptions): fc.Arbitrary<number> {
  const normal = fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });
  if (!opts.specialValues) return normal;
  return fc.oneof(
    { weight: 6, arbitrary: normal },
    { weight: 2, arbitrary: fc.constantFrom(...SPECIALS) },
    { weight: 1, arbitrary: fc.float() },
  );
}

/** Fills `out` with float32 values ≈ offset + scale·N(0,1) from `seed`. */
export function fillGaussian(out: Float32Array, seed: number, scale: number, offset: number): void {
  const rnd = mulberry32(seed);
  for (let i = 0; i < out.length; i++) {
    const u1 = rnd() || 2 ** -32;
    const g = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rnd());
    out[i] = Math.fround(offset + scale * g);
  }
}

const SMALL = 16;

/** A tensor of `shape` with exact float32 values (see the module comment). */
export function tensorArb(shape: readonly number[], opts: CaseGenOptions, range: { scale?: number; offset?: number } = {}): fc.Arbitrary<Tensor> {
  let size = 1;
  for (const d of shape) size *= d;
  const s = [...shape];
  if (size <= SMALL) {
    return fc.array(f32Value(opts), { minLength: size, maxLength: size }).map((v) => ({ shape: s, data: Float32Array.from(v) }));
  }
  const scale = range.scale ?? 1;
  const offset = range.offset ?? 0;
  const plant = opts.specialValues
    ? fc.array(fc.tuple(fc.nat({ max: size - 1 }), f32Value(opts)), { maxLength: 4 })
    : fc.constant([] as [number, number][]);
  return fc
    .record({
      seed: fc.nat(),
      scale: fc.constantFrom(scale, scale / 8, scale * 4, scale / 1024),
      offset: fc.constantFrom(0, offset, -offset),
      plant,
    })
    .map(({ seed, scale: sc, offset: off, plant: planted }) => {
      const data = new Float32Array(size);
      fillGaussian(data, seed, sc, off);
      for (const [i, v] of planted) data[i] = v;
      return { shape: s, data };
    });
}

/** An optional tensor: present (generated like tensorArb) or null. */
export function optionalTensorArb(shape: readonly number[], opts: CaseGenOptions, range: { scale?: number; offset?: number } = {}): fc.Arbitrary<Tensor | null> {
  return fc.option(tensorArb(shape, opts, range), { nil: null, freq: 3 });
}

/**
 * Shrinks the dims (largest first, never below 1) until every product in `groups` (index lists
 * into dims) is ≤ max: shapes that honour CaseGenOptions.maxElements without filtering.
 */
export function fitDims(dims: number[], groups: readonly (readonly number[])[], max: number): number[] {
  const d = [...dims];
  const prod = (g: readonly number[]) => g.reduce((p, i) => p * d[i]!, 1);
  for (const g of groups) {
    while (prod(g) > max) {
      let best = -1;
      for (const i of g) if (d[i]! > 1 && (best < 0 || d[i]! > d[best]!)) best = i;
      if (best < 0) break;
      d[best] = d[best]! - 1;
    }
  }
  return d;
}
