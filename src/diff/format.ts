/** Text formatting shared by the diff and repro reports. */
import type { Accuracy } from '../ops/types.ts';
import type { AdapterReport } from '../gpu/types.ts';
import { f32Bits, hex8 } from '../reference/float32.ts';

/** Shortest decimal that reads back as the same float32 ("-0", "NaN", "Infinity" included). */
export function f32ToString(x: number): string {
  if (Object.is(x, -0)) return '-0';
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** "1.5 (0x3fc00000)". */
export function f32WithBits(x: number, bits: number = f32Bits(x)): string {
  return `${f32ToString(x)} (0x${hex8(bits)})`;
}

export function formatAdapter(a: AdapterReport): string {
  const name = a.description !== '' ? a.description : a.device;
  return `${name} · ${a.backend} · vendor ${a.vendor || '?'}${a.architecture ? ` · ${a.architecture}` : ''} · ${a.featureLevel}`;
}

export function formatAccuracy(a: Accuracy): string {
  return `div ≤${a.divUlp} ULP, sqrt ≤${a.sqrtUlp} ULP, inverseSqrt ≤${a.inverseSqrtUlp} ULP, subnormals ${a.flushSubnormals ? 'may flush' : 'kept'}`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '–';
  const p = (100 * part) / whole;
  // Never print 100.00% for a run that is not entirely exact.
  return part < whole && p > 99.99 ? '>99.99%' : `${p.toFixed(2)}%`;
}

export function formatSci(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 ? '0' : x.toExponential(2);
}
