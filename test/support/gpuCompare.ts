/**
 * Bit-for-bit comparison of GPU outputs with the reference, listing every mismatch (case, index,
 * coordinates, got/expected in decimal and hex bits, ULP distance, the case's parameters and input
 * shapes) in one message. NaN matches NaN (payloads are not part of the contract except for relu,
 * whose test compares raw bits).
 */
import { classifyCase } from '../../src/diff/classify.ts';
import { type BoundOrder, verdictBound } from '../../src/diff/relaxed.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import type { Accuracy, OpCase } from '../../src/ops/types.ts';
import { hexBits, ulpDistance } from '../../src/reference/float32.ts';
import type { Profile, Tensor } from '../../src/reference/tensor.ts';
import { unravel } from '../../src/util/coords.ts';

const coords = (shape: readonly number[], index: number): string => `[${unravel(shape, index).join(',')}]`;

const describeCase = (c: OpCase): string =>
  `params=${JSON.stringify(c.params)} inputs=${Object.entries(c.inputs)
    .map(([k, t]) => `${k}:${t === null ? 'null' : `[${t.shape.join('×')}]`}`)
    .join(' ')}`;

/** Every mismatch between `got` and `want` over a batch; empty when bit-identical. */
export function mismatches(cases: readonly OpCase[], got: readonly Tensor[], want: readonly Tensor[], limit = 200): string[] {
  const out: string[] = [];
  if (got.length !== want.length) return [`batch: got ${got.length} outputs, want ${want.length}`];
  for (let k = 0; k < want.length; k++) {
    const g = got[k];
    const w = want[k];
    const c = cases[k];
    if (g === undefined || w === undefined || c === undefined) continue;
    if (g.shape.join(',') !== w.shape.join(',')) {
      out.push(`case ${k}: shape [${g.shape}] want [${w.shape}] (${describeCase(c)})`);
      continue;
    }
    let first = true;
    for (let i = 0; i < w.data.length; i++) {
      const a = g.data[i] ?? NaN;
      const b = w.data[i] ?? NaN;
      if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue;
      if (out.length >= limit) return [...out, `... (more mismatches not listed)`];
      out.push(
        `case ${k} index ${i} ${coords(w.shape, i)}: got ${a} (${hexBits(a)}) want ${b} (${hexBits(b)}) ulp ${ulpDistance(a, b)}` +
          (first ? `  — ${describeCase(c)}` : ''),
      );
      first = false;
    }
  }
  return out;
}

/**
 * Elements the differential checker's classifier calls violations (src/diff/classify.ts: outside
 * the op's derived bound under `accuracy`, a NaN/Inf disagreement not explained by flushed
 * subnormal inputs, a wrong zero sign where the op defines it), for a backend whose arithmetic no
 * reference profile matches bit for bit (inexact division/sqrt, subnormal flushing; with `order`
 * 'anyOrder', a backend that reassociates sums). Every violation is listed. Empty when every element
 * is exact or within its bound.
 */
export function boundViolations(cases: readonly OpCase[], got: readonly Tensor[], want: readonly Tensor[], accuracy: Accuracy, profile: Profile, order: BoundOrder = 'documented'): string[] {
  const out: string[] = [];
  if (got.length !== want.length) return [`batch: got ${got.length} outputs, want ${want.length}`];
  cases.forEach((c, k) => {
    const g = got[k];
    const w = want[k];
    if (g === undefined || w === undefined) {
      out.push(`case ${k}: missing output`);
      return;
    }
    const v = classifyCase({ spec: getOpSpec(c.op), case: c, got: g, expected: w, accuracy, profile, keep: Infinity, ...verdictBound(c, accuracy, order) });
    let first = true;
    for (const e of v.differing.filter((d) => d.verdict === 'violation')) {
      out.push(
        `case ${k} index ${e.index} ${coords(w.shape, e.index)}: got ${e.got} (${hexBits(e.got)}) want ${e.expected} (${hexBits(e.expected)}) ulp ${e.ulp} bound ${e.bound} (${e.reason ?? ''})` +
          (first ? `  — ${describeCase(c)}` : ''),
      );
      first = false;
    }
  });
  return out;
}
