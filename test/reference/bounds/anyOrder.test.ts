/**
 * The 'anyOrder' bounds (PyTorch parity, docs/error-bounds.md §PyTorch) against evaluations in
 * other orders, as a BLAS or vectorised CPU kernel may use: each output's terms shuffled and summed
 * sequentially (fused or unfused) or by a pairwise tree; pooling dividing or multiplying by a
 * rounded reciprocal; groupNorm with Welford or one-pass E[v²]−E[v]² moments and PyTorch's
 * factored affine (scale = rstd·γ, shift = β − scale·mean, y = x·scale + shift).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { anyOrderBounds, getOpSpec } from '../../../src/ops/registry.ts';
import { EXACT_ACCURACY, type OpCase, type OpName } from '../../../src/ops/types.ts';
import { fma32 } from '../../../src/reference/float32.ts';
import { Rng } from '../../../src/util/rng.ts';
import type { Moments } from '../../../src/reference/bounds/common.ts';
import { exactEval } from '../../support/exact.ts';
import { fcParams } from '../../support/seed.ts';
import { gaussianCase, violations } from '../../support/bounds/soundness.ts';

const f = Math.fround;

type Mode = 'seq' | 'seqFma' | 'tree';

/** Σ a_k·b_k (b = 1 for plain terms) in a shuffled order, sequentially or by a pairwise tree. */
function otherOrderDot(pairs: [number, number][], mode: Mode, rng: Rng): number {
  const t = rng.shuffle([...pairs]);
  if (mode === 'tree') {
    let level = t.map(([a, b]) => f(a * b));
    if (level.length === 0) return 0;
    while (level.length > 1) {
      const next: number[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? f(level[i]! + level[i + 1]!) : level[i]!);
      level = next;
    }
    return level[0]!;
  }
  let acc = 0;
  for (const [a, b] of t) acc = mode === 'seqFma' ? fma32(a, b, acc) : f(acc + f(a * b));
  return acc;
}

/** Evaluates a dot-product op or the pool in another order, via the receptive field. */
function otherOrder(c: OpCase, mode: Mode, rng: Rng): Float64Array {
  const spec = getOpSpec(c.op);
  const n = spec.outputShape(c).reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const taps = spec.receptiveField(c, o);
    const val = (name: string, i: number) => c.inputs[name]!.data[i]!;
    if (c.op === 'adaptiveAvgPool2d') {
      const s = otherOrderDot(taps.map((t) => [val('x', t.index), 1]), mode, rng);
      out[o] = rng.next() < 0.5 ? f(s / taps.length) : f(s * f(1 / taps.length));
      continue;
    }
    const xs = taps.filter((t) => t.input === 'x');
    const ws = taps.filter((t) => t.input === 'weight');
    const pairs: [number, number][] = xs.map((t, k) => [val('x', t.index), val('weight', ws[k]!.index)]);
    for (const t of taps.filter((t) => t.input === 'bias')) pairs.push([val('bias', t.index), 1]);
    out[o] = otherOrderDot(pairs, mode, rng);
  }
  return out;
}

/** PyTorch-CPU-style groupNorm in float32: Welford or one-pass moments, factored affine. */
function torchLikeGroupNorm(c: OpCase, moments: 'welford' | 'onePass', fused: boolean): Float64Array {
  const x = c.inputs['x']!;
  const gw = c.inputs['weight'] ?? null;
  const gb = c.inputs['bias'] ?? null;
  const G = c.params['numGroups'] as number;
  const eps = f(c.params['eps'] as number);
  const [N, C] = x.shape as [number, number];
  const S = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const n = (C / G) * S;
  const out = new Float64Array(x.data.length);
  for (let b = 0; b < N; b++)
    for (let g = 0; g < G; g++) {
      const start = (b * C + g * (C / G)) * S;
      let mean = 0;
      let v = 0;
      if (moments === 'welford') {
        let m2 = 0;
        for (let k = 0; k < n; k++) {
          const xv = x.data[start + k]!;
          const delta = f(xv - mean);
          mean = f(mean + f(delta / (k + 1)));
          m2 = f(m2 + f(delta * f(xv - mean)));
        }
        v = f(m2 / n);
      } else {
        let s1 = 0;
        let s2 = 0;
        for (let k = 0; k < n; k++) {
          const xv = x.data[start + k]!;
          s1 = f(s1 + xv);
          s2 = f(s2 + f(xv * xv));
        }
        mean = f(s1 / n);
        v = f(f(s2 / n) - f(mean * mean));
      }
      const rstd = f(1 / f(Math.sqrt(f(Math.max(v, 0) + eps))));
      for (let k = 0; k < n; k++) {
        const ch = g * (C / G) + Math.floor(k / S);
        const scale = gw === null ? rstd : f(rstd * gw.data[ch]!);
        const beta = gb === null ? 0 : gb.data[ch]!;
        const shift = fused ? fma32(-scale, mean, beta) : f(beta - f(scale * mean));
        const xv = x.data[start + k]!;
        out[start + k] = fused ? fma32(xv, scale, shift) : f(f(xv * scale) + shift);
      }
    }
  return out;
}

function check(c: OpCase, got: Float64Array, what: string, moments: Moments = 'stable'): void {
  const v = violations(what, got, exactEval(c), anyOrderBounds[c.op](c, EXACT_ACCURACY, { moments }));
  expect(v, JSON.stringify(v.slice(0, 5))).toEqual([]);
}

describe.each(['depthwiseConv2d', 'pointwiseConv2d', 'linear', 'adaptiveAvgPool2d'] as OpName[])('%s any-order bound', (op) => {
  test('covers shuffled sequential (fused or not) and pairwise-tree evaluations', () => {
    fc.assert(
      fc.property(getOpSpec(op).arbitrary({ maxElements: 256, specialValues: false }), fc.nat(), fc.boolean(), (c0, seed, gauss) => {
        const c = gauss ? gaussianCase(c0, seed) : c0;
        const rng = new Rng(seed + 1);
        for (const mode of ['seq', 'seqFma', 'tree'] as const) check(c, otherOrder(c, mode, rng), mode);
      }),
      fcParams(25),
    );
  });
});

test('groupNorm any-order bound covers Welford (stable) and one-pass moments (one-pass) with the factored affine, fused or not', () => {
  fc.assert(
    fc.property(getOpSpec('groupNorm').arbitrary({ maxElements: 256, specialValues: false }), fc.nat(), fc.boolean(), (c0, seed, gauss) => {
      const c = gauss ? gaussianCase(c0, seed) : c0;
      for (const moments of ['welford', 'onePass'] as const) {
        // Welford is in the stable family; one-pass E[v²]−E[v]² only in the one-pass one.
        const family: Moments = moments === 'welford' ? 'stable' : 'one-pass';
        for (const fused of [false, true]) check(c, torchLikeGroupNorm(c, moments, fused), `${moments} fused=${fused}`, family);
      }
    }),
    fcParams(40),
  );
});
