/**
 * The canonicalisation property every op shares (src/ops/<op>/canonical.ts): a case in any
 * accepted form and its canonical case are the same computation, so the reference, both bounds,
 * the registry's reference (fast path where it covers the case) and the fast path itself give the
 * same bits; the given case's output has the canonical output's data under its own shape.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { runFast } from '../../src/fast/index.ts';
import { OPS } from '../../src/ops/index.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import { type OpCase, type OpName, restoreOutput, WGSL_ACCURACY } from '../../src/ops/types.ts';
import { PROFILES } from '../../src/reference/tensor.ts';
import { fcParams } from './seed.ts';
import { expectBitExact } from './tensorArb.ts';

const sameBits = (a: Float64Array, b: Float64Array, what: string) => expect(Array.from(a), what).toEqual(Array.from(b));

export function expectCanonicalInvariance(name: OpName, arb: fc.Arbitrary<OpCase>, runs: number): void {
  const op = OPS.find((o) => o.name === name)!;
  const spec = getOpSpec(name);
  fc.assert(
    fc.property(arb, fc.constantFrom(...PROFILES), (c, profile) => {
      const k = op.canonical(c);
      expect(op.outputShape(c)).toEqual(k.outputShape);
      const given = op.reference(c, profile);
      expect(given.shape).toEqual(k.outputShape);
      expectBitExact(given, restoreOutput(k, op.reference(k.case, profile)), 'reference vs the canonical case');
      expectBitExact(spec.reference(c, profile), given, 'registry reference');
      const fast = runFast(name, c, profile);
      if (fast !== null) expectBitExact(fast, given, 'fast path');
      if (k.restore === undefined) {
        sameBits(op.bound(c, WGSL_ACCURACY), op.bound(k.case, WGSL_ACCURACY), 'bound');
        sameBits(op.anyOrderBound(c, WGSL_ACCURACY), op.anyOrderBound(k.case, WGSL_ACCURACY), 'any-order bound');
      }
      expect(op.bound(c, WGSL_ACCURACY).length).toBe(given.data.length);
    }),
    fcParams(runs),
  );
}
