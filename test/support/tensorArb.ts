/** Random tensors for op tests, and comparisons that report every mismatching element at once. */
import fc from 'fast-check';
import { hexBits, ulpDistance } from '../../src/reference/float32.ts';
import type { Tensor } from '../../src/reference/tensor.ts';
import { unravel } from '../../src/util/coords.ts';
import { mulberry32 } from '../../src/util/rng.ts';

/**
 * A tensor reproducible from (shape, seed): float32 values in ±[2^-4, 2^3) with full 24-bit significands, plus some exact ±0 — no
 * specials, no subnormal products, so simple forward error bounds apply.
 */
export function randomTensor(shape: readonly number[], seed: number, scale = 1): Tensor {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.03) data[i] = u < 0.015 ? 0 : -0;
    else data[i] = Math.fround((r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** (Math.floor(r() * 7) - 4) * scale);
  }
  return { shape: [...shape], data };
}

export const seedArb = fc.integer({ min: 0, max: 0x7fffffff });

/** Row-major coordinates of a flat index, printed as NCHW-style [n, c, h, w]. */
export const coords = (shape: readonly number[], index: number): string => `[${unravel(shape, index).join(', ')}]`;

function describeMismatch(shape: readonly number[], i: number, got: number, want: number, extra = ''): string {
  return `  #${i} ${coords(shape, i)}: got ${got} (${hexBits(got)}), expected ${want} (${hexBits(want)}), ${ulpDistance(got, want)} ulp${extra}`;
}

/** Bitwise equality (NaN payloads aside), listing every mismatch in one error. */
export function expectBitExact(got: Tensor, want: { shape: number[]; data: ArrayLike<number> }, context: string): void {
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) throw new Error(`${context}: shape ${JSON.stringify(got.shape)} ≠ ${JSON.stringify(want.shape)}`);
  const bad: string[] = [];
  for (let i = 0; i < got.data.length; i++) {
    const g = got.data[i]!;
    const w = Math.fround(want.data[i]!);
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) bad.push(describeMismatch(got.shape, i, g, w));
  }
  if (bad.length > 0) throw new Error(`${context}: ${bad.length} of ${got.data.length} elements differ:\n${bad.join('\n')}`);
}

/** |got − want| ≤ bound elementwise (want, bound in float64), listing every violation. */
export function expectWithin(got: Tensor, want: ArrayLike<number>, bound: ArrayLike<number>, context: string): void {
  const bad: string[] = [];
  for (let i = 0; i < got.data.length; i++) {
    const err = Math.abs(got.data[i]! - want[i]!);
    if (!(err <= bound[i]!)) bad.push(describeMismatch(got.shape, i, got.data[i]!, want[i]!, `; |err| ${err} > bound ${bound[i]}`));
  }
  if (bad.length > 0) throw new Error(`${context}: ${bad.length} of ${got.data.length} elements outside the bound:\n${bad.join('\n')}`);
}

export const U = 2 ** -24;

/** Elementwise absolute values. */
export function absTensor(t: Tensor): Tensor {
  return { shape: [...t.shape], data: t.data.map(Math.abs) };
}
