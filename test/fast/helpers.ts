/**
 * The fast path's differential suite: generated cases (the op specs' own arbitraries and the GPU
 * suite's size classes, plus sparse versions) through runFast and through the TypeScript
 * reference, compared bit for bit (NaNs as a class) under both profiles.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { runFast } from '../../src/fast/index.ts';
import { perOp } from '../../src/ops/index.ts';
import { type OpCase, type OpName, type OpSpec, specOf } from '../../src/ops/types.ts';
import { PROFILES, type Profile, type Tensor } from '../../src/reference/tensor.ts';
import { fcParams } from '../support/seed.ts';
import { mulberry32 } from '../../src/util/rng.ts';
import { expectBitExact } from '../support/tensorArb.ts';

/**
 * Every op's spec straight from its definition (src/ops/<op>/index.ts): `reference` is the
 * TypeScript reference itself (the registry's opSpecs route through the fast path, so they are no
 * oracle for it).
 */
export const tsSpecs: Record<OpName, OpSpec> = perOp(specOf);

/**
 * Sparse versions of a case generator: every input element is kept with probability `density`
 * (drawn), else replaced by +0 or −0 — runs of zeros and exact zero products, which a
 * vectorised kernel must sum like any other value.
 */
export function sparse(arb: fc.Arbitrary<OpCase>): fc.Arbitrary<OpCase> {
  return fc.tuple(arb, fc.constantFrom(0, 0.05, 0.3), fc.nat()).map(([c, density, seed]) => {
    const r = mulberry32(seed);
    const inputs: { [name: string]: Tensor | null } = {};
    for (const [name, t] of Object.entries(c.inputs)) {
      if (t === null) {
        inputs[name] = null;
        continue;
      }
      const data = t.data.slice();
      for (let i = 0; i < data.length; i++) if (r() >= density) data[i] = r() < 0.5 ? 0 : -0;
      inputs[name] = { shape: [...t.shape], data };
    }
    return { ...c, inputs };
  });
}

/** Asserts the fast path covers `c` and equals the reference bit for bit (NaNs as a class). */
export function expectFastMatches(spec: OpSpec, c: OpCase, profile: Profile, threads = 1): void {
  const want = spec.reference(c, profile);
  const got = runFast(spec.name, c, profile, threads);
  expect(got, `${spec.name} not covered by the fast path`).not.toBeNull();
  expectBitExact(got!, want, `${spec.name} (${profile}, ${threads} thread(s))`);
}

export interface CaseSource {
  readonly label: string;
  readonly arb: fc.Arbitrary<OpCase>;
  readonly runs: number;
}

/** One test per (source, profile). */
export function differentialTests(spec: OpSpec, sources: readonly CaseSource[]): void {
  for (const { label, arb, runs } of sources) {
    for (const profile of PROFILES) {
      test(`${label}, profile ${profile}: fast path = TypeScript reference bit for bit`, () => {
        fc.assert(
          fc.property(arb, (c) => expectFastMatches(spec, c, profile)),
          fcParams(runs),
        );
      });
    }
  }
}

/** The standard sources of an op: its spec arbitrary with normal and special values, and sparse. */
export function specSources(spec: OpSpec, maxElements: number, runs: number): CaseSource[] {
  return [
    { label: 'spec cases, normal values', arb: spec.arbitrary({ maxElements, specialValues: false }), runs },
    { label: 'spec cases, NaN/±Inf/−0/subnormals', arb: spec.arbitrary({ maxElements, specialValues: true }), runs },
    { label: 'spec cases, sparse', arb: sparse(spec.arbitrary({ maxElements, specialValues: false })), runs },
  ];
}

export type { OpName };
