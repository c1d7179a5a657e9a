/**
 * Faults modelled on real PyTorch MPS bugs, planted in real dumps (fixtures/torch), must be
 * violations exactly at the planted elements, and the report must name their coordinates:
 * relu(NaN) returning 0, a negative input leaking through relu, two output rows of a linear
 * swapped, a column or a channel of zeros, one element off by 1e-3 relative, groupNorm computed
 * with one-pass float32 moments on mean-1000 data, two pooling windows swapped.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkDump } from '../../src/check/check.ts';
import { type Dump, readDump } from '../../src/check/dump.ts';
import { formatCheckText } from '../../src/check/report.ts';
import { formatCoords } from '../../src/util/coords.ts';
import type { CaseVerdict } from '../../src/diff/classify.ts';

const root = fileURLToPath(new URL('../../fixtures/torch/', import.meta.url));
const f = Math.fround;

/** Judges `dump` with its output edited by `plant`; returns the verdict, the violating indices and the report text. */
function judgePlanted(file: string, plant: (out: Float32Array, d: Dump) => void): { v: CaseVerdict; bad: number[]; text: string; shape: readonly number[] } {
  const d = readDump(join(root, file));
  plant(d.output.data, d);
  const { check } = checkDump(d, { moments: 'stable', profile: 'strict', keep: 100_000 });
  const text = formatCheckText({ files: [check], moments: 'stable', profile: 'strict', accuracyOverride: null, limit: 8, seconds: 0 });
  const bad = check.verdict.differing.filter((e) => e.verdict === 'violation').map((e) => e.index).sort((a, b) => a - b);
  return { v: check.verdict, bad, text, shape: check.outputShape };
}

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.ceil((to - from) / step) }, (_, k) => from + k * step);

describe.each(['cpu', 'cuda'])('planted faults in fixtures/torch/%s', (device) => {
  test('relu(NaN) returning 0 is a NaN violation at that element', () => {
    let at = -1;
    const r = judgePlanted(`${device}/relu-specials.safetensors`, (out, d) => {
      at = d.case.inputs['x']!.data.findIndex(Number.isNaN);
      out[at] = 0;
    });
    expect(at).toBeGreaterThanOrEqual(0);
    expect(r.bad).toEqual([at]);
    expect(r.v.differing[0]).toMatchObject({ index: at, reason: 'nan' });
    expect(r.text).toContain(`${formatCoords(r.shape, at)}: got 0 (0x00000000) vs ref NaN`);
  });

  test('a negative input leaking through relu', () => {
    let at = -1;
    const r = judgePlanted(`${device}/relu-random.safetensors`, (out, d) => {
      const x = d.case.inputs['x']!.data;
      at = x.findIndex((v) => v < 0);
      out[at] = x[at]!;
    });
    expect(r.bad).toEqual([at]);
    expect(r.text).toContain(`${formatCoords(r.shape, at)}: got -`);
  });

  test('two output rows of a linear swapped', () => {
    const r = judgePlanted(`${device}/linear-64-32.safetensors`, (out) => {
      for (let j = 0; j < 32; j++) [out[j], out[32 + j]] = [out[32 + j]!, out[j]!];
    });
    expect(r.bad).toEqual(range(0, 64));
    expect(r.text).toMatch(/\[[01], \d+\]: got .* VIOLATION \(bound\)/);
  });

  test('a column of zeros in a linear output', () => {
    const r = judgePlanted(`${device}/linear-64-32.safetensors`, (out) => {
      for (let b = 0; b < 4; b++) out[b * 32 + 5] = 0;
    });
    expect(r.bad).toEqual([5, 37, 69, 101]);
    expect(r.text).toContain('[3, 5]: got 0 (0x00000000)');
  });

  test('a channel of zeros in a pointwise convolution', () => {
    const r = judgePlanted(`${device}/pw-16-32.safetensors`, (out) => out.fill(0, 7 * 64, 8 * 64));
    expect(r.bad).toEqual(range(7 * 64, 8 * 64));
    expect(r.text).toMatch(/\[n=0 c=7 h=\d w=\d\]: got 0 \(0x00000000\)/);
  });

  test('one element off by 1e-3 relative', () => {
    let at = -1;
    const r = judgePlanted(`${device}/dw-mobilenet.safetensors`, (out) => {
      at = out.reduce((best, v, i) => (Math.abs(v) > Math.abs(out[best]!) ? i : best), 0);
      out[at] = f(out[at]! * (1 + 1e-3));
    });
    expect(r.bad).toEqual([at]);
    expect(r.text).toContain(`${formatCoords(r.shape, at)}: got`);
  });

  test('two pooling windows swapped', () => {
    const r = judgePlanted(`${device}/pool-3x3-nondivisible.safetensors`, (out) => {
      [out[0], out[4]] = [out[4]!, out[0]!];
    });
    expect(r.bad).toEqual([0, 4]);
    expect(r.text).toContain('[n=0 c=0 h=1 w=1]: got');
  });

  test('groupNorm with one-pass float32 moments on mean-1000 data', () => {
    const extremes: number[] = [];
    const r = judgePlanted(`${device}/gn-mean1000.safetensors`, (out, d) => {
      const x = d.case.inputs['x']!;
      const w = d.case.inputs['weight']?.data;
      const b = d.case.inputs['bias']?.data;
      const [, C, H, W] = x.shape as [number, number, number, number];
      const G = d.case.params['numGroups'] as number;
      const n = (C / G) * H * W;
      for (let g = 0; g < G; g++) {
        // E[x²] − E[x]² in float32, then PyTorch's factored affine.
        let s1 = 0;
        let s2 = 0;
        for (let e = g * n; e < (g + 1) * n; e++) {
          s1 = f(s1 + x.data[e]!);
          s2 = f(s2 + f(x.data[e]! * x.data[e]!));
        }
        const mean = f(s1 / n);
        let far = g * n;
        for (let e = g * n; e < (g + 1) * n; e++) if (Math.abs(x.data[e]! - mean) > Math.abs(x.data[far]! - mean)) far = e;
        extremes.push(far);
        const rstd = f(1 / f(Math.sqrt(f(Math.max(f(f(s2 / n) - f(mean * mean)), 0) + f(1e-5)))));
        for (let e = g * n; e < (g + 1) * n; e++) {
          const ch = Math.floor(e / (H * W));
          const scale = f(rstd * (w?.[ch] ?? 1));
          out[e] = f(f(x.data[e]! * scale) + f((b?.[ch] ?? 0) - f(scale * mean)));
        }
      }
    });
    // One-pass moments put group 0's variance 49% low and group 1's 7% low. The elements far from
    // the mean leave the stable family's bound in group 0 (those near it barely move); group 1's
    // 7% stays inside the worst-case bound of a 256-element group with mean/spread ≈ 1000.
    expect(extremes).toHaveLength(2);
    expect(r.bad).toContain(extremes[0]);
    expect(r.bad.filter((i) => i < 256).length).toBeGreaterThan(128);
    expect(r.text).toMatch(/VIOLATION \(bound\)/);
  });
});
