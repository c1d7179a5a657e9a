import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UnknownOpError, getOpSpec, opSpecs } from '../../src/ops/registry.ts';
import { EXACT_ACCURACY, OP_NAMES, type OpCase } from '../../src/ops/types.ts';
import { PROFILES, numel } from '../../src/reference/tensor.ts';
import { fcParams } from '../support/seed.ts';

test('getOpSpec returns each registered spec and rejects unknown names with the valid list', () => {
  for (const name of OP_NAMES) expect(getOpSpec(name).name).toBe(name);
  expect(Object.keys(opSpecs).sort()).toEqual([...OP_NAMES].sort());
  expect(() => getOpSpec('conv3d')).toThrow(UnknownOpError);
  try {
    getOpSpec('conv3d');
  } catch (e) {
    expect((e as UnknownOpError).code).toBe('E_UNKNOWN_OP');
    for (const name of OP_NAMES) expect((e as Error).message).toContain(name);
  }
});

/** Key of one input element. */
const key = (input: string, index: number) => `${input}[${index}]`;

describe.each(OP_NAMES)('%s spec', (name) => {
  const spec = getOpSpec(name);

  test('arbitrary cases are valid: reference runs under both profiles, shapes and sizes match, bounds are ≥ 0', () => {
    for (const specialValues of [false, true]) {
      const maxElements = specialValues ? 64 : 300;
      fc.assert(
        fc.property(spec.arbitrary({ maxElements, specialValues }), (c) => {
          expect(c.op).toBe(name);
          expect(JSON.parse(JSON.stringify(c.params))).toEqual(c.params);
          for (const [input, t] of Object.entries(c.inputs)) {
            expect(spec.inputNames).toContain(input);
            if (t !== null) expect(numel(t.shape), input).toBeLessThanOrEqual(maxElements);
          }
          const shape = spec.outputShape(c);
          for (const profile of PROFILES) {
            const y = spec.reference(c, profile);
            expect(y.shape).toEqual(shape);
            expect(y.data.length).toBe(numel(shape));
          }
          const b = spec.bound(c, EXACT_ACCURACY);
          expect(b.length).toBe(numel(shape));
          for (const v of b) expect(v >= 0).toBe(true);
        }),
        fcParams(25),
      );
    }
  });

  test('receptiveField lists exactly the input elements whose change (to NaN) reaches the output', () => {
    fc.assert(
      fc.property(spec.arbitrary({ maxElements: 40, specialValues: false }), (c: OpCase) => {
        const base = spec.reference(c, 'strict').data;
        fc.pre(base.every((v) => Number.isFinite(v)));
        // affects[o] = the set of input elements that turn output o into NaN.
        const affects: Set<string>[] = Array.from({ length: base.length }, () => new Set<string>());
        for (const [input, t] of Object.entries(c.inputs)) {
          if (t === null) continue;
          for (let i = 0; i < t.data.length; i++) {
            const data = t.data.slice();
            data[i] = NaN;
            const y = spec.reference({ ...c, inputs: { ...c.inputs, [input]: { shape: t.shape, data } } }, 'strict').data;
            y.forEach((v, o) => {
              if (Number.isNaN(v)) affects[o]!.add(key(input, i));
            });
          }
        }
        affects.forEach((want, o) => {
          const got = spec.receptiveField(c, o).map((tap) => key(tap.input, tap.index));
          expect(new Set(got).size, `duplicate taps for output ${o}`).toBe(got.length);
          expect(new Set(got), `output ${o}`).toEqual(want);
        });
      }),
      fcParams(name === 'depthwiseSeparableBlock' ? 8 : 15),
    );
  });
});
